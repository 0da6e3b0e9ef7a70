import type { MessageProducer, OutgoingMessage } from '@tracklane/messaging';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DurablePublisher } from './durable-publisher';
import { Spool } from './spool';

/** A deterministic pseudo-random sequence (mulberry32), so a failing mix can be replayed. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stand-in for Kafka whose answers the test decides: ack at once, fail at once, hold until released, or a mix. */
class ScriptedProducer implements MessageProducer {
  mode: 'ack' | 'fail' | 'hold' | 'mixed' = 'ack';
  random = seeded(1);
  /** Keys Kafka acknowledged, in order: what the topic would hold. */
  readonly delivered: string[] = [];
  sends = 0;
  private held: Array<{ keys: string[]; resolve: () => void; reject: (error: Error) => void }> = [];

  prepare(): Promise<void> {
    return Promise.resolve();
  }

  send(_topic: string, messages: OutgoingMessage[]): Promise<void> {
    this.sends++;
    const keys = messages.map((message) => message.key);
    const draw = this.random();
    const mode = this.mode === 'mixed' ? (draw < 0.4 ? 'ack' : draw < 0.6 ? 'fail' : 'hold') : this.mode;
    if (mode === 'fail') return Promise.reject(new Error('broker unreachable'));
    if (mode === 'ack') {
      this.delivered.push(...keys);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.held.push({ keys, resolve, reject }));
  }

  /** Answers every held send: acknowledged (landing in the topic), failed, or each one either way. */
  release(outcome: 'ack' | 'fail' | 'mixed'): void {
    for (const send of this.held.splice(0)) {
      if (outcome === 'ack' || (outcome === 'mixed' && this.random() < 0.5)) {
        this.delivered.push(...send.keys);
        send.resolve();
      } else {
        send.reject(new Error('request timed out'));
      }
    }
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

const click = (key: string) => ({ topic: 'clicks.v1', key, value: Buffer.from(key) });
const keysOf = (count: number, stem: string) => Array.from({ length: count }, (_, i) => `${stem}${i}`);

async function eventually(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('DurablePublisher', () => {
  let dir: string;
  let spool: Spool;
  let producer: ScriptedProducer;
  let publisher: DurablePublisher;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'publisher-test-'));
    spool = await Spool.open({ dir });
    producer = new ScriptedProducer();
    publisher = new DurablePublisher(producer, spool, { deadlineMs: 30, replayBackoffMs: 5, maxReplayBackoffMs: 20 });
    publisher.start();
  });
  afterEach(async () => {
    producer.release('fail');
    await publisher.stop();
    await spool.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers once Kafka acknowledged, without touching the spool', async () => {
    await expect(publisher.publish(click('a'))).resolves.toBe('kafka');
    expect(producer.delivered).toEqual(['a']);
    expect(spool.depth).toBe(0);
  });

  it('spools a message whose send failed and replays it once Kafka answers again', async () => {
    producer.mode = 'fail';
    await expect(publisher.publish(click('a'))).resolves.toBe('spool');
    producer.mode = 'ack';
    await eventually(() => spool.drained, 'spool drained');
    expect(producer.delivered).toEqual(['a']);
  });

  it('after a miss, spools straight away until replay has drained the spool, then sends directly again', async () => {
    producer.mode = 'fail';
    await publisher.publish(click('first'));
    const sendsAfterMiss = producer.sends;
    await expect(Promise.all(keysOf(20, 'k').map((key) => publisher.publish(click(key))))).resolves.toEqual(
      Array(20).fill('spool'),
    );
    // Straight to disk: no send per message piles up behind a dead broker (only replay probes it).
    expect(producer.sends - sendsAfterMiss).toBeLessThan(20);

    producer.mode = 'ack';
    await eventually(() => spool.drained, 'spool drained');
    await expect(publisher.publish(click('after'))).resolves.toBe('kafka');
    expect(producer.delivered).toEqual(['first', ...keysOf(20, 'k'), 'after']);
  });

  it('delivers every message exactly once when the sends that missed the deadline succeed late', async () => {
    producer.mode = 'hold';
    const keys = keysOf(10, 'late');
    await expect(Promise.all(keys.map((key) => publisher.publish(click(key))))).resolves.toEqual(Array(10).fill('spool'));
    producer.mode = 'ack';
    producer.release('ack');
    await eventually(() => spool.drained, 'spool drained');
    expect(producer.delivered.sort()).toEqual([...keys].sort());
  });

  it('tries Kafka again after the spool failed too, rather than failing every message against the disk', async () => {
    producer.mode = 'fail';
    await spool.close(); // appends now fail, as on a full or broken disk
    await expect(publisher.publish(click('lost'))).rejects.toThrow('spool is closed');
    producer.mode = 'ack';
    await expect(publisher.publish(click('next'))).resolves.toBe('kafka');
    expect(producer.delivered).toEqual(['next']);
  });

  it.each([1, 2, 3])(
    'delivers every message exactly once through any mix of timely, failed, late and lost sends (seed %i)',
    async (seed) => {
      producer.random = seeded(seed);
      producer.mode = 'mixed';
      const keys = keysOf(300, 'm');
      for (let wave = 0; wave < 10; wave++) {
        const published = Promise.all(keys.slice(wave * 30, wave * 30 + 30).map((key) => publisher.publish(click(key))));
        await new Promise((resolve) => setTimeout(resolve, 10 + producer.random() * 40));
        producer.release('mixed');
        await published;
      }
      producer.mode = 'ack';
      producer.release('ack');
      await eventually(() => spool.drained, 'spool drained');
      expect(producer.delivered.sort()).toEqual([...keys].sort());
      expect(spool.depth).toBe(0);
    },
  );

  it('replays the sends that missed the deadline and then failed, exactly once', async () => {
    producer.mode = 'hold';
    const keys = keysOf(10, 'lost');
    await Promise.all(keys.map((key) => publisher.publish(click(key))));
    producer.mode = 'ack';
    producer.release('fail');
    await eventually(() => spool.drained, 'spool drained');
    expect(producer.delivered).toEqual(keys);
  });
});
