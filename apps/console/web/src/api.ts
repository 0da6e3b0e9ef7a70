import { isProblem, managementClient, reportingClient, type ProblemDetails } from '@tracklane/api-client';
import { uploadOutcome, type UploadOutcome } from './conversion-upload';
import { storedKey } from './session';

/**
 * The public APIs, through the console's own origin (its server proxies
 * /api/management and /api/reporting), called with the signed-in user's key:
 * tenancy is enforced by the services, never by this page.
 */
export const management = managementClient({ baseUrl: `${location.origin}/api/management`, apiKey: storedKey });
export const reporting = reportingClient({ baseUrl: `${location.origin}/api/reporting`, apiKey: storedKey });

/** An API answer that was not a success, with the problem's field errors when it named any. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: ProblemDetails | undefined,
  ) {
    super(problem ? [problem.title, problem.detail].filter(Boolean).join(': ') : `The API answered ${status}`);
  }

  /** The fields or parameters the API refused, each with its reason. */
  get fieldErrors(): Array<{ field: string; reason: string }> {
    return this.problem?.errors ?? [];
  }
}

/** The data of an answer, or an ApiError to show beside the form or table that asked. */
export function answer<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || result.data === undefined || !result.response.ok) {
    throw new ApiError(result.response.status, isProblem(result.error) ? result.error : undefined);
  }
  return result.data;
}

/**
 * An advertiser's offline conversions file, to postback-ingest through the
 * console's origin (/api/postback, which passes this call only). It
 * authenticates as the advertiser's postbacks do, with its postback token; the
 * signed-in key is not sent, postback-ingest takes none.
 */
export async function uploadConversions(postbackToken: string, file: Blob): Promise<UploadOutcome> {
  const response = await fetch(`${location.origin}/api/postback/v1/conversions/upload`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', 'x-tracklane-token': postbackToken, accept: 'application/json' },
    body: file,
  });
  const body: unknown = await response.json().catch(() => undefined);
  return uploadOutcome(response.status, response.headers.get('retry-after'), body);
}
