import { PostbackRefusal } from '../refusals';

/** A webhook body (an order, a charge) holds far more values than a postback; 64 KiB of JSON holds fewer than this. */
export const MAX_JSON_VALUES = 4000;
const MAX_DEPTH = 16;

/**
 * A JSON body's values by path, so a partner mapping can name them:
 * data.object.amount, line_items[0].sku. An array of {"name", "value"}
 * pairs (Shopify's note_attributes, cart attributes) is also readable by
 * name: note_attributes.click_id. null counts as absent. Scalars at the top
 * keep their plain names, so flat bodies read as before.
 */
export function jsonPaths(body: Record<string, unknown>): Array<[string, unknown]> {
  const values: Array<[string, unknown]> = [];
  const visit = (path: string, value: unknown, depth: number): void => {
    if (value === null || value === undefined) return;
    if (typeof value !== 'object') {
      if (values.length >= MAX_JSON_VALUES) {
        throw new PostbackRefusal(400, 'invalid_body', `a JSON body may hold at most ${MAX_JSON_VALUES} values`);
      }
      values.push([path, value]);
      return;
    }
    if (depth >= MAX_DEPTH) throw new PostbackRefusal(400, 'invalid_body', `a JSON body may nest at most ${MAX_DEPTH} levels`);
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(`${path}[${index}]`, item, depth + 1));
      for (const item of value) {
        if (isNamedValue(item)) visit(`${path}.${item.name}`, item.value, depth + 1);
      }
      return;
    }
    for (const [name, inner] of Object.entries(value)) visit(path === '' ? name : `${path}.${name}`, inner, depth + 1);
  };
  visit('', body, 0);
  return values;
}

function isNamedValue(item: unknown): item is { name: string; value: unknown } {
  return (
    typeof item === 'object' &&
    item !== null &&
    typeof (item as { name?: unknown }).name === 'string' &&
    /^[A-Za-z0-9_-]{1,64}$/.test((item as { name: string }).name) &&
    'value' in item &&
    (typeof (item as { value: unknown }).value !== 'object' || (item as { value: unknown }).value === null)
  );
}

/**
 * The first top-level name of a JSON body whose value is an object or an
 * array: nested values are read by path only for advertisers whose mapping
 * names a path; to everyone else they stay an error (a value like
 * {"$gt": 0} is not an amount).
 */
export function firstNestedName(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  for (const [name, value] of Object.entries(body)) if (typeof value === 'object' && value !== null) return name;
  return undefined;
}
