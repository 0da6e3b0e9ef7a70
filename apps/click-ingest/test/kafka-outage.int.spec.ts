import { clicksV1, ID_PATTERN, topicNames } from '@tracklane/contracts';
import { RunningService, startService } from '@tracklane/observability';
import { createTestStack, DedicatedKafkaBroker, readTopic, ServiceProcess, TestStack, waitFor } from '@tracklane/testing';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClickIngestEnv } from '../src/click-ingest.env';
import { clickIngest } from '../src/click-ingest.service';
import { seedCatalog } from './support/catalog-fixture';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

/** Sends `count` clicks at once; every one must be redirected. Returns their click ids. */
async function clickAll(url: string, count: number): Promise<string[]> {
  const responses = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      fetch(`${url}/c/10?aff_id=7&sub1=n${i}`, { redirect: 'manual', headers: { 'user-agent': `${BROWSER} ${i}` } }),
    ),
  );
  expect(responses.map((response) => response.status)).toEqual(Array(count).fill(302));
  return responses.map((response) => {
    const clickId = new URL(response.headers.get('location') ?? '').searchParams.get('cid') ?? '';
    expect(clickId).toMatch(ID_PATTERN);
    return clickId;
  });
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `) || candidate.startsWith(`${name}{`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : NaN;
}

const DEPTH = 'tracklane_spool_depth';
const REPLAYED = 'tracklane_spool_replayed_total';
const LATE_ACKS = 'tracklane_spool_late_acks_total';
const PRESUMED_DOWN = 'tracklane_spool_kafka_presumed_down';

describe('click-ingest when Kafka fails', () => {
  let broker: DedicatedKafkaBroker;
  let stack: TestStack;
  let topic: string;
  let spoolDir: string;

  beforeAll(async () => {
    broker = await DedicatedKafkaBroker.create();
    stack = await createTestStack({ brokers: broker.brokers, partitions: 3 });
    await seedCatalog(stack.database.url);
    topic = topicNames(clicksV1, stack.topics.prefix).main;
  }, 180_000);

  afterAll(async () => {
    await stack?.destroy();
    await broker?.destroy();
  });

  beforeEach(() => {
    spoolDir = mkdtempSync(join(tmpdir(), 'click-spool-'));
  });
  afterEach(() => rmSync(spoolDir, { recursive: true, force: true }));

  /** How often each click id is in clicks.v1: the whole topic, read from the beginning with a fresh group. */
  async function timesInTopic(clickIds: string[]): Promise<Map<string, number>> {
    const admin = stack.topics.kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
    const total = offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
    const messages = await readTopic(stack.topics.kafka, topic, { expected: total, timeoutMs: 60_000 });
    expect(messages).toHaveLength(total);
    const counts = new Map(clickIds.map((id) => [id, 0]));
    for (const message of messages) {
      const id = message.key ?? '';
      if (counts.has(id)) {
        counts.set(id, (counts.get(id) ?? 0) + 1);
        expect(clicksV1.decode(message.value).clickId).toBe(id);
      }
    }
    return counts;
  }

  function expectEachOnce(counts: Map<string, number>): void {
    expect([...counts].filter(([, times]) => times !== 1)).toEqual([]);
  }

  /**
   * A first few clicks connect the producer. On a broker that just started they may need the spool:
   * wait until it is drained and clicks go to Kafka directly again.
   */
  async function warmUp(url: string): Promise<void> {
    await clickAll(url, 3);
    await waitFor(async () => (await metric(url, DEPTH)) === 0 && (await metric(url, PRESUMED_DOWN)) === 0, {
      timeoutMs: 60_000,
      what: 'warm-up clicks delivered',
    });
  }

  async function startInProcess(): Promise<RunningService<ClickIngestEnv>> {
    const env = Object.assign(new ClickIngestEnv(), stack.env, { PORT: 0, LOG_LEVEL: 'error', CLICK_SPOOL_DIR: spoolDir });
    const service = await startService(clickIngest, env);
    try {
      await warmUp(service.url);
    } catch (error) {
      // A service left running (its catalogue reloads every minute) would keep Jest from ever exiting.
      await service.close();
      throw error;
    }
    return service;
  }

  it('redirects every click while Kafka is down, and each reaches clicks.v1 exactly once after it is back', async () => {
    const service = await startInProcess();
    try {
      const replayedBefore = await metric(service.url, REPLAYED);
      const lateBefore = await metric(service.url, LATE_ACKS);
      await broker.stop();
      const clickIds = await clickAll(service.url, 40);
      expect(await metric(service.url, DEPTH)).toBe(40);
      expect(readdirSync(spoolDir).some((name) => name.endsWith('.spool'))).toBe(true);

      await broker.start();
      await waitFor(async () => (await metric(service.url, DEPTH)) === 0, { timeoutMs: 60_000, what: 'spool drained' });
      // A send that was waiting when Kafka stopped may still get through once it is back (a late ack); the rest is replayed.
      const replayed = (await metric(service.url, REPLAYED)) - replayedBefore;
      const lateAcked = (await metric(service.url, LATE_ACKS)) - lateBefore;
      expect(replayed + lateAcked).toBe(40);
      expectEachOnce(await timesInTopic(clickIds));
      await waitFor(() => readdirSync(spoolDir).every((name) => !name.endsWith('.spool')), { what: 'segments deleted' });
    } finally {
      await broker.start();
      await service.close();
    }
  }, 120_000);

  it('does not replay clicks whose sends missed the deadline but were acknowledged late', async () => {
    const service = await startInProcess();
    let clickIds: string[];
    try {
      const replayedBefore = await metric(service.url, REPLAYED);
      const lateBefore = await metric(service.url, LATE_ACKS);
      broker.pause();
      try {
        clickIds = await clickAll(service.url, 40);
        expect(await metric(service.url, DEPTH)).toBe(40);
      } finally {
        broker.resume();
      }
      await waitFor(async () => (await metric(service.url, DEPTH)) === 0, { timeoutMs: 60_000, what: 'spool drained' });
      // Clicks that arrived after the first deadline passed went straight to the spool and were replayed;
      // the others were acknowledged late. Had any late-acknowledged click been replayed too, it would be in the topic twice.
      const lateAcked = (await metric(service.url, LATE_ACKS)) - lateBefore;
      const replayed = (await metric(service.url, REPLAYED)) - replayedBefore;
      expect(lateAcked).toBeGreaterThan(0);
      expect(lateAcked + replayed).toBe(40);
      expectEachOnce(await timesInTopic(clickIds));
    } finally {
      await service.close();
    }
  }, 120_000);

  it('never redirects a click that neither Kafka acknowledged nor the spool made durable: 503, no click id', async () => {
    const service = await startInProcess();
    try {
      await waitFor(() => readdirSync(spoolDir).every((name) => !name.endsWith('.spool')), { what: 'no open spool segment' });
      broker.pause();
      try {
        // The disk fails too: the spool directory is gone and a file stands where it was, so no segment can be written.
        rmSync(spoolDir, { recursive: true, force: true });
        writeFileSync(spoolDir, 'not a directory');
        const refused = await Promise.all(
          Array.from({ length: 5 }, (_, i) =>
            fetch(`${service.url}/c/10?aff_id=7&sub1=r${i}`, { redirect: 'manual', headers: { 'user-agent': `${BROWSER} r${i}` } }),
          ),
        );
        for (const response of refused) {
          expect(response.status).toBe(503);
          expect(response.headers.get('location')).toBeNull();
          expect(response.headers.get('retry-after')).toBe('1');
          expect(await response.text()).toContain('could not be recorded');
        }
        expect(await metric(service.url, 'tracklane_click_requests_total{outcome="not_recorded"}')).toBe(5);
        expect(await metric(service.url, 'tracklane_click_requests_total{outcome="redirected"}')).toBe(3); // the warm-up's

        // The disk is back while Kafka still stalls: clicks are spooled, and only then redirected.
        rmSync(spoolDir, { force: true });
        mkdirSync(spoolDir);
        const clickIds = await clickAll(service.url, 3);
        expect(await metric(service.url, DEPTH)).toBeGreaterThan(0);
        expect(readdirSync(spoolDir).some((name) => name.endsWith('.spool'))).toBe(true);
        broker.resume();
        await waitFor(async () => (await metric(service.url, DEPTH)) === 0, { timeoutMs: 60_000, what: 'spool drained' });
        expectEachOnce(await timesInTopic(clickIds));
      } finally {
        broker.resume();
      }
    } finally {
      if (!statSync(spoolDir).isDirectory()) rmSync(spoolDir);
      mkdirSync(spoolDir, { recursive: true });
      await service.close();
    }
  }, 120_000);

  it('replays what a process killed with kill -9 left in its spool once it is restarted', async () => {
    const env = { ...stack.env, CLICK_SPOOL_DIR: spoolDir };
    let service = await ServiceProcess.start({ app: 'click-ingest', env, startTimeoutMs: 60_000 });
    try {
      await warmUp(service.url);
      await broker.stop();
      const clickIds = await clickAll(service.url, 30);
      expect(await metric(service.url, DEPTH)).toBe(30);
      await service.kill();

      await broker.start();
      service = await ServiceProcess.start({ app: 'click-ingest', env, startTimeoutMs: 60_000 });
      expect(service.logs()).toContain('"undelivered":30');
      await waitFor(async () => (await metric(service.url, DEPTH)) === 0, { timeoutMs: 60_000, what: 'spool drained' });
      expect(await metric(service.url, REPLAYED)).toBe(30);
      expectEachOnce(await timesInTopic(clickIds));
    } finally {
      await broker.start();
      await service.kill();
    }
  }, 180_000);
});
