/** Fields that are credentials: the audit log records that they changed, never their value. */
const SECRET_FIELDS = new Set(['postbackToken', 'signingSecret', 'postbackSecret', 'keyHash', 'visitorHashSecret']);

/**
 * A row as the audit log stores it: plain JSON (decimals as exact strings,
 * times as ISO 8601), with credentials replaced by "[redacted]".
 */
export function auditImage(row: object | null): Record<string, unknown> | null {
  if (row === null) return null;
  const plain = JSON.parse(JSON.stringify(row, (_key, value) => (typeof value === 'bigint' ? value.toString() : value)));
  for (const field of Object.keys(plain)) {
    if (SECRET_FIELDS.has(field) && plain[field] !== null) plain[field] = '[redacted]';
  }
  return plain;
}
