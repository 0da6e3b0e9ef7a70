import { createEmptyDatabase, createTestDatabase, TestDatabase } from '@tracklane/testing';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import { Migration, migrate, PrismaService, readMigrations } from '../src';

describe('migrations', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createEmptyDatabase();
  });
  afterAll(() => database.drop());

  it('create the database and apply every migration to it, then do nothing when run again', async () => {
    const all = readMigrations().map((migration) => migration.name);
    const first = await migrate(database.url);
    expect(first.applied).toEqual(all);
    expect(first.skipped).toEqual([]);

    const again = await migrate(database.url);
    expect(again.applied).toEqual([]);
    expect(again.skipped).toEqual(all);
  });

  it('refuse a migration that was changed after it was applied', async () => {
    const changed: Migration[] = readMigrations().map((migration, index) =>
      index === 0 ? { ...migration, checksum: 'edited' } : migration,
    );
    await expect(migrate(database.url, changed)).rejects.toThrow(/changed after it was applied/);
  });

  it('roll back a failing migration completely and name it', async () => {
    const broken: Migration = { name: '9999_broken', sql: 'CREATE TABLE half_written (id int); SELECT 1/0;', checksum: 'x' };
    await expect(migrate(database.url, [...readMigrations(), broken])).rejects.toThrow(/9999_broken failed/);
    const pool = new Pool({ connectionString: database.url });
    const { rowCount } = await pool.query("SELECT 1 FROM pg_tables WHERE tablename = 'half_written'");
    await pool.end();
    expect(rowCount).toBe(0);
  });

  it('move the read model\'s raw rows, as they were, into month partitions (0850)', async () => {
    const fresh = await createEmptyDatabase();
    const pool = new Pool({ connectionString: fresh.url });
    try {
      const all = readMigrations();
      await migrate(fresh.url, all.filter((migration) => migration.name < '0850'));
      await pool.query(`
        INSERT INTO rep_clicks (click_id, occurred_at, advertiser_id, offer_id, affiliate_id, currency, sub1, is_unique, is_invalid, flags, disposition, ip, user_agent, params)
        VALUES ('c1', '2025-01-31T23:59:59.999999Z', 1, 10, 7, 'USD', 'a', true, false, '{bot}', 'accepted', '203.0.113.1', 'UA', '{"x": "1"}'),
               ('c2', '2025-02-01T00:00:00Z', 1, 10, 7, 'EUR', NULL, false, true, '{}', 'fallback', '203.0.113.2', 'UA', NULL);
        INSERT INTO rep_conversions (conversion_id, click_id, advertiser_id, status, reason, revenue, payout, currency, converted_at, first_decided_at, last_decided_at, last_event_id)
        VALUES ('v1', 'c1', 1, 'refunded', 'refund', 12.3456, 1.0001, 'USD', '2025-02-01T00:00:01Z', '2025-02-01T00:00:01Z', '2025-03-01T00:00:00Z', 'e2');
        INSERT INTO rep_attribution_events (event_id, conversion_id, kind, status, reason, revenue, payout, currency, decided_at)
        VALUES ('e1', 'v1', 'decision', 'approved', 'attributed', 12.3456, 1.0001, 'USD', '2025-02-01T00:00:01Z'),
               ('e2', 'v1', 'status_change', 'refunded', 'refund', 12.3456, 1.0001, 'USD', '2025-03-01T00:00:00Z');`);
      const rows = async (table: string) => (await pool.query(`SELECT to_jsonb(t) AS row FROM ${table} t ORDER BY 1`)).rows;
      const before = { clicks: await rows('rep_clicks'), conversions: await rows('rep_conversions'), events: await rows('rep_attribution_events') };

      // 0850 itself; later migrations may add columns to these tables.
      await migrate(fresh.url, all.filter((migration) => migration.name < '0851'));
      expect({ clicks: await rows('rep_clicks'), conversions: await rows('rep_conversions'), events: await rows('rep_attribution_events') }).toEqual(before);
      const { rows: placed } = await pool.query(
        `SELECT tableoid::regclass::text AS partition, count(*)::int AS n FROM rep_clicks GROUP BY 1
         UNION ALL SELECT tableoid::regclass::text, count(*)::int FROM rep_conversions GROUP BY 1
         UNION ALL SELECT tableoid::regclass::text, count(*)::int FROM rep_attribution_events GROUP BY 1 ORDER BY 1`,
      );
      expect(placed).toEqual([
        { partition: 'rep_attribution_events_202502', n: 1 },
        { partition: 'rep_attribution_events_202503', n: 1 },
        { partition: 'rep_clicks_202501', n: 1 },
        { partition: 'rep_clicks_202502', n: 1 },
        { partition: 'rep_conversions_202502', n: 1 },
      ]);
    } finally {
      await pool.end();
      await fresh.drop();
    }
  });

  it('apply from several processes at once without clashing', async () => {
    const fresh = await createEmptyDatabase();
    try {
      const runs = await Promise.all([migrate(fresh.url), migrate(fresh.url), migrate(fresh.url)]);
      expect(runs.map((run) => run.applied.length).sort()).toEqual([0, 0, readMigrations().length]);
    } finally {
      await fresh.drop();
    }
  });
});

