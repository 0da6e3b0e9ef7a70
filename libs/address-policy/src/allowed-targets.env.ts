import { ValidateBy, ValidationOptions } from 'class-validator';
import { AddressPolicy } from './address-policy';

function problemWith(list: unknown): string | null {
  try {
    AddressPolicy.fromList(String(list ?? ''));
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * An environment variable listing allowed outbound targets, comma-separated
 * "scheme://host:port" entries (see AddressPolicy); a bad entry stops the
 * service with the variable's name and the entry.
 */
export const IsAllowedTargets = (options?: ValidationOptions) =>
  ValidateBy(
    {
      name: 'isAllowedTargets',
      validator: {
        validate: (value) => problemWith(value) === null,
        defaultMessage: (args) => `${args?.property} must list scheme://host:port entries: ${problemWith(args?.value)}`,
      },
    },
    options,
  );
