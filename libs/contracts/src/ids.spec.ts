import { ID_LENGTH, idTime, isId, newId, normaliseId } from './ids';

describe('ids', () => {
  it('are 30 URL-safe characters that encode their creation time', () => {
    const now = Date.UTC(2026, 10, 28, 12, 0, 0, 123);
    const id = newId(now);
    expect(id).toHaveLength(ID_LENGTH);
    expect(encodeURIComponent(id)).toBe(id);
    expect(isId(id)).toBe(true);
    expect(idTime(id)).toBe(now);
  });

  it('sort by creation time', () => {
    const ids = [3, 1, 2].map((offset) => newId(1_700_000_000_000 + offset));
    expect([...ids].sort().map(idTime)).toEqual([1, 2, 3].map((offset) => 1_700_000_000_000 + offset));
  });

  it('are never sequential: the random part differs between ids of the same millisecond', () => {
    const now = Date.now();
    const ids = new Set(Array.from({ length: 10_000 }, () => newId(now)));
    expect(ids.size).toBe(10_000);
    const randomParts = [...ids].map((id) => id.slice(10));
    // Every character of the alphabet shows up in every position of the random part.
    for (let position = 0; position < 20; position++) {
      expect(new Set(randomParts.map((part) => part[position])).size).toBe(32);
    }
  });

  it('accept an upper-cased id back from a partner and refuse anything else', () => {
    const id = newId();
    expect(normaliseId(id.toUpperCase())).toBe(id);
    expect(normaliseId(` ${id} `)).toBe(id);
    expect(normaliseId(id.slice(1))).toBeNull();
    expect(normaliseId(`${id.slice(0, 29)}u`)).toBeNull();
    expect(normaliseId("' OR 1=1 --")).toBeNull();
  });
});
