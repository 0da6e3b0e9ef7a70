import { OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Catalog, CatalogSnapshot } from '@tracklane/catalog';
import { Logger } from '@tracklane/observability';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { Counter, Registry } from 'prom-client';
import { AdvertiserAuthenticator } from '../auth/advertiser-authenticator';
import { ClientAddresses } from '../http/client-address';
import { JSON_TYPE, RETRY_AFTER_SECONDS, sendRefusal } from '../http/answers';
import { paramValue, requestParams } from '../http/request-params';
import { interpretPostback } from '../intake/interpret-postback';
import { PostbackIntake } from '../intake/postback-intake';
import type { PartnerMapping } from '../params/partner-mapping';
import type { RequestParam } from '../params/read-postback';
import { FieldProblem, PostbackRefusal, PostbackUnavailable } from '../refusals';
import { BadCsv, parseCsv } from './csv';

export const UPLOAD_PATH = '/v1/conversions/upload';
/** A day's point-of-sale or call-centre sales of a large advertiser; bigger files are split. */
export const MAX_UPLOAD_ROWS = 10_000;
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
/** Rows in flight at once: enough for the intake to batch its receipts, little enough to leave room for postbacks. */
const ROWS_AT_ONCE = 16;
/** The signed parameter that stands for the file (see canonical-request.ts). */
export const BODY_DIGEST_PARAM = 'body_sha256';
const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain'];

/** What became of one row, by its line in the file (the header is line 1). */
export type UploadRowResult =
  | { line: number; orderId: string | null; outcome: 'accepted' | 'duplicate'; conversionId: string; kind: string }
  | { line: number; orderId: string | null; outcome: 'refused'; status: number; error: string; reason: string; errors?: readonly FieldProblem[] }
  | { line: number; orderId: string | null; outcome: 'not_tried' };

export interface UploadAnswer {
  ok: boolean;
  rows: number;
  accepted: number;
  duplicates: number;
  refused: number;
  notTried: number;
  results: UploadRowResult[];
}

/**
 * Offline conversions (point-of-sale, call-centre sales) as a CSV file: POST /v1/conversions/upload, one
 * row per conversion, the header naming postback parameters (or the advertiser's own names, through its
 * partner mapping). Authenticated as a postback is: the advertiser's token (X-Tracklane-Token or ?token=),
 * its IP allowlist, and its signature when it signs, with the file standing in the signed parameters as
 * body_sha256 (hex SHA-256 of the bytes sent).
 *
 * Each row goes through the postback's own reading, validation, amount bound and intake (receipt first,
 * then exactly one conversions.v1 event, answered once Kafka acknowledged it), and is answered on its own:
 * accepted with its conversion id, a duplicate of an earlier conversion with that one's id, or refused
 * with the field and the reason. Every row must carry an order id (or the mapping's conversion key), so
 * the same file uploaded again books nothing twice. File-level faults (not CSV, too big, no header, an
 * unclosed quote) are a 4xx before any row is booked. When Kafka or PostgreSQL fail, rows not yet tried are
 * left as not_tried and the answer is a 503: upload the same file again.
 */
