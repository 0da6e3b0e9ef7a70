/** Collects bound values while SQL text is assembled; identifiers never come from requests. */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

export interface Sql {
  text: string;
  values: unknown[];
}
