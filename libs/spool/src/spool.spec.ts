import { appendFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Spool } from './spool';
import { SpoolInUseError } from './spool-lock';
import { SpooledMessage, SpoolEntry } from './spool-record';

const message = (key: string, topic = 'clicks.v1'): SpooledMessage => ({ topic, key, value: Buffer.from(`{"id":"${key}"}`) });
const keys = (entries: SpoolEntry[]) => entries.map((entry) => entry.key);
const segmentFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.spool'));
const everything = { maxMessages: 10_000, maxBytes: 64 * 1024 * 1024 };

function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('Spool', () => {
  let dir: string;
  const open: Spool[] = [];
  const openSpool = async (options: { maxSegmentBytes?: number } = {}) => {
    const spool = await Spool.open({ dir, ...options });
    open.push(spool);
    return spool;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'spool-test-'));
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((spool) => spool.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps appended messages across a restart and gives them back in append order', async () => {
    const first = await openSpool();
    await Promise.all(['a', 'b', 'c', 'd'].map((key) => first.append(message(key))));
    await first.close();

    const second = await openSpool();
    expect(second.depth).toBe(4);
    const batch = await second.nextBatch(everything);
    expect(keys(batch)).toEqual(['a', 'b', 'c', 'd']);
    expect(batch[0].value.toString()).toBe('{"id":"a"}');
    expect(batch[0].topic).toBe('clicks.v1');
  });

  it('never names a new segment after one it deleted, even when replay never read the deleted ones', async () => {
    const spool = await openSpool();
    const names: string[] = [];
    for (const key of ['a', 'b', 'c']) {
      // Delivered by its own send: its segment is deleted once the delivery is written, before any replay.
      await spool.append(message(key), Promise.resolve());
      names.push(...segmentFiles(dir));
      await spool.written();
      await spool.written();
      expect(segmentFiles(dir)).toEqual([]);
    }
    // A replay position left in a deleted segment would otherwise point into its namesake at a random offset.
    expect(new Set(names).size).toBe(3);
    await spool.append(message('d'));
    expect(keys(await spool.nextBatch(everything))).toEqual(['d']);
  });

  it('replays in bounded batches of one topic', async () => {
    const spool = await openSpool();
    await Promise.all(['a', 'b', 'c'].map((key) => spool.append(message(key))));
    await spool.append(message('x', 'other.v1'));
    const limits = { maxMessages: 2, maxBytes: 1024 };
    const first = await spool.nextBatch(limits);
    spool.commit(first);
    const second = await spool.nextBatch(limits);
    spool.commit(second);
    const third = await spool.nextBatch(limits);
    expect([keys(first), keys(second), keys(third)]).toEqual([['a', 'b'], ['c'], ['x']]);
  });

  it('never replays what was committed, even after a restart, and deletes its files once drained', async () => {
    const first = await openSpool();
    await Promise.all(['a', 'b', 'c'].map((key) => first.append(message(key))));
    const batch = await first.nextBatch({ maxMessages: 2, maxBytes: 1024 });
    first.commit(batch);
    await first.close();

    const second = await openSpool();
    expect(second.depth).toBe(1);
    const rest = await second.nextBatch(everything);
    expect(keys(rest)).toEqual(['c']);
    second.commit(rest);
    await second.written();
    expect(second.drained).toBe(true);
    expect(segmentFiles(dir)).toEqual([]);
    await second.close();

    const third = await openSpool();
    expect(third.depth).toBe(0);
    expect(await third.nextBatch(everything)).toEqual([]);
  });

  it('skips a message whose original send succeeded late, also after a restart', async () => {
    const first = await openSpool();
    const lateSuccess = deferred();
    await first.append(message('late'), lateSuccess.promise);
    await first.append(message('spooled'));
    lateSuccess.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    await first.written();
    expect(first.depth).toBe(1);
    await first.close();

    const second = await openSpool();
    expect(second.depth).toBe(1);
    expect(keys(await second.nextBatch(everything))).toEqual(['spooled']);
  });

  it('waits for a pending original send before replaying past it, and replays it if that send fails', async () => {
    const spool = await openSpool();
    const failing = deferred();
    await spool.append(message('pending'), failing.promise);
    await spool.append(message('next'));

    let settled = false;
    const batch = spool.nextBatch(everything).then((entries) => {
      settled = true;
      return entries;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBe(false);
    failing.reject(new Error('broker gone'));
    expect(keys(await batch)).toEqual(['pending', 'next']);
  });

  it('hands out the same messages again when a batch was not committed (its replay failed)', async () => {
    const spool = await openSpool();
    await Promise.all(['a', 'b', 'c'].map((key) => spool.append(message(key))));
    const limits = { maxMessages: 2, maxBytes: 1024 };
    const first = await spool.nextBatch(limits);
    expect(keys(await spool.nextBatch(limits))).toEqual(keys(first));
    spool.commit(first);
    expect(keys(await spool.nextBatch(limits))).toEqual(['c']);
  });

  it('does not replay a message whose late ack is the one that drains the spool', async () => {
    const spool = await openSpool();
    const lateSuccess = deferred();
    await spool.append(message('only'), lateSuccess.promise);
    const batch = spool.nextBatch(everything);
    await new Promise((resolve) => setTimeout(resolve, 50)); // replay is now waiting for that send
    lateSuccess.resolve();
    expect(await batch).toEqual([]);
    expect(spool.depth).toBe(0);
    expect(spool.drained).toBe(true);
  });

  it('ignores a frame torn by a crash and keeps everything before it', async () => {
    const first = await openSpool();
    await Promise.all(['a', 'b'].map((key) => first.append(message(key))));
    await first.close();
    const [segment] = segmentFiles(dir);
    appendFileSync(join(dir, segment), Buffer.from([200, 0, 0, 0, 1, 2, 3]));

    const second = await openSpool();
    expect(keys(await second.nextBatch(everything))).toEqual(['a', 'b']);
  });

  it('rotates segments and deletes the oldest once they are delivered', async () => {
    const spool = await openSpool({ maxSegmentBytes: 100 });
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f']) await spool.append(message(key));
    expect(segmentFiles(dir).length).toBeGreaterThan(2);
    const batch = await spool.nextBatch({ maxMessages: 4, maxBytes: 1024 });
    spool.commit(batch);
    await spool.append(message('g'));
    await spool.written();
    // a–d filled the first two segments; e, f and g live in the later ones.
    expect(segmentFiles(dir).length).toBe(2);
    await spool.close();

    const reopened = await openSpool({ maxSegmentBytes: 100 });
    expect(keys(await reopened.nextBatch(everything))).toEqual(['e', 'f', 'g']);
  });

  it('refuses a directory another live process holds, and takes over one left by a dead process', async () => {
    writeFileSync(join(dir, 'spool.lock'), String(process.ppid));
    await expect(Spool.open({ dir })).rejects.toThrow(SpoolInUseError);

    writeFileSync(join(dir, 'spool.lock'), '2147483646');
    const takenOver = await openSpool();
    expect(takenOver.depth).toBe(0);
  });
});
