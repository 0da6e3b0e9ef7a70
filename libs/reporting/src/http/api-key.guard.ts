import { CanActivate, ExecutionContext, Injectable, UnauthorizedException, createParamDecorator } from '@nestjs/common';
import { ApiKeyVerifier, VerificationFailure } from '@tracklane/api-keys';
import type { FastifyRequest } from 'fastify';
import { Pool } from 'pg';
import { Visibility, visibilityOf } from '../query/visibility';

type ReportingRequest = FastifyRequest & { visibility?: Visibility };

const REASONS: Record<VerificationFailure, string> = {
  missing: 'no API key; send it in X-Api-Key, as Authorization: Bearer <key>, or as ?api_key= for tools that cannot set headers',
  malformed: 'is not shaped like a Tracklane API key',
  unknown: 'is not a known API key',
  revoked: 'has been revoked',
};

/** The key from the X-Api-Key header, a bearer token, or the api_key query parameter (spreadsheets). */
function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header;
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) return authorization.slice('Bearer '.length).trim();
  const query = (request.query as Record<string, unknown> | undefined)?.api_key;
  return typeof query === 'string' ? query : undefined;
}

/**
 * Every reporting endpoint only reads, so any live key may call it (read-only
 * keys included); what it then sees is decided by its role (see Visibility).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly verifier: ApiKeyVerifier,
    private readonly pool: Pool,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<ReportingRequest>();
    const result = await this.verifier.verify(presentedKey(request));
    if (!result.ok) {
      throw new UnauthorizedException({
        statusCode: 401,
        error: 'Unauthorized',
        parameter: 'api_key',
        message: `api_key: ${REASONS[result.reason]}`,
      });
    }
    const network =
      result.principal.role === 'advertiser'
        ? await this.pool.query<{ advertisers_see_payouts: boolean }>('SELECT advertisers_see_payouts FROM network_settings WHERE id = 1')
        : null;
    request.visibility = visibilityOf(result.principal, {
      advertisersSeePayouts: network?.rows[0]?.advertisers_see_payouts ?? false,
    });
    return true;
  }
}

/** What the calling key may see, as established by ApiKeyGuard. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): Visibility => {
  const visibility = context.switchToHttp().getRequest<ReportingRequest>().visibility;
  if (!visibility) throw new Error('ApiKeyGuard must run before @Caller() is read');
  return visibility;
});
