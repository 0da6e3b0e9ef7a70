import { ConsumedMessage } from '@tracklane/messaging';
import { isolatePoison } from './poison-isolation';

const message = (value: string, offset: number): ConsumedMessage<string> => ({
  topic: 't',
  partition: 0,
  offset: String(offset),
  key: value,
  value,
  headers: {},
  timestamp: 0,
  raw: Buffer.from(value),
});

const dataError = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });

describe('poison isolation', () => {
  const batch = ['a', 'poison', 'b'].map(message);

  it('runs a healthy batch once', async () => {
    const calls: string[][] = [];
    const outcome = await isolatePoison(batch, async (messages) => calls.push(messages.map((each) => each.value)));
    expect(calls).toEqual([['a', 'poison', 'b']]);
    expect(outcome.deadLetters).toEqual([]);
  });

  it('dead-letters only the messages the database refuses, and processes the others in order', async () => {
    const processed: string[] = [];
    const outcome = await isolatePoison(batch, async (messages) => {
      if (messages.some((each) => each.value === 'poison')) throw dataError;
      processed.push(...messages.map((each) => each.value));
    });
    expect(processed).toEqual(['a', 'b']);
    expect(outcome.deadLetters.map((dead) => [dead.message.offset, dead.error])).toEqual([
      ['1', 'refused by the database: invalid byte sequence for encoding "UTF8": 0x00'],
    ]);
  });

  it('throws transient errors for the consumer to retry, without splitting the batch', async () => {
    let calls = 0;
    const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    await expect(
      isolatePoison(batch, async () => {
        calls++;
        throw deadlock;
      }),
    ).rejects.toThrow('deadlock detected');
    expect(calls).toBe(1);
  });
});