describe('Prisma schema', () => {
  let database: TestDatabase;
  let prisma: PrismaService;

  beforeAll(async () => {
    database = await createTestDatabase();
    prisma = new PrismaService(database.url, 2);
  });
  afterAll(async () => {
    await prisma.onApplicationShutdown();
    await database.drop();
  });

  it('matches the migrated tables: every model can be read with all its columns', async () => {
    const schemaDir = join(__dirname, '..', 'prisma', 'schema');
    const models = readdirSync(schemaDir).flatMap((file) =>
      [...readFileSync(join(schemaDir, file), 'utf8').matchAll(/^model (\w+) \{/gm)].map((match) => match[1]),
    );
    const delegates = models.map((model) => model[0].toLowerCase() + model.slice(1));
    expect(delegates).toContain('offer');
    const failures: string[] = [];
    for (const delegate of delegates) {
      try {
        await (prisma as never as Record<string, { findFirst(): Promise<unknown> }>)[delegate].findFirst();
      } catch (error) {
        failures.push(`${delegate}: ${(error as Error).message.split('\n').pop()}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('round-trips exact money through a goal', async () => {
    const advertiser = await prisma.advertiser.create({ data: { name: 'Acme', postbackToken: 'tok-1' } });
    const offer = await prisma.offer.create({
      data: { advertiserId: advertiser.id, name: 'Shoes', destinationUrl: 'https://acme.example/?cid={click_id}' },
    });
    const goal = await prisma.goal.create({
      data: { offerId: offer.id, code: 'sale', name: 'Sale', revenueAmount: '12.3456', payoutPercent: '7.5' },
    });
    const read = await prisma.goal.findUniqueOrThrow({ where: { id: goal.id } });
    expect(read.revenueAmount.toString()).toBe('12.3456');
    expect(read.payoutPercent.toFixed(4)).toBe('7.5000');
  });

  it('keep the books append-only in the database itself', async () => {
    await prisma.conversion.create({
      data: {
        conversionId: 'c1',
        advertiserId: 1,
        status: 'approved',
        reason: 'attributed',
        revenue: '10',
        payout: '7',
        currency: 'USD',
        convertedAt: new Date(),
        raw: { email: 'visitor@mail.example' },
        ledgerEntries: {
          create: [
            { eventId: 'c1', account: 'advertiser_receivable', state: 'approved', kind: 'booking', amount: '10', currency: 'USD' },
            { eventId: 'c1', account: 'affiliate_payable', state: 'approved', kind: 'booking', amount: '-7', currency: 'USD' },
            { eventId: 'c1', account: 'network_margin', state: 'approved', kind: 'booking', amount: '-3', currency: 'USD' },
          ],
        },
      },
    });
    await expect(prisma.ledgerEntry.updateMany({ data: { amount: '0' } })).rejects.toThrow(/append-only/);
    await expect(prisma.ledgerEntry.deleteMany({})).rejects.toThrow(/append-only/);
    await expect(prisma.conversion.update({ where: { conversionId: 'c1' }, data: { status: 'rejected' } })).rejects.toThrow(
      /append-only/,
    );
    // The one change allowed: an erasure empties raw, and nothing else may change with it.
    await expect(prisma.conversion.update({ where: { conversionId: 'c1' }, data: { raw: {}, payout: '0' } })).rejects.toThrow(/append-only/);
    await expect(prisma.conversion.update({ where: { conversionId: 'c1' }, data: { raw: { kept: 'x' } } })).rejects.toThrow(/append-only/);
    await expect(prisma.conversion.update({ where: { conversionId: 'c1' }, data: { raw: {} } })).resolves.toMatchObject({ raw: {}, payout: expect.anything() });
    // And sub ids may become the erasure's marker, nothing else.
    await expect(prisma.conversion.update({ where: { conversionId: 'c1' }, data: { sub1: 'someone-else' } })).rejects.toThrow(/append-only/);
    await expect(prisma.conversion.update({ where: { conversionId: 'c1' }, data: { sub2: '(erased)', orderId: 'x' } })).rejects.toThrow(/append-only/);
    await expect(prisma.conversion.update({ where: { conversionId: 'c1' }, data: { sub1: '(erased)', affClickId: '(erased)' } })).resolves.toMatchObject({
      sub1: '(erased)',
      affClickId: '(erased)',
    });
    await expect(prisma.conversion.delete({ where: { conversionId: 'c1' } })).rejects.toThrow(/append-only/);
    const total = await prisma.ledgerEntry.aggregate({ _sum: { amount: true }, where: { conversionId: 'c1' } });
    expect(total._sum.amount?.toString()).toBe('0');
  });
});
