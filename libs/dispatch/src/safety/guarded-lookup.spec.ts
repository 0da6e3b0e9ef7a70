import { AddressPolicy, Target, targetOf } from '@tracklane/address-policy';
import { LookupAddress } from 'node:dns';
import { guardedLookup, Resolver, TargetRefused } from './guarded-lookup';

const target = (url: string) => targetOf(url) as Target;

describe('guardedLookup', () => {
  const resolving =
    (answers: Record<string, string[]>): Resolver =>
    (hostname, callback) => {
      const addresses = answers[hostname];
      if (!addresses) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
      callback(null, addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })));
    };
  const lookupWith = (policy: AddressPolicy, resolver: Resolver, url: string, all = true) =>
    new Promise<{ error: Error | null; result: unknown }>((resolve) =>
      guardedLookup(policy, target(url), resolver)(target(url).host.text, { all }, (error, result) => resolve({ error, result })),
    );
  const lookup = (policy: AddressPolicy, answers: Record<string, string[]>, url: string) => lookupWith(policy, resolving(answers), url);

  it('refuses a name when any one of its addresses is forbidden, naming the address only to the operator', async () => {
    const { error } = await lookup(new AddressPolicy(), { 'aff.example': ['93.184.216.34', '10.0.0.5'] }, 'http://aff.example/pb');
    expect(error).toBeInstanceOf(TargetRefused);
    expect(error?.message).toBe('target refused: aff.example resolves to an address that is not public');
    expect((error as TargetRefused).detail).toBe('aff.example resolves to 10.0.0.5, a private address');
  });

  it('refuses a name that points at the metadata service, or at a Teredo or NAT64-wrapped internal address', async () => {
    for (const address of ['169.254.169.254', '2001:0:4136:e378:8000:63bf:3fff:fdd2', '64:ff9b::a9fe:a9fe', '::ffff:127.0.0.1']) {
      const { error } = await lookup(new AddressPolicy(), { 'rebind.example': [address] }, 'http://rebind.example/');
      expect(error).toBeInstanceOf(TargetRefused);
    }
  });

  it('checks every lookup again: a resolver that changes its answer is caught when it does', async () => {
    const answers = [['93.184.216.34'], ['127.0.0.1']];
    const rebinding: Resolver = (hostname, callback) =>
      resolving({ [hostname]: answers.shift() ?? ['127.0.0.1'] })(hostname, callback);
    const first = await lookupWith(new AddressPolicy(), rebinding, 'http://rebind.example/');
    expect(first).toEqual({ error: null, result: [{ address: '93.184.216.34', family: 4 }] });
    const second = await lookupWith(new AddressPolicy(), rebinding, 'http://rebind.example/');
    expect(second.error).toBeInstanceOf(TargetRefused);
  });

  it('passes public addresses on, in the shape the socket asked for', async () => {
    const answers = { 'aff.example': ['93.184.216.34', '2606:2800:220:1::1'] };
    expect((await lookup(new AddressPolicy(), answers, 'http://aff.example/')).result).toEqual([
      { address: '93.184.216.34', family: 4 },
      { address: '2606:2800:220:1::1', family: 6 },
    ]);
    const single = await new Promise((resolve) =>
      guardedLookup(new AddressPolicy(), target('http://aff.example/'), resolving(answers))('aff.example', { family: 6 }, (_error, address, family) =>
        resolve([address, family]),
      ),
    );
    expect(single).toEqual(['2606:2800:220:1::1', 6]);
  });

  it('lets a listed name resolve anywhere, on its listed scheme and port only', async () => {
    const policy = new AddressPolicy(['https://hooks.internal:8443']);
    const answers = { 'hooks.internal': ['10.0.0.9'] };
    expect(await lookup(policy, answers, 'https://hooks.internal:8443/pb')).toEqual({ error: null, result: [{ address: '10.0.0.9', family: 4 }] });
    expect((await lookup(policy, answers, 'https://hooks.internal:9200/')).error).toBeInstanceOf(TargetRefused);
  });

  it('lets a name resolve to a listed address on its listed port only', async () => {
    const policy = new AddressPolicy(['http://127.0.0.1:8086']);
    const answers = { 'receiver.example': ['127.0.0.1'] };
    expect((await lookup(policy, answers, 'http://receiver.example:8086/')).error).toBeNull();
    expect((await lookup(policy, answers, 'http://receiver.example:6379/')).error).toBeInstanceOf(TargetRefused);
  });

  it('passes resolution errors through (they are retried, not refused)', async () => {
    const { error } = await lookup(new AddressPolicy(), {}, 'http://gone.example/');
    expect(error).not.toBeInstanceOf(TargetRefused);
    expect((error as NodeJS.ErrnoException).code).toBe('ENOTFOUND');
  });
});
