import { loadEnv } from '@tracklane/config';
import { AttributionV1, ClickV1, ConversionV1, attributionsV1, clicksV1, conversionsV1, topicNames } from '@tracklane/contracts';
import { KafkaMessageProducer } from '@tracklane/messaging';
import { RunningService, startService } from '@tracklane/observability';
import { TestStack, createTestStack, uniqueName, waitFor } from '@tracklane/testing';
import { Consumer } from 'kafkajs';
import { Pool } from 'pg';
import { AttributionEnv } from '../src/attribution.env';
import { attributionService } from '../src/attribution.service';

export interface ConversionRow {
  conversion_id: string;
  click_id: string | null;
  status: string;
  reason: string;
  revenue: string;
  payout: string;
  currency: string;
  offer_id: number | null;
  affiliate_id: number | null;
  goal_code: string | null;
  reported_click_id: string | null;
  coupon_code: string | null;
}

/** Everything one attribution suite runs against: private topics, database and Redis keys, a producer and a reader of attributions.v1. */
export class AttributionHarness {
  readonly events: AttributionV1[] = [];
  readonly deadLetters: Array<{ topic: string; key: string | null; headers: Record<string, string> }> = [];
  private readonly services: Array<RunningService<AttributionEnv>> = [];
  private readonly readers: Consumer[] = [];

  private constructor(
    readonly stack: TestStack,
    readonly pool: Pool,
    readonly producer: KafkaMessageProducer,
  ) {}

  static async create(options: { partitions?: number; brokers?: string } = {}): Promise<AttributionHarness> {
    const stack = await createTestStack({ partitions: options.partitions ?? 3, brokers: options.brokers });
    const pool = new Pool({ connectionString: stack.database.url, max: 4 });
    const harness = new AttributionHarness(stack, pool, new KafkaMessageProducer(stack.topics.kafka));
    await harness.collect(topicNames(attributionsV1, stack.topics.prefix).main, (value) => harness.events.push(attributionsV1.decode(value)));
    for (const contract of [clicksV1, conversionsV1]) {
      const topic = topicNames(contract, stack.topics.prefix).deadLetter;
      await harness.collect(topic, (_, key, headers) => harness.deadLetters.push({ topic: contract.topic, key, headers }));
    }
    return harness;
  }

  env(overrides: Partial<Record<keyof AttributionEnv, string | number>> = {}): Record<string, string> {
    return Object.fromEntries(
      Object.entries({
        ...this.stack.env,
        LOG_LEVEL: 'warn',
        // The broker's minimum: a killed instance's partitions move on quickly.
        KAFKA_SESSION_TIMEOUT_MS: 6_000,
        CONVERSION_RETRY_INITIAL_BACKOFF_MS: 200,
        CONVERSION_RETRY_MAX_BACKOFF_MS: 1_000,
        ...overrides,
      }).map(([name, value]) => [name, String(value)]),
    );
  }

  /** Starts an instance in this process. */
  async start(overrides: Partial<Record<keyof AttributionEnv, string | number>> = {}): Promise<RunningService<AttributionEnv>> {
    const service = await startService(attributionService, loadEnv(AttributionEnv, this.env(overrides)));
    this.services.push(service);
    return service;
  }

  /** Stops an instance gracefully (it finishes and commits the batches in hand, then leaves its groups). */
  async stop(service: RunningService<AttributionEnv>): Promise<void> {
    this.services.splice(this.services.indexOf(service), 1);
    await service.close();
  }

  async publishClicks(clicks: ClickV1[]): Promise<void> {
    const topic = topicNames(clicksV1, this.stack.topics.prefix).main;
    await this.producer.send(topic, clicks.map((click) => ({ key: clicksV1.keyOf(click), value: clicksV1.encode(click) })));
  }

  async publishConversions(conversions: ConversionV1[]): Promise<void> {
    const topic = topicNames(conversionsV1, this.stack.topics.prefix).main;
    await this.producer.send(
      topic,
      conversions.map((conversion) => ({ key: conversionsV1.keyOf(conversion), value: conversionsV1.encode(conversion) })),
    );
  }

  async publishRaw(contractTopic: 'clicks' | 'conversions', key: string, value: string): Promise<void> {
    const names = topicNames(contractTopic === 'clicks' ? clicksV1 : conversionsV1, this.stack.topics.prefix);
    await this.producer.send(names.main, [{ key, value }]);
  }

  async conversions(ids: string[]): Promise<Map<string, ConversionRow>> {
    const { rows } = await this.pool.query<ConversionRow>(
      `SELECT conversion_id, click_id, status, reason, revenue::text, payout::text, currency, offer_id, affiliate_id, goal_code,
              reported_click_id, coupon_code
       FROM conversions WHERE conversion_id = ANY($1)`,
      [ids],
    );
    return new Map(rows.map((row) => [row.conversion_id, row]));
  }

  /** Waits until every conversion is booked; returns their rows. */
  async booked(ids: string[], timeoutMs = 30_000): Promise<Map<string, ConversionRow>> {
    return waitFor(
      async () => {
        const rows = await this.conversions(ids);
        return rows.size === ids.length ? rows : undefined;
      },
      { timeoutMs, intervalMs: 100, what: `${ids.length} conversions booked` },
    );
  }

  async eventsFor(eventIds: string[], timeoutMs = 20_000): Promise<AttributionV1[]> {
    return waitFor(
      () => {
        const found = this.events.filter((event) => eventIds.includes(event.eventId));
        return new Set(found.map((event) => event.eventId)).size === new Set(eventIds).size ? found : undefined;
      },
      { timeoutMs, what: `events ${eventIds.length}` },
    );
  }

  async destroy(): Promise<void> {
    for (const service of this.services) await service.close().catch(() => undefined);
    for (const reader of this.readers) await reader.disconnect().catch(() => undefined);
    await this.producer.close();
    await this.pool.end();
    await this.stack.destroy();
  }

  private async collect(
    topic: string,
    onMessage: (value: Buffer | null, key: string | null, headers: Record<string, string>) => void,
  ): Promise<void> {
    const reader = this.stack.topics.kafka.consumer({ groupId: uniqueName('collector'), maxWaitTimeInMs: 100 });
    await reader.connect();
    await reader.subscribe({ topic, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) if (value !== undefined) headers[name] = String(value);
        onMessage(message.value, message.key?.toString() ?? null, headers);
      },
    });
    this.readers.push(reader);
  }
}
