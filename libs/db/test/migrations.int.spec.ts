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
    prisma = new PrismaService(new Pool({ connectionString: database.url }));
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
    const total = await prisma.ledgerEntry.aggregate({ _sum: { amount: true }, where: { conversionId: 'c1' } });
    expect(total._sum.amount?.toString()).toBe('0');
  });
});
