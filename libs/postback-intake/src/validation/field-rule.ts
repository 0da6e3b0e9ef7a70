/**
 * One check of one field: a name for machines (the refusal's `rule`), a test,
 * and the reason in words. A field's rules are listed most basic first and
 * all of them are judged, so a refusal names every rule a value breaks.
 */
export interface FieldRule {
  name: string;
  holds: (value: string) => boolean;
  reason: string;
}

export function rule(name: string, holds: (value: string) => boolean, reason: string): FieldRule {
  return { name, holds, reason };
}
