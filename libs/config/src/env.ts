import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.map((error) => {
    const reasons = Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message,
    );
    return `${error.property} ${reasons.join('; ')}`;
  });
}

/**
 * Reads a typed, validated configuration from environment variables.
 * Field initialisers are the defaults; a missing required variable or a bad
 * value throws ConfigError naming every offending variable.
 */
export function loadEnv<T extends object>(
  envClass: new () => T,
  source: NodeJS.ProcessEnv = process.env,
): T {
  const defined = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const env = plainToInstance(envClass, defined, {
    enableImplicitConversion: true,
    exposeDefaultValues: true,
    excludeExtraneousValues: false,
  });
  const errors = validateSync(env, { whitelist: false, forbidUnknownValues: false });
  if (errors.length > 0) throw new ConfigError(describe(errors));
  return env;
}
