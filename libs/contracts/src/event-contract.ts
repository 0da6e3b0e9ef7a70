import { storableValue } from './storable-text';
import { ContractViolation, Validator } from './validation';

/**
 * Everything a producer or consumer needs to know about one event stream:
 * its base topic name, schema version, how a value is keyed, and how bytes
 * become a checked value. Topic names for a deployment come from topics.ts.
 */
export interface EventContract<V> {
  /** Base topic name, e.g. "clicks.v1". */
  readonly topic: string;
  readonly version: number;
  /**
   * "per-key": messages with the same key must stay in one partition, in
   * order (a conversion's status changes). "none": the key is only an
   * identity; a producer may put any message in any partition (larger
   * batches), and no consumer may rely on which partition holds a key.
   */
  readonly ordering: MessageOrdering;
  keyOf(value: V): string;
  encode(value: V): Buffer;
  /**
   * Parses, repairs text no store could hold (storableValue: an event
   * produced before the ingress rule must not be dead-lettered for a byte),
   * and validates; throws ContractViolation naming the field.
   */
  decode(bytes: Buffer | string | null): V;
}

export type MessageOrdering = 'per-key' | 'none';

export function defineContract<V extends { v: number }>(spec: {
  topic: string;
  version: number;
  ordering: MessageOrdering;
  keyOf: (value: V) => string;
  validate: Validator<V>;
}): EventContract<V> {
  return {
    topic: spec.topic,
    version: spec.version,
    ordering: spec.ordering,
    keyOf: spec.keyOf,
    encode: (value) => Buffer.from(JSON.stringify(value)),
    decode: (bytes) => {
      if (bytes === null || bytes.length === 0) throw new ContractViolation('$', 'message has no value');
      let parsed: unknown;
      try {
        parsed = JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8'));
      } catch {
        throw new ContractViolation('$', 'value is not valid JSON');
      }
      const version = (parsed as { v?: unknown } | null)?.v;
      if (version !== spec.version) {
        throw new ContractViolation('v', `unsupported schema version ${String(version)}; expected ${spec.version}`);
      }
      return spec.validate(storableValue(parsed), '');
    },
  };
}
