import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { ColumnKind } from '../query/output-columns';
import { RowCursor } from '../query/row-cursor';
import { csvLine } from './csv';

export type Format = 'json' | 'csv';

/** format=csv|json wins; otherwise Accept: text/csv asks for CSV; JSON by default. */
export function responseFormat(format: string | undefined, accept: string | undefined): Format {
  if (format === 'csv' || format === 'json') return format;
  return accept && /(^|,)\s*text\/csv\b/i.test(accept) ? 'csv' : 'json';
}

// Reports are private to the key that asked, which may sit in the URL (api_key).
const PRIVATE = 'private, no-store';

/** Sends a body as bytes: given a string, Fastify would measure its length and encode it in two passes. */
export function sendJson(reply: FastifyReply, body: string | Buffer): void {
  reply
    .header('cache-control', PRIVATE)
    .type('application/json; charset=utf-8')
    .send(typeof body === 'string' ? Buffer.from(body) : body);
}

/**
 * Streams a cursor as CSV: a header line, then rows as Postgres hands them
 * over, so an export of any size holds one batch in memory at a time and
 * slows to the client's pace. A client that hangs up releases the cursor.
 */
export function sendCsv(
  reply: FastifyReply,
  filename: string,
  columns: readonly { name: string; kind: ColumnKind }[],
  cursor: RowCursor,
  logger: Logger,
): void {
  const kinds = columns.map((column) => column.kind);
  async function* lines(): AsyncGenerator<string> {
    yield csvLine(
      columns.map((column) => column.name),
      columns.map(() => 'text'),
    );
    for await (const batch of cursor.batches()) {
      let chunk = '';
      for (const row of batch) chunk += csvLine(row, kinds);
      yield chunk;
    }
  }
  const body = Readable.from(lines());
  body.on('close', () => void cursor.close());
  body.on('error', (error) => logger.error({ err: error, filename }, 'CSV export failed mid-stream; response cut short'));
  reply
    .header('cache-control', PRIVATE)
    .header('content-disposition', `attachment; filename="${filename.replace(/[^0-9A-Za-z._-]/g, '-')}"`)
    .type('text/csv; charset=utf-8')
    .send(body);
}
