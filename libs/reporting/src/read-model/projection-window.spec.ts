import { ProjectionWindow } from './projection-window';

const LIMITS = { maxMs: 200, maxMessages: 1_000, lingerMs: 5 };

/** Records every window applied; each batch's result is its sum. */
function recorder(gate?: Promise<void>) {
  const windows: number[][][] = [];
  const apply = async (batches: number[][]) => {
    windows.push(batches);
    await gate;
    return batches.map((batch) => batch.reduce((sum, value) => sum + value, 0));
  };
  return { windows, apply };
}

describe('ProjectionWindow', () => {
  it('applies the batches handed over together in one call, and gives each batch its own result', async () => {
    const { windows, apply } = recorder();
    const window = new ProjectionWindow(apply, LIMITS);
    const results = await Promise.all([window.add([1, 2]), window.add([3]), window.add([4, 5, 6])]);
    expect(windows).toEqual([[[1, 2], [3], [4, 5, 6]]]);
    expect(results).toEqual([3, 3, 15]);
  });

  it('gathers what arrives while a window is applied into the next one, applied right after', async () => {
    let open = () => undefined as void;
    const { windows, apply } = recorder(new Promise<void>((resolve) => (open = resolve)));
    const window = new ProjectionWindow(apply, LIMITS);
    const first = window.add([1]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const later = [window.add([2]), window.add([3])];
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(windows).toEqual([[[1]]]); // one window at a time
    open();
    expect(await Promise.all([first, ...later])).toEqual([1, 2, 3]);
    expect(windows).toEqual([[[1]], [[2], [3]]]);
  });

  it('applies a window once it holds maxMessages, without waiting', async () => {
    const { windows, apply } = recorder();
    const window = new ProjectionWindow(apply, { maxMs: 60_000, maxMessages: 3, lingerMs: 60_000 });
    const started = Date.now();
    await Promise.all([window.add([1, 1]), window.add([1, 1])]);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(windows).toEqual([[[1, 1], [1, 1]]]);
  });

  it('closes a window at maxMessages, so batches handed over together make several windows of about that size, in order', async () => {
    const { windows, apply } = recorder();
    const window = new ProjectionWindow(apply, { maxMs: 200, maxMessages: 4, lingerMs: 5 });
    const results = await Promise.all([window.add([1, 1]), window.add([2, 2]), window.add([3, 3]), window.add([4, 4]), window.add([5])]);
    expect(windows).toEqual([[[1, 1], [2, 2]], [[3, 3], [4, 4]], [[5]]]);
    expect(results).toEqual([2, 4, 6, 8, 5]);
  });

  it('applies a window after maxMs even while batches keep joining it', async () => {
    const { windows, apply } = recorder();
    const window = new ProjectionWindow(apply, { maxMs: 50, maxMessages: 1_000, lingerMs: 30 });
    const added: Promise<number>[] = [];
    for (let index = 0; index < 10; index++) {
      added.push(window.add([index]));
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    await Promise.all(added);
    expect(windows.length).toBeGreaterThan(1);
    expect(windows.flat()).toEqual(Array.from({ length: 10 }, (_, index) => [index]));
  });

  it('fails every batch of a window that fails, so that each is retried and none is committed', async () => {
    const window = new ProjectionWindow<number, number>(async () => {
      throw new Error('connection lost');
    }, LIMITS);
    const outcomes = await Promise.allSettled([window.add([1]), window.add([2])]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  });

  it('applies each batch on its own, at once, when windows are off (maxMs 0)', async () => {
    const { windows, apply } = recorder();
    const window = new ProjectionWindow(apply, { ...LIMITS, maxMs: 0 });
    expect(await Promise.all([window.add([1]), window.add([2])])).toEqual([1, 2]);
    expect(windows).toEqual([[[1]], [[2]]]);
  });
});
