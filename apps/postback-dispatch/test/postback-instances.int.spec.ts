import { InvalidationBus } from '@tracklane/cache';
import { announceCatalogChange, Catalog } from '@tracklane/catalog';
import { RunningService, startService } from '@tracklane/observability';
import { createTestStack, HttpReceiver, TestStack, waitFor } from '@tracklane/testing';
import { Producer } from 'kafkajs';
import { Pool } from 'pg';
import { DispatchEnv } from '../src/dispatch-env';
import { postbackDispatchService } from '../src/postback-dispatch.service';
import { createAffiliate, decision, FAST_DISPATCH_ENV, publish, seedOffer, waitForDeliveries } from './support';

describe('two postback-dispatch instances on one database and consumer group', () => {
  let stack: TestStack;
  let pool: Pool;
  let producer: Producer;
  let receiver: HttpReceiver;
  const instances: RunningService<DispatchEnv>[] = [];

  const deliveredBy = async (instance: RunningService<DispatchEnv>) => {
    const metrics = await (await fetch(`${instance.url}/metrics`)).text();
    return Number(/^tracklane_postback_attempts_total\{outcome="delivered"\} (\d+)/m.exec(metrics)?.[1] ?? 0);
  };

  beforeAll(async () => {
    stack = await createTestStack();
    pool = new Pool({ connectionString: stack.database.url, max: 3 });
    await seedOffer(pool);
    const env = Object.assign(new DispatchEnv(), stack.env, FAST_DISPATCH_ENV, { POSTBACK_PER_HOST_CONCURRENCY: 2 });
    for (let count = 0; count < 2; count++) instances.push(await startService(postbackDispatchService, env));
    // Both in the group before anything is published: what follows is the steady state, not a join.
    for (const instance of instances) {
      await waitFor(async () => (await fetch(`${instance.url}/readyz`)).status === 200, { timeoutMs: 45_000, what: 'consumer joined' });
    }
    producer = stack.topics.kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect();
    for (const instance of instances.reverse()) await instance.close();
    await receiver?.close();
    await pool?.end();
    await stack?.destroy();
  });

  it('share the sending without delivering anything twice', async () => {
    receiver = await HttpReceiver.start({
      respond: async () => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return { status: 200 };
      },
    });
    const id = await createAffiliate(pool, { url: `${receiver.url}/pb?c={conversion_id}` });
    await announceCatalogChange(instances[0].app.get(InvalidationBus), 'affiliate', id);
    for (const instance of instances) {
      await waitFor(() => instance.app.get(Catalog).current().affiliate(id), { what: 'the affiliate in each catalogue' });
    }
    await publish(producer, stack, Array.from({ length: 40 }, () => decision(id)));
    await waitForDeliveries(pool, id, 40, ['delivered']);

    const keys = receiver.requests.map((request) => request.headers['idempotency-key']);
    expect(keys).toHaveLength(40);
    expect(new Set(keys).size).toBe(40);
    // Each instance sends at most 2 at a time to this host, so neither can have taken everything.
    const [first, second] = await Promise.all(instances.map(deliveredBy));
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(0);
    expect(first + second).toBe(40);
    expect(receiver.maxOpen).toBeLessThanOrEqual(4);
  });
});
