import { MicroBatcher } from './micro-batcher';

describe('MicroBatcher', () => {
  it('runs calls made together as one batch and answers each in order', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher(async (items: number[]) => {
      batches.push(items);
      return items.map((item) => item * 10);
    }, { maxBatch: 100, maxConcurrent: 1 });
    const results = await Promise.all([1, 2, 3].map((item) => batcher.add(item)));
    expect(results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('collects what arrives while a batch runs into the next one, within the size limit', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batcher = new MicroBatcher(async (items: number[]) => {
      batches.push(items);
      if (batches.length === 1) await gate;
      return items;
    }, { maxBatch: 2, maxConcurrent: 1 });
    const first = batcher.add(0);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = [1, 2, 3].map((item) => batcher.add(item));
    release();
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([[0], [1, 2], [3]]);
  });

  it('lingers before a batch when asked to, gathering calls made across event-loop turns', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher(async (items: number[]) => {
      batches.push(items);
      return items;
    }, { maxBatch: 100, maxConcurrent: 1, lingerMs: 30 });
    const first = batcher.add(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await Promise.all([first, batcher.add(2)]);
    expect(batches).toEqual([[1, 2]]);
  });

  it('fails every call of a failed batch, and keeps working afterwards', async () => {
    let fail = true;
    const batcher = new MicroBatcher(async (items: number[]) => {
      if (fail) throw new Error('database gone');
      return items;
    }, { maxBatch: 10, maxConcurrent: 2 });
    const failed = await Promise.allSettled([batcher.add(1), batcher.add(2)]);
    expect(failed.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await batcher.add(3)).toBe(3);
  });
});
