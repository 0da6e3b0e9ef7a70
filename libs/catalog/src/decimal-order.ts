const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Orders two non-negative decimal strings exactly (-1, 0, 1), without
 * floating point: amount bounds are compared on every postback, and 0.1 + 0.2
 * must never decide whether money is booked. Throws on anything else.
 */
export function compareDecimals(a: string, b: string): number {
  const [left, right] = [DECIMAL.exec(a), DECIMAL.exec(b)];
  if (!left || !right) throw new Error(`not a non-negative decimal: ${left ? b : a}`);
  const [leftInteger, rightInteger] = [left[1].replace(/^0+/, ''), right[1].replace(/^0+/, '')];
  if (leftInteger.length !== rightInteger.length) return Math.sign(leftInteger.length - rightInteger.length);
  if (leftInteger !== rightInteger) return leftInteger < rightInteger ? -1 : 1;
  const places = Math.max(left[2]?.length ?? 0, right[2]?.length ?? 0);
  const [leftFraction, rightFraction] = [(left[2] ?? '').padEnd(places, '0'), (right[2] ?? '').padEnd(places, '0')];
  return leftFraction === rightFraction ? 0 : leftFraction < rightFraction ? -1 : 1;
}
