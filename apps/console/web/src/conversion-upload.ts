/**
 * postback-ingest's answer to an uploaded conversions file
 * (POST /v1/conversions/upload, apps/postback-ingest/README.md), as the page
 * shows it. postback-ingest has no OpenAPI document for the typed client, so
 * its answer's shape is written down here.
 */
export interface FieldProblem {
  field: string;
  param?: string;
  reason: string;
}

export type UploadRowResult =
  | { line: number; orderId: string | null; outcome: 'accepted' | 'duplicate'; conversionId: string; kind: string }
  | { line: number; orderId: string | null; outcome: 'refused'; status: number; error: string; reason: string; errors?: FieldProblem[] }
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
 * What became of an upload: every row answered (200; 503 when some could not
 * be tried now, with Retry-After; 500 when postback-ingest failed on some),
 * or the whole file refused before any row was booked (a problem: not CSV,
 * too big, a bad token…).
 */
export type UploadOutcome = { kind: 'rows'; status: number; retryAfter: string | null; answer: UploadAnswer } | { kind: 'refused'; status: number; problem: unknown };

export function uploadOutcome(status: number, retryAfter: string | null, body: unknown): UploadOutcome {
  return isUploadAnswer(body) ? { kind: 'rows', status, retryAfter, answer: body } : { kind: 'refused', status, problem: body };
}

function isUploadAnswer(body: unknown): body is UploadAnswer {
  return typeof body === 'object' && body !== null && Array.isArray((body as UploadAnswer).results) && typeof (body as UploadAnswer).rows === 'number';
}

/** One row of the answer's table: what became of it and, for a refused row, each field with its reason. */
export interface RowView {
  line: number;
  orderId: string;
  outcome: UploadRowResult['outcome'];
  detail: string;
}

export function rowView(result: UploadRowResult): RowView {
  const base = { line: result.line, orderId: result.orderId ?? '', outcome: result.outcome };
  switch (result.outcome) {
    case 'accepted':
    case 'duplicate':
      return { ...base, detail: `${result.outcome === 'duplicate' ? 'already booked as ' : ''}conversion ${result.conversionId} (${result.kind})` };
    case 'refused': {
      const fields = (result.errors ?? []).map((problem) => {
        const name = problem.param && problem.param !== problem.field ? `${problem.param} (${problem.field})` : problem.field;
        // postback-ingest's reasons often start with the field already ("amount must be …").
        return problem.reason.startsWith(`${problem.field} `) ? `${name}: ${problem.reason.slice(problem.field.length + 1)}` : `${name}: ${problem.reason}`;
      });
      return { ...base, detail: fields.length > 0 ? fields.join('; ') : `${result.error}: ${result.reason}` };
    }
    case 'not_tried':
      return { ...base, detail: 'not tried: upload the same file again' };
  }
}

/** The answer in one sentence, as honest as the status it came with. */
export function uploadSummary(outcome: Extract<UploadOutcome, { kind: 'rows' }>): string {
  const { answer, status, retryAfter } = outcome;
  const counts = `${answer.rows} ${answer.rows === 1 ? 'row' : 'rows'}: ${answer.accepted} accepted, ${answer.duplicates} ${answer.duplicates === 1 ? 'duplicate' : 'duplicates'}, ${answer.refused} refused, ${answer.notTried} not tried.`;
  if (status === 503) {
    return `${counts} postback-ingest could not book every row now (503)${retryAfter ? `; try again in ${retryAfter} s` : ''}: upload the same file again, rows already booked are not booked twice.`;
  }
  if (status >= 500) return `${counts} postback-ingest failed (${status}); what was booked stays booked, and uploading the same file again books nothing twice.`;
  return counts;
}

/** The advertiser's postback token, as its postback URL (management's postback-url) carries it. */
export function postbackToken(postbackUrl: string): string | null {
  try {
    return new URL(postbackUrl).searchParams.get('token');
  } catch {
    return null;
  }
}
