import { ExecutionContext, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyRole, ApiKeyVerifier, Principal, Verification } from '@tracklane/api-keys';
import { ApiKeyGuard, presentedKey } from './api-key.guard';
import { ROLES } from './roles';

const principal = (role: ApiKeyRole, readOnly = false): Principal => ({ keyId: 1, role, advertiserId: null, affiliateId: null, readOnly });

function attempt(verification: Verification, options: { roles?: ApiKeyRole[]; method?: string } = {}) {
  const verifier = { verify: async () => verification } as unknown as ApiKeyVerifier;
  const reflector = { getAllAndOverride: (key: unknown) => (key === ROLES ? options.roles : undefined) } as unknown as Reflector;
  const request: Record<string, unknown> = { method: options.method ?? 'GET', headers: { 'x-api-key': 'tl_x' } };
  const headers: Record<string, string> = {};
  const context = {
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({ header: (name: string, value: string) => (headers[name] = value) }) }),
    getHandler: () => undefined,
    getClass: () => undefined,
  } as unknown as ExecutionContext;
  return { result: new ApiKeyGuard(verifier, reflector).canActivate(context), request, headers };
}

describe('ApiKeyGuard', () => {
  it('takes the key from a Bearer authorization, else from X-Api-Key', () => {
    expect(presentedKey({ authorization: 'Bearer tl_a_b', 'x-api-key': 'tl_other' })).toBe('tl_a_b');
    expect(presentedKey({ authorization: 'bearer   tl_a_b ' })).toBe('tl_a_b');
    expect(presentedKey({ 'x-api-key': 'tl_c_d' })).toBe('tl_c_d');
    expect(presentedKey({ authorization: 'Basic abc' })).toBe('Basic abc');
    expect(presentedKey({})).toBeUndefined();
  });

  it('answers 401 with the reason and a WWW-Authenticate challenge', async () => {
    const { result, headers } = attempt({ ok: false, reason: 'revoked' });
    await expect(result).rejects.toBeInstanceOf(UnauthorizedException);
    await result.catch((error: UnauthorizedException) => expect(error.getResponse()).toMatchObject({ reason: 'revoked' }));
    expect(headers['WWW-Authenticate']).toBe('Bearer realm="tracklane"');
  });

  it('lets only admin keys through routes that name no roles', async () => {
    await expect(attempt({ ok: true, principal: principal('admin') }).result).resolves.toBe(true);
    await expect(attempt({ ok: true, principal: principal('affiliate') }).result).rejects.toBeInstanceOf(ForbiddenException);
  });

  it('lets the named roles through and remembers who called', async () => {
    const { result, request } = attempt({ ok: true, principal: principal('affiliate') }, { roles: ['admin', 'affiliate'] });
    await expect(result).resolves.toBe(true);
    expect(request.principal).toEqual(principal('affiliate'));
    await expect(attempt({ ok: true, principal: principal('advertiser') }, { roles: ['affiliate'] }).result).rejects.toBeInstanceOf(
      ForbiddenException,
    );
  });

  it('lets read-only keys read but not write', async () => {
    await expect(attempt({ ok: true, principal: principal('admin', true) }, { method: 'GET' }).result).resolves.toBe(true);
    for (const method of ['POST', 'PATCH', 'PUT', 'DELETE']) {
      await expect(attempt({ ok: true, principal: principal('admin', true) }, { method }).result).rejects.toBeInstanceOf(ForbiddenException);
    }
  });
});
