import { createTestRedis, TestRedis, waitFor } from '@tracklane/testing';
import { createRedis, Invalidation, InvalidationBus } from '../src';

describe('invalidation bus on a real Redis', () => {
  let redis: TestRedis;
  const clients: ReturnType<typeof createRedis>[] = [];
  const client = () => {
    const created = createRedis({ url: redis.url });
    clients.push(created);
    return created;
  };

  beforeAll(async () => {
    redis = await createTestRedis();
  });
  afterAll(async () => {
    clients.forEach((each) => each.disconnect());
    await redis.drop();
  });

  it('delivers a change to every subscriber of the same prefix, and to no other', async () => {
    const writer = new InvalidationBus(client(), client(), redis.prefix);
    const readerA = new InvalidationBus(client(), client(), redis.prefix);
    const readerB = new InvalidationBus(client(), client(), redis.prefix);
    const stranger = new InvalidationBus(client(), client(), `${redis.prefix}other:`);
    const heard: Record<string, Invalidation[]> = { a: [], b: [], stranger: [] };
    await readerA.subscribe((change) => heard.a.push(change));
    await readerB.subscribe((change) => heard.b.push(change));
    await stranger.subscribe((change) => heard.stranger.push(change));

    await writer.publish({ entity: 'offer', id: 42 });

    const offerChange = (changes: Invalidation[]) => changes.some((change) => change.entity === 'offer' && change.id === 42);
    await waitFor(() => offerChange(heard.a) && offerChange(heard.b), { timeoutMs: 1_000, what: 'both readers heard it' });
    expect(heard.stranger.filter((change) => change.entity === 'offer')).toEqual([]);
  });

  it('keeps keys under the prefix', async () => {
    await redis.client.set('probe', '1');
    const raw = client();
    expect(await raw.get(`${redis.prefix}probe`)).toBe('1');
    expect(await raw.get('probe')).toBeNull();
  });
});
