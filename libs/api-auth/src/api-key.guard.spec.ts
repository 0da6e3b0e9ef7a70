import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiKeyRole, ApiKeyVerifier, Principal, Verification } from '@tracklane/api-keys';
import { ProblemException } from '@tracklane/http-api';
import { ApiKeyGuard } from './api-key.guard';
import { FailedKeyAttempts } from './failed-key-attempts';
import { presentedKey } from './presented-key';
import { KEY_IN_QUERY, ROLES } from './roles';

const principal = (role: ApiKeyRole, readOnly = false): Principal => ({ keyId: 1, role, advertiserId: null, affiliateId: null, readOnly });

interface Attempt {
  roles?: ApiKeyRole[];
  method?: string;
  keyInQuery?: boolean;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** What FailedKeyAttempts answers. */
  blockedFor?: number;
  failedAnswer?: number;
}

function attempt(verification: Verification, options: Attempt = {}) {
  const presented: Array<string | undefined> = [];
  const failures: string[] = [];
  const verifier = { verify: async (key: string | undefined) => (presented.push(key), verification) } as unknown as ApiKeyVerifier;
  const reflector = {
    getAllAndOverride: (key: unknown) => (key === ROLES ? options.roles : key === KEY_IN_QUERY ? options.keyInQuery : undefined),
  } as unknown as Reflector;
  const attempts = {
    retryAfter: () => options.blockedFor ?? 0,
    failed: async (address: string) => (failures.push(address), options.failedAnswer ?? 0),
  } as unknown as FailedKeyAttempts;
  const request: Record<string, unknown> = {
    method: options.method ?? 'GET',
    headers: options.headers ?? { 'x-api-key': 'tl_x' },
    query: options.query ?? {},
    ip: '198.51.100.7',
  };
  const context = {
    switchToHttp: () => ({ getRequest: () => request }),
    getHandler: () => undefined,
    getClass: () => undefined,
  } as unknown as ExecutionContext;
  return { result: new ApiKeyGuard(verifier, reflector, attempts).canActivate(context), request, presented, failures };
}

async function refusal(result: Promise<boolean>): Promise<ProblemException> {
  const error = await result.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ProblemException)) throw new Error(`expected a problem, got ${String(error)}`);
  return error;
}

describe('presentedKey', () => {
  it('takes the key from a Bearer authorization, else X-Api-Key, else ?api_key= where the route allows it', () => {
    expect(presentedKey({ authorization: 'Bearer tl_a_b', 'x-api-key': 'tl_other' }, { api_key: 'tl_q' })).toBe('tl_a_b');
    expect(presentedKey({ authorization: 'bearer   tl_a_b ' })).toBe('tl_a_b');
    expect(presentedKey({ 'x-api-key': 'tl_c_d' }, { api_key: 'tl_q' })).toBe('tl_c_d');
    expect(presentedKey({}, { api_key: 'tl_q' })).toBe('tl_q');
    expect(presentedKey({}, undefined)).toBeUndefined();
    expect(presentedKey({ authorization: 'Basic abc' })).toBe('Basic abc');
    expect(presentedKey({})).toBeUndefined();
  });
});

describe('ApiKeyGuard', () => {
  it('answers 401 as problem details with the reason and a WWW-Authenticate challenge', async () => {
    const error = await refusal(attempt({ ok: false, reason: 'revoked' }).result);
    expect(error.problem).toMatchObject({ type: 'urn:tracklane:problem:unauthenticated', status: 401, reason: 'revoked', detail: 'the API key has been revoked' });
    expect(error.headers['www-authenticate']).toBe('Bearer realm="tracklane"');
  });

  it('takes ?api_key= only on routes that accept it, and says so when it was sent elsewhere', async () => {
    const queryOnly = { headers: {}, query: { api_key: 'tl_q' } };
    const allowed = attempt({ ok: true, principal: principal('admin') }, { ...queryOnly, keyInQuery: true });
    await expect(allowed.result).resolves.toBe(true);
    expect(allowed.presented).toEqual(['tl_q']);
    const elsewhere = attempt({ ok: false, reason: 'missing' }, queryOnly);
    expect((await refusal(elsewhere.result)).problem.detail).toMatch(/does not take \?api_key=/);
    expect(elsewhere.presented).toEqual([undefined]);
    const missing = attempt({ ok: false, reason: 'missing' }, { headers: {}, keyInQuery: true });
    expect((await refusal(missing.result)).problem.detail).toMatch(/X-Api-Key.*\?api_key=/);
  });

  it('counts failed keys per client address, but not a missing key, and answers 429 with Retry-After over the limit', async () => {
    const unknown = attempt({ ok: false, reason: 'unknown' });
    expect((await refusal(unknown.result)).problem.status).toBe(401);
    expect(unknown.failures).toEqual(['198.51.100.7']);
    const missing = attempt({ ok: false, reason: 'missing' }, { headers: {} });
    await refusal(missing.result);
    expect(missing.failures).toEqual([]);
    const over = await refusal(attempt({ ok: false, reason: 'malformed' }, { failedAnswer: 42 }).result);
    expect(over.problem).toMatchObject({ type: 'urn:tracklane:problem:too-many-failed-attempts', status: 429, retryAfterSeconds: 42 });
    expect(over.headers['retry-after']).toBe('42');
  });

  it('refuses a blocked address before looking at its key, even a good one', async () => {
    const blocked = attempt({ ok: true, principal: principal('admin') }, { blockedFor: 30 });
    expect((await refusal(blocked.result)).problem.status).toBe(429);
    expect(blocked.presented).toEqual([]);
  });

  it('lets only admin keys through routes that name no roles', async () => {
    await expect(attempt({ ok: true, principal: principal('admin') }).result).resolves.toBe(true);
    expect((await refusal(attempt({ ok: true, principal: principal('affiliate') }).result)).problem).toMatchObject({
      status: 403,
      detail: 'affiliate keys may not use this endpoint',
    });
  });

  it('lets the named roles through and remembers who called', async () => {
    const { result, request } = attempt({ ok: true, principal: principal('affiliate') }, { roles: ['admin', 'affiliate'] });
    await expect(result).resolves.toBe(true);
    expect(request.principal).toEqual(principal('affiliate'));
    expect((await refusal(attempt({ ok: true, principal: principal('advertiser') }, { roles: ['affiliate'] }).result)).problem.status).toBe(403);
  });

  it('lets read-only keys read but not write', async () => {
    await expect(attempt({ ok: true, principal: principal('admin', true) }, { method: 'GET' }).result).resolves.toBe(true);
    for (const method of ['POST', 'PATCH', 'PUT', 'DELETE']) {
      expect((await refusal(attempt({ ok: true, principal: principal('admin', true) }, { method }).result)).problem.detail).toBe(
        'this API key is read-only',
      );
    }
  });
});
