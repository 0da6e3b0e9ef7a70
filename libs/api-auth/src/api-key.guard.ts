import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyRole, ApiKeyVerifier, VerificationFailure } from '@tracklane/api-keys';
import { forbidden, problem, ProblemException } from '@tracklane/http-api';
import { AuthenticatedRequest } from './caller';
import { FailedKeyAttempts } from './failed-key-attempts';
import { keyInQuery, presentedKey } from './presented-key';
import { KEY_IN_QUERY, ROLES } from './roles';

interface HttpRequest extends AuthenticatedRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  query?: unknown;
  /** The client's address (Fastify: the socket peer, or X-Forwarded-For from a trusted proxy). */
  ip: string;
}

const HOW = 'send "Authorization: Bearer <key>" or "X-Api-Key: <key>"';

const FAILURES: Record<VerificationFailure, string> = {
  missing: `an API key is required: ${HOW}`,
  malformed: 'the API key is not shaped like a Tracklane key',
  unknown: 'the API key is not known',
  revoked: 'the API key has been revoked',
};

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

function missingDetail(keyInQueryAccepted: boolean, keyInQueryGiven: boolean): string {
  if (keyInQueryAccepted) return `${FAILURES.missing}, or ?api_key=<key> for tools that cannot set headers`;
  if (keyInQueryGiven) return `${FAILURES.missing}; this endpoint does not take ?api_key= (only GET report endpoints do)`;
  return FAILURES.missing;
}

/**
 * The one API-key guard of the management and reporting APIs. Authenticates
 * every request by API key (checked against the database each time, so a
 * revoked key is refused at once), then authorises it by role (@Roles; admin
 * only by default) and refuses writes with read-only keys. 401 says why the
 * key was refused (`reason`); 403 what the key may not do; an address with
 * too many failed attempts gets 429 with Retry-After.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly verifier: ApiKeyVerifier,
    private readonly reflector: Reflector,
    private readonly failedAttempts: FailedKeyAttempts,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const targets = [context.getHandler(), context.getClass()];
    const blockedFor = this.failedAttempts.retryAfter(request.ip);
    if (blockedFor > 0) throw tooManyFailedAttempts(blockedFor);

    const queryAccepted = this.reflector.getAllAndOverride<boolean | undefined>(KEY_IN_QUERY, targets) === true;
    const verification = await this.verifier.verify(presentedKey(request.headers, queryAccepted ? request.query : undefined));
    if (!verification.ok) {
      if (verification.reason !== 'missing') {
        const wait = await this.failedAttempts.failed(request.ip);
        if (wait > 0) throw tooManyFailedAttempts(wait);
      }
      const detail =
        verification.reason === 'missing' ? missingDetail(queryAccepted, keyInQuery(request.query) !== undefined) : FAILURES[verification.reason];
      throw new ProblemException(problem('unauthenticated', detail, { reason: verification.reason }), {
        'www-authenticate': 'Bearer realm="tracklane"',
      });
    }

    const principal = verification.principal;
    const roles = this.reflector.getAllAndOverride<ApiKeyRole[] | undefined>(ROLES, targets) ?? ['admin'];
    if (!roles.includes(principal.role)) throw forbidden(`${principal.role} keys may not use this endpoint`);
    if (principal.readOnly && !READS.has(request.method)) throw forbidden('this API key is read-only');
    request.principal = principal;
    return true;
  }
}

function tooManyFailedAttempts(seconds: number): ProblemException {
  return new ProblemException(
    problem('tooManyFailedAttempts', `too many failed API key attempts from this address; try again in ${seconds} s`, {
      retryAfterSeconds: seconds,
    }),
    { 'retry-after': String(seconds) },
  );
}
