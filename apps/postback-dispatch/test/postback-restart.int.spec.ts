import { createTestStack, HttpReceiver, ServiceProcess, TestStack, waitFor } from '@tracklane/testing';
import { Producer } from 'kafkajs';
import { Pool } from 'pg';
import { createAffiliate, decision, deliveryRows, FAST_DISPATCH_ENV, publish, seedOffer, waitForDeliveries } from './support';

const CONVERSIONS = 20;

describe('postback-dispatch killed (kill -9) in the middle of retries', () => {
  let stack: TestStack;
  let pool: Pool;
  let producer: Producer;
  let receiver: HttpReceiver;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    stack = await createTestStack();
    pool = new Pool({ connectionString: stack.database.url, max: 3 });
    await seedOffer(pool);
    producer = stack.topics.kafka.producer();
    await producer.connect();
  });
  afterAll(async () => {
    await Promise.all(processes.map((process) => process.kill()));
    await producer?.disconnect();
    await receiver?.close();
    await pool?.end();
    await stack?.destroy();
  });

  it('delivers every postback exactly once across the crash and the restart', async () => {
    // Conversion i fails (i mod 4) times before its receiver accepts it, so at any moment some
    // postbacks are delivered, some are waiting for a retry and some are in flight.
    const failuresOf = new Map<string, number>();
    let holding = false;
    receiver = await HttpReceiver.start({
      respond: (request, received) => {
        if (holding) return 'hang';
        const key = request.headers['idempotency-key'];
        const seen = received.filter((other) => other.headers['idempotency-key'] === key).length;
        return seen <= (failuresOf.get(key) ?? 0) ? { status: 503, body: 'try later' } : { status: 200 };
      },
    });
    const affiliateId = await createAffiliate(pool, { url: `${receiver.url}/pb?c={conversion_id}&s={status}` });
    const env = {
      ...stack.env,
      ...FAST_DISPATCH_ENV,
      POSTBACK_TIMEOUT_MS: '1000',
      POSTBACK_MAX_ATTEMPTS: '10',
      POSTBACK_RETRY_BASE_MS: '400',
      POSTBACK_RETRY_MAX_MS: '1500',
      LOG_LEVEL: 'info',
    };
    const first = await ServiceProcess.start({ app: 'postback-dispatch', env });
    processes.push(first);

    const events = Array.from({ length: CONVERSIONS }, () => decision(affiliateId));
    events.forEach((event, index) => failuresOf.set(`${event.conversionId}:approved`, index % 4));
    await publish(producer, stack, events);

    const states = async () => (await deliveryRows(pool, affiliateId)).map((row) => row.state);
    await waitFor(
      async () => {
        const now = await states();
        return now.filter((state) => state === 'delivered').length >= 5 && now.filter((state) => state === 'failed').length >= 3;
      },
      { timeoutMs: 30_000, what: 'some postbacks delivered and some waiting for a retry' },
    );

    // Hold new requests unanswered, and crash only once every 2xx already given is on record:
    // a 2xx in flight at the crash is the one case no sender can tell apart (that is what the
    // Idempotency-Key is for); everything else must come out exactly once.
    holding = true;
    await waitFor(
      async () => (await states()).filter((state) => state === 'delivered').length === receiver.succeeded().length,
      { what: 'every 2xx recorded' },
    );
    const deliveredBeforeCrash = (await deliveryRows(pool, affiliateId)).filter((row) => row.state === 'delivered');
    await first.kill();
    const crashedAt = Date.now();
    expect(first.logs()).toContain('postback attempt failed; will retry');
    holding = false;

    const second = await ServiceProcess.start({ app: 'postback-dispatch', env });
    processes.push(second);
    const rows = await waitForDeliveries(pool, affiliateId, CONVERSIONS, ['delivered'], 60_000);

    const successes = new Map<string, number>();
    for (const request of receiver.succeeded()) {
      const key = request.headers['idempotency-key'];
      successes.set(key, (successes.get(key) ?? 0) + 1);
    }
    expect([...successes.values()].every((count) => count === 1)).toBe(true);
    expect(successes.size).toBe(CONVERSIONS);
    const resent = receiver.requests.filter(
      (request) =>
        request.receivedAt > crashedAt &&
        deliveredBeforeCrash.some((row) => row.delivery_key === request.headers['idempotency-key']),
    );
    expect(resent).toHaveLength(0);
    for (const row of rows) {
      const answered = receiver.requests.filter((request) => request.headers['idempotency-key'] === row.delivery_key);
      expect(answered[answered.length - 1].answered).toBe(200);
    }

  });
});