export class ConversionUpload implements OnModuleInit {
  private readonly rowsTotal: Counter<'outcome'>;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly catalog: Catalog,
    private readonly authenticator: AdvertiserAuthenticator,
    private readonly clientAddresses: ClientAddresses,
    private readonly intake: PostbackIntake,
    private readonly logger: Logger,
    metrics: Registry,
  ) {
    this.rowsTotal = new Counter({
      name: 'tracklane_conversion_upload_rows_total',
      help: 'Rows of uploaded conversion files by outcome (accepted, duplicate, refused, not_tried)',
      labelNames: ['outcome'],
      registers: [metrics],
    });
  }

  onModuleInit(): void {
    const server = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    void server.register(async (scope) => {
      // Only this route reads CSV, and only it takes files this large.
      scope.addContentTypeParser(CSV_TYPES, { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_request, body, done) => done(null, body));
      scope.post(UPLOAD_PATH, { bodyLimit: MAX_UPLOAD_BYTES }, (request, reply) => this.handle(request, reply));
    });
  }

  async handle(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    try {
      const contentType = header(request, 'content-type')?.split(';')[0].trim().toLowerCase() ?? '';
      if (!CSV_TYPES.includes(contentType)) {
        throw new PostbackRefusal(415, 'unsupported_media_type', `send the file as ${CSV_TYPES.join(', ')}`);
      }
      // An empty body reaches no parser.
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const snapshot = this.catalog.current();
      const query = requestParams(request.query, undefined);
      const params: RequestParam[] = [...query, [BODY_DIGEST_PARAM, createHash('sha256').update(body).digest('hex')]];
      const { advertiser, mapping } = this.authenticator.authenticate(snapshot, {
        token: header(request, 'x-tracklane-token') ?? paramValue(query, 'token'),
        signature: header(request, 'x-tracklane-signature') ?? paramValue(query, 'signature'),
        timestamp: header(request, 'x-tracklane-timestamp') ?? paramValue(query, 'timestamp'),
        clientAddress: this.clientAddresses.of(request.socket.remoteAddress, request.headers['x-forwarded-for']),
        method: request.method,
        path: UPLOAD_PATH,
        params,
      });
      const table = readTable(utf8(body));
      const { answer, failed } = await this.book(advertiser.id, table, mapping, snapshot);
      this.logger.info(
        { advertiserId: advertiser.id, rows: answer.rows, accepted: answer.accepted, duplicates: answer.duplicates, refused: answer.refused, notTried: answer.notTried },
        'conversion file uploaded',
      );
      // Unavailable: 503, upload again later. A fault of ours: 500 with the rows' results, no Retry-After (it would fail again).
      if (answer.notTried > 0 && !failed) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      await reply.code(failed ? 500 : answer.notTried > 0 ? 503 : 200).header('content-type', JSON_TYPE).send(answer);
    } catch (error) {
      if (!(error instanceof PostbackRefusal)) throw error;
      sendRefusal(reply, 'json', error, header(request, 'accept'));
    }
  }

  private async book(
    advertiserId: number,
    table: Table,
    mapping: PartnerMapping,
    snapshot: CatalogSnapshot,
  ): Promise<{ answer: UploadAnswer; failed: boolean }> {
    const results: UploadRowResult[] = new Array(table.rows.length);
    let unavailable = false;
    let failed = false;
    let next = 0;
    const bookRow = async (index: number): Promise<UploadRowResult> => {
      const row = table.rows[index];
      const orderId = row.params.find(([name]) => name.toLowerCase() === 'order_id')?.[1] ?? null;
      try {
        if (row.problem) throw PostbackRefusal.invalid([row.problem]);
        const postback = interpretPostback({ params: row.params, jsonBody: undefined, idempotencyKey: undefined }, mapping, snapshot.advertiserAmountLimit(advertiserId));
        if (postback.orderId === null && postback.conversionKey === null) {
          throw PostbackRefusal.invalid([{ field: 'order_id', rule: 'required', reason: 'order_id is required in an uploaded file, so that uploading it again books nothing twice' }]);
        }
        const { answer, replayed } = await this.intake.accept(advertiserId, postback, { replayWindowSeconds: 0 });
        return { line: row.line, orderId: postback.orderId, outcome: replayed ? 'duplicate' : 'accepted', conversionId: answer.conversionId, kind: answer.kind };
      } catch (error) {
        if (error instanceof PostbackRefusal) {
          return { line: row.line, orderId, outcome: 'refused', status: error.status, error: error.error, reason: error.reason, ...(error.problems.length > 0 && { errors: error.problems }) };
        }
        // Kafka or PostgreSQL down, or a fault of ours: what is booked stays booked, the rest is answered not_tried.
        unavailable = true;
        if (error instanceof PostbackUnavailable) {
          this.logger.warn({ advertiserId, line: row.line, reason: error.reason, err: error.cause }, 'uploaded conversion not recorded; the rest of the file is not tried');
        } else {
          failed = true;
          this.logger.error({ advertiserId, line: row.line, err: error }, 'uploaded conversion failed unexpectedly; the rest of the file is not tried');
        }
        return { line: row.line, orderId, outcome: 'not_tried' };
      }
    };
    const worker = async () => {
      while (next < table.rows.length) {
        const index = next++;
        results[index] = unavailable ? { line: table.rows[index].line, orderId: null, outcome: 'not_tried' } : await bookRow(index);
      }
    };
    await Promise.all(Array.from({ length: ROWS_AT_ONCE }, worker));
    const count = (outcome: UploadRowResult['outcome']) => results.filter((result) => result.outcome === outcome).length;
    for (const outcome of ['accepted', 'duplicate', 'refused', 'not_tried'] as const) this.rowsTotal.inc({ outcome }, count(outcome));
    const answer = {
      ok: count('not_tried') === 0,
      rows: results.length,
      accepted: count('accepted'),
      duplicates: count('duplicate'),
      refused: count('refused'),
      notTried: count('not_tried'),
      results,
    };
    return { answer, failed };
  }
}

interface Table {
  rows: { line: number; params: RequestParam[]; problem?: FieldProblem }[];
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function utf8(body: Buffer): string {
  try {
    return UTF8.decode(body);
  } catch {
    throw invalidFile(1, 'the file is not UTF-8 (save it from the spreadsheet as CSV UTF-8)');
  }
}

function invalidFile(line: number, reason: string): PostbackRefusal {
  return new PostbackRefusal(400, 'invalid_file', `line ${line}: ${reason}`);
}

/** The file's rows as postback parameters (empty cells absent); a row that cannot be read carries its problem. */
function readTable(text: string): Table {
  let csv;
  try {
    csv = parseCsv(text, MAX_UPLOAD_ROWS);
  } catch (error) {
    if (error instanceof BadCsv) throw invalidFile(error.line, error.message);
    throw error;
  }
  const { header: columns, records } = csv;
  const blank = columns.findIndex((name) => name === '');
  if (blank !== -1) throw invalidFile(1, `column ${blank + 1} has no name`);
  const repeated = columns.find((name, index) => columns.findIndex((other) => other.toLowerCase() === name.toLowerCase()) !== index);
  if (repeated) throw invalidFile(1, `column ${repeated} is named twice`);
  if (records.length === 0) throw invalidFile(2, 'the file has a header but no rows');
  if (records.length > MAX_UPLOAD_ROWS) throw new PostbackRefusal(413, 'too_many_rows', `a file holds at most ${MAX_UPLOAD_ROWS} rows: split it`);
  return {
    rows: records.map(({ line, cells }) => {
      if (cells.length > columns.length) {
        return { line, params: [], problem: { field: 'row', rule: 'columns', reason: `the row has ${cells.length} cells, the header names ${columns.length} columns` } };
      }
      const values = Object.fromEntries(columns.flatMap((name, index) => (cells[index]?.trim() ? [[name, cells[index].trim()]] : [])));
      try {
        return { line, params: requestParams(values, undefined) };
      } catch (error) {
        if (!(error instanceof PostbackRefusal)) throw error;
        return { line, params: [], problem: error.problems[0] ?? { field: 'row', rule: 'readable', reason: error.reason } };
      }
    }),
  };
}
