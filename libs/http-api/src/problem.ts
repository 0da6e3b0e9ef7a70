import { STATUS_CODES } from 'node:http';

/**
 * Every HTTP service answers an error as problem details (RFC 9457):
 * `type` identifies the kind of problem (clients branch on it), `title` names
 * it, `status` repeats the HTTP status and `detail` says what is wrong with
 * this request in words a person can act on. Problems about the input name
 * each offending field or parameter in `errors`.
 *
 * This file is plain TypeScript without Nest or class-validator, so hot paths
 * (the redirect, the postback) can answer in the same shape at no cost.
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** One field, parameter or header that was refused, and why. */
export interface FieldProblem {
  /** The name as the client sent it: a body field (dotted path for nested ones), a query or path parameter, a header. */
  field: string;
  reason: string;
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The fields or parameters refused (400), or the one a key may not use (403). */
  errors?: FieldProblem[];
  /** Extension members of particular problems (e.g. `reason` of a 401). */
  [extension: string]: unknown;
}

/** Problem types clients may rely on: URIs never change meaning; new ones may be added. */
export const PROBLEM_TYPES = {
  invalidRequest: { slug: 'invalid-request', status: 400, title: 'The request is invalid' },
  unauthenticated: { slug: 'unauthenticated', status: 401, title: 'No valid API key' },
  forbidden: { slug: 'forbidden', status: 403, title: 'Not allowed for this API key' },
  notFound: { slug: 'not-found', status: 404, title: 'Not found' },
  conflict: { slug: 'conflict', status: 409, title: 'Conflicts with the current state' },
  tooManyFailedAttempts: { slug: 'too-many-failed-attempts', status: 429, title: 'Too many failed API key attempts' },
  internal: { slug: 'internal', status: 500, title: 'Internal error' },
  unavailable: { slug: 'unavailable', status: 503, title: 'Temporarily unavailable' },
} as const;

export type ProblemKind = keyof typeof PROBLEM_TYPES;

const TYPE_PREFIX = 'urn:tracklane:problem:';

export const problemTypeUri = (kind: ProblemKind): string => `${TYPE_PREFIX}${PROBLEM_TYPES[kind].slug}`;

const KIND_BY_STATUS = new Map<number, ProblemKind>(
  (Object.keys(PROBLEM_TYPES) as ProblemKind[]).map((kind) => [PROBLEM_TYPES[kind].status, kind]),
);

/** A problem of one of our kinds. */
export function problem(kind: ProblemKind, detail: string, extensions: Record<string, unknown> = {}): ProblemDetails {
  const { status, title } = PROBLEM_TYPES[kind];
  return { type: problemTypeUri(kind), title, status, detail, ...extensions };
}

/**
 * A problem for a bare HTTP status: our kind when there is one for the status,
 * else `about:blank` with the status phrase as title (RFC 9457, 4.2.1).
 */
export function problemForStatus(status: number, detail: string, extensions: Record<string, unknown> = {}): ProblemDetails {
  const kind = KIND_BY_STATUS.get(status);
  if (kind) return problem(kind, detail, extensions);
  return { type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail, ...extensions };
}

/** 400 naming each refused field; the detail lists them all. */
export function invalidFieldsProblem(errors: FieldProblem[]): ProblemDetails {
  return problem('invalidRequest', errors.map(({ field, reason }) => `${field}: ${reason}`).join('; '), { errors });
}

/**
 * Whether a client asked for problem details by media type (application/problem+json,
 * or JSON in general) rather than taking what it is given. For services whose
 * error answers predate problem details, or whose callers are browsers.
 */
export function asksForJson(accept: string | undefined): boolean {
  return accept !== undefined && /application\/(problem\+)?json/i.test(accept);
}

/** Whether the client named application/problem+json itself. */
export function asksForProblemJson(accept: string | undefined): boolean {
  return accept !== undefined && /application\/problem\+json/i.test(accept);
}
