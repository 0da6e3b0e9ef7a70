import { createTestDatabase, TestDatabase } from '@tracklane/testing';
import { columnList, ColumnSpec, isDataError, isMissingPartition, Prisma, PrismaService, selectList, sqlStateOf, unnestRows } from '../src';

const COLUMNS: ColumnSpec = [
  ['id', 'int'],
  ['note', 'text'],
  ['amount', 'numeric'],
  ['at', 'timestamptz'],
  ['ok', 'boolean'],
  ['tags', 'text', "string_to_array(tags, ',')"],
  ['doc', 'text', 'doc::jsonb'],
];

interface Probe {
  id: number;
  note: string | null;
  amount: string | null;
  at: Date | null;
  ok: boolean | null;
  tags: string[];
  doc: object | null;
}

/** Text that an array literal, a quote-less encoder or a trimming one would change. */
const HOSTILE = ['NULL', 'null', '', ' padded ', 'a,b', '{braces}', 'say "hi"', 'back\\slash', '\\"', 'é ñ 中文 🙂', 'tab\there', 'line\nbreak', "it's"];

describe('bulk rows through Prisma, against a real Postgres', () => {
  let database: TestDatabase;
  let prisma: PrismaService;

  beforeAll(async () => {
    database = await createTestDatabase();
    prisma = new PrismaService(database.url, 2);
    await prisma.$executeRawUnsafe(`CREATE TABLE bulk_probe (
      id int PRIMARY KEY, note text, amount numeric(18, 4), at timestamptz, ok boolean, tags text[], doc jsonb)`);
    await prisma.$executeRawUnsafe(`CREATE TABLE bulk_days (at date NOT NULL, note text CHECK (note <> 'refused')) PARTITION BY RANGE (at)`);
    await prisma.$executeRawUnsafe(`CREATE TABLE bulk_days_2026 PARTITION OF bulk_days FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')`);
  });
  afterAll(async () => {
    await prisma?.onApplicationShutdown();
    await database?.drop();
  });

  const insert = (rows: Probe[]) =>
    prisma.$executeRaw`INSERT INTO bulk_probe (${columnList(COLUMNS)})
      SELECT ${selectList(COLUMNS)} FROM ${unnestRows(COLUMNS, rows, (row) => [
        row.id,
        row.note,
        row.amount,
        row.at,
        row.ok,
        row.tags.join(','),
        row.doc === null ? null : JSON.stringify(row.doc),
      ])}
      ON CONFLICT DO NOTHING`;

  it('stores every value as it was sent, hostile text and NULL included, and counts only new rows', async () => {
    const rows: Probe[] = HOSTILE.map((note, index) => ({
      id: index,
      note,
      amount: index % 2 === 0 ? '-12.3400' : null,
      at: index % 3 === 0 ? null : new Date(Date.UTC(2026, 11, 7, 5, index, 1, 234)),
      ok: index % 2 === 0,
      tags: ['x', 'y'],
      doc: { note, nested: { quote: '"', slash: '\\' } },
    }));
    rows.push({ id: 100, note: null, amount: '999999999999.9999', at: null, ok: null, tags: [], doc: null });
    expect(await insert(rows)).toBe(rows.length);
    expect(await insert(rows)).toBe(0);

    const stored = await prisma.$queryRaw<Probe[]>`SELECT id, note, amount::text AS amount, at, ok, tags, doc FROM bulk_probe ORDER BY id`;
    expect(stored).toEqual([...rows].sort((a, b) => a.id - b.id));
  });

  it("classifies Prisma's failures by Postgres' SQLSTATE, as pg's", async () => {
    const refusal = (statement: Prisma.Sql) => prisma.$executeRaw(statement).then(() => Promise.reject(new Error('expected a refusal')), (error: unknown) => error);

    const nul = await refusal(Prisma.sql`INSERT INTO bulk_probe (id, note) VALUES (1000, ${'a\u0000b'})`);
    expect(sqlStateOf(nul)).toBe('22021');
    expect(isDataError(nul)).toBe(true);

    const duplicate = await refusal(Prisma.sql`INSERT INTO bulk_probe (id) VALUES (0)`);
    expect(sqlStateOf(duplicate)).toBe('23505');
    expect(isDataError(duplicate)).toBe(false);

    const refused = await refusal(Prisma.sql`INSERT INTO bulk_days VALUES ('2026-05-01', 'refused')`);
    expect(isDataError(refused)).toBe(true);
    expect(isMissingPartition(refused)).toBe(false);

    const noPartition = await refusal(Prisma.sql`INSERT INTO bulk_days VALUES ('2030-05-01', 'fine')`);
    expect(isMissingPartition(noPartition)).toBe(true);
    expect(isDataError(noPartition)).toBe(false);

    const inTransaction = await prisma
      .$transaction(async (tx) => tx.$executeRaw`INSERT INTO bulk_days VALUES ('2026-05-01', 'refused')`)
      .catch((error: unknown) => error);
    expect(sqlStateOf(inTransaction)).toBe('23514');
  });
});
