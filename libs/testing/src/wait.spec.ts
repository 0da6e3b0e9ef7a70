import { waitFor } from './wait';

describe('waitFor', () => {
  it.each([undefined, null, false, 0, ''])('keeps waiting while the probe returns %j', async (notYet) => {
    let calls = 0;
    const value = await waitFor(() => (++calls < 3 ? notYet : 'ready'), { intervalMs: 1 });
    expect(value).toBe('ready');
    expect(calls).toBe(3);
  });

  it('fails when the probe only ever returns a NULL column', async () => {
    await expect(waitFor(() => ({ last_used_at: null }).last_used_at, { timeoutMs: 30, intervalMs: 5, what: 'the column' })).rejects.toThrow(
      'timed out waiting for the column',
    );
  });

  it('returns the first truthy value, and says what it waited for with the last error', async () => {
    await expect(waitFor(() => 1)).resolves.toBe(1);
    await expect(
      waitFor(
        () => {
          throw new Error('not reachable');
        },
        { timeoutMs: 20, intervalMs: 5, what: 'the server' },
      ),
    ).rejects.toThrow('timed out waiting for the server: not reachable');
  });
});
