import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyRole, ApiKeyVerifier, VerificationFailure } from '@tracklane/api-keys';
import { AuthenticatedRequest } from './caller';
import { ROLES } from './roles';

interface HttpRequest extends AuthenticatedRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
}

interface HttpReply {
  header(name: string, value: string): unknown;
}

const FAILURES: Record<VerificationFailure, string> = {
  missing: 'an API key is required: send "Authorization: Bearer <key>" or "X-Api-Key: <key>"',
  malformed: 'the API key is not shaped like a Tracklane key',
  unknown: 'the API key is not known',
  revoked: 'the API key has been revoked',
};

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The key from "Authorization: Bearer <key>", else from "X-Api-Key". */
export function presentedKey(headers: HttpRequest['headers']): string | undefined {
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match ? match[1] : authorization;
  }
  const header = headers['x-api-key'];
  return typeof header === 'string' ? header : undefined;
}

/**
 * Authenticates every request by API key (checked against the database each
 * time, so a revoked key is refused at once), then authorises it by role
 * (@Roles; admin only by default) and refuses writes with read-only keys.
 * 401 carries a machine-readable reason; 403 says what the key may not do.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly verifier: ApiKeyVerifier,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<HttpRequest>();
    const verification = await this.verifier.verify(presentedKey(request.headers));
    if (!verification.ok) {
      http.getResponse<HttpReply>().header('WWW-Authenticate', 'Bearer realm="tracklane"');
      throw new UnauthorizedException({
        statusCode: 401,
        error: 'Unauthorized',
        reason: verification.reason,
        message: FAILURES[verification.reason],
      });
    }
    const principal = verification.principal;
    const roles = this.reflector.getAllAndOverride<ApiKeyRole[] | undefined>(ROLES, [context.getHandler(), context.getClass()]) ?? [
      'admin',
    ];
    if (!roles.includes(principal.role)) {
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: `${principal.role} keys may not use this endpoint` });
    }
    if (principal.readOnly && !READS.has(request.method)) {
      throw new ForbiddenException({ statusCode: 403, error: 'Forbidden', message: 'this API key is read-only' });
    }
    request.principal = principal;
    return true;
  }
}
