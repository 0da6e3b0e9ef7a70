import { ClickV1, idTime } from '@tracklane/contracts';
import { columnList, ColumnSpec, PrismaService, selectList, unnestRows } from '@tracklane/db';
import { ClickRecord } from './click-record';

const COLUMNS: ColumnSpec = [
  ['click_id', 'text'],
  ['clicked_at', 'timestamptz'],
  ['offer_id', 'int'],
  ['advertiser_id', 'int'],
  ['affiliate_id', 'int'],
  ['sub1', 'text'],
  ['sub2', 'text'],
  ['sub3', 'text'],
  ['sub4', 'text'],
  ['sub5', 'text'],
  ['source', 'text'],
  ['aff_click_id', 'text'],
  ['ip', 'text'],
  ['user_agent', 'text'],
  ['referrer', 'text'],
  ['country', 'text'],
  ['device', 'text'],
  ['is_unique', 'boolean'],
  // Comma-joined: Postgres cannot unnest an array of arrays.
  ['flags', 'text', "string_to_array(flags, ',')"],
  ['disposition', 'text'],
  ['params', 'text', 'params::jsonb'],
];

type ClickRow = {
  click_id: string;
  clicked_at: Date;
  offer_id: number;
  advertiser_id: number;
  affiliate_id: number;
  sub1: string | null;
  sub2: string | null;
  sub3: string | null;
  sub4: string | null;
  sub5: string | null;
  source: string | null;
  aff_click_id: string | null;
  country: string | null;
  device: string | null;
  is_unique: boolean;
  flags: ClickRecord['flags'];
  disposition: ClickRecord['disposition'];
};

/**
 * The clicks table, through Prisma's raw calls. The insert is one unnest
 * statement a batch with ON CONFLICT for replays: createMany would send a
 * parameter per value (21 a click, split into several statements past
 * Postgres' 65,535). The lookup names both halves of the key as arrays, so
 * it prunes to the partitions of those days.
 */
export class ClickRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Stores clicks, skipping those already stored (a replay); returns how many were new. */
  async insert(clicks: ClickV1[]): Promise<number> {
    if (clicks.length === 0) return 0;
    const rows = unnestRows(COLUMNS, clicks, (click) => [
      click.clickId,
      new Date(idTime(click.clickId)).toISOString(),
      click.offerId,
      click.advertiserId,
      click.affiliateId,
      click.sub1,
      click.sub2,
      click.sub3,
      click.sub4,
      click.sub5,
      click.source,
      click.affClickId,
      click.ip,
      click.userAgent,
      click.referrer,
      click.country,
      click.device,
      click.unique,
      click.flags.join(','),
      click.disposition,
      Object.keys(click.params).length > 0 ? JSON.stringify(click.params) : null,
    ]);
    return this.prisma.$executeRaw`INSERT INTO clicks (${columnList(COLUMNS)}) SELECT ${selectList(COLUMNS)} FROM ${rows} ON CONFLICT DO NOTHING`;
  }

  async find(clickIds: string[]): Promise<Map<string, ClickRecord>> {
    const found = new Map<string, ClickRecord>();
    if (clickIds.length === 0) return found;
    const clickedAts = clickIds.map((id) => new Date(idTime(id)).toISOString());
    const rows = await this.prisma.$queryRaw<ClickRow[]>`
      SELECT click_id, clicked_at, offer_id, advertiser_id, affiliate_id, sub1, sub2, sub3, sub4, sub5, source, aff_click_id,
             country, device, is_unique, flags, disposition
      FROM clicks
      WHERE click_id = ANY(${clickIds}::text[]) AND clicked_at = ANY(${clickedAts}::timestamptz[])`;
    for (const row of rows) {
      found.set(row.click_id, {
        clickId: row.click_id,
        clickedAt: row.clicked_at.getTime(),
        offerId: row.offer_id,
        advertiserId: row.advertiser_id,
        affiliateId: row.affiliate_id,
        sub1: row.sub1,
        sub2: row.sub2,
        sub3: row.sub3,
        sub4: row.sub4,
        sub5: row.sub5,
        source: row.source,
        affClickId: row.aff_click_id,
        country: row.country,
        device: row.device,
        unique: row.is_unique,
        flags: row.flags,
        disposition: row.disposition,
      });
    }
    return found;
  }
}
