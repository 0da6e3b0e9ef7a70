import { Injectable } from '@nestjs/common';
import { clickDaysFor, type NetworkSettings as CatalogSettings } from '@tracklane/catalog';
import { NetworkSettings, PrismaService } from '@tracklane/db';
import { Actor, forbidden, invalid, isAdmin } from '../access';
import { ChangeLog, lockRow, Tx } from '../changes';

export interface NetworkSettingsView {
  name: string;
  /** Where a click goes when its offer cannot take it and has no fallback URL of its own. */
  defaultFallbackUrl: string | null;
  /** Whether advertiser keys see what affiliates are paid. */
  advertisersSeePayouts: boolean;
  /** How long an identical postback without order id or Idempotency-Key is answered as a replay of the first (0: never). */
  postbackReplayWindowSeconds: number;
  /** The largest amount one postback may carry, in its offer's currency, unless the offer sets its own. */
  maxPostbackAmount: string;
  /** How a visitor's IP is stored with new clicks: full, truncated (IPv4 /24, IPv6 /48) or hashed (keyed). */
  visitorIpStorage: CatalogSettings['visitorIpStorage'];
  /** How a visitor's user agent is stored with new clicks: full, or normalised (browser and major version, system, device). */
  userAgentStorage: CatalogSettings['userAgentStorage'];
  /** Days of clicks kept (null: attribution's CLICK_RETENTION_DAYS); never less than the longest attribution window needs. */
  clickRetentionDays: number | null;
  /** Days postback receipts (the memory of orders, keys and replays) are kept (null: for ever). */
  receiptRetentionDays: number | null;
  /** Days of the inbound postback log (null: postback-ingest's POSTBACK_LOG_RETENTION_DAYS). */
  postbackLogRetentionDays: number | null;
  /** Months of raw clicks and attribution events in the reporting read model (null: REPORTING_RAW_RETENTION_MONTHS). */
  rawReportRetentionMonths: number | null;
  updatedAt: string;
}

export type NetworkSettingsPatch = Partial<Omit<NetworkSettingsView, 'updatedAt'>>;

const view = (row: NetworkSettings): NetworkSettingsView => ({
  name: row.name,
  defaultFallbackUrl: row.defaultFallbackUrl,
  advertisersSeePayouts: row.advertisersSeePayouts,
  postbackReplayWindowSeconds: row.postbackReplayWindowSeconds,
  maxPostbackAmount: row.maxPostbackAmount.toFixed(4),
  visitorIpStorage: row.visitorIpStorage as NetworkSettingsView['visitorIpStorage'],
  userAgentStorage: row.userAgentStorage as NetworkSettingsView['userAgentStorage'],
  clickRetentionDays: row.clickRetentionDays,
  receiptRetentionDays: row.receiptRetentionDays,
  postbackLogRetentionDays: row.postbackLogRetentionDays,
  rawReportRetentionMonths: row.rawReportRetentionMonths,
  updatedAt: row.updatedAt.toISOString(),
});

@Injectable()
export class NetworkSettingsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly changes: ChangeLog,
  ) {}

  async get(actor: Actor): Promise<NetworkSettingsView> {
    if (!isAdmin(actor)) throw forbidden('network settings are managed with admin keys');
    return view(await this.prisma.networkSettings.findUniqueOrThrow({ where: { id: 1 } }));
  }

  async update(actor: Actor, patch: NetworkSettingsPatch): Promise<NetworkSettingsView> {
    if (!isAdmin(actor)) throw forbidden('network settings are managed with admin keys');
    return this.changes.apply(actor, async (tx, trail) => {
      await lockRow(tx, 'network_settings', 1);
      const before = await tx.networkSettings.findUniqueOrThrow({ where: { id: 1 } });
      if (patch.clickRetentionDays != null) await checkClickRetention(tx, patch.clickRetentionDays);
      const after = await tx.networkSettings.update({
        where: { id: 1 },
        // network_settings has no @updatedAt in the shared schema; the change time is set here.
        data: { ...patch, updatedAt: new Date() },
      });
      trail.record({ action: 'update', entity: 'network_settings', entityId: 1, before, after });
      return view(after);
    });
  }
}

/** Clicks must outlive every live offer's attribution window: a shorter retention is refused, naming the offer that needs more. */
async function checkClickRetention(tx: Tx, days: number): Promise<void> {
  const longest = await tx.offer.findFirst({
    where: { status: { not: 'archived' } },
    orderBy: { attributionWindowSeconds: 'desc' },
    select: { id: true, attributionWindowSeconds: true },
  });
  if (longest && clickDaysFor(longest.attributionWindowSeconds) > days) {
    throw invalid(
      'clickRetentionDays',
      `must be at least ${clickDaysFor(longest.attributionWindowSeconds)}: offer ${longest.id} attributes conversions to clicks ` +
        `${longest.attributionWindowSeconds} seconds old (its window in days, rounded up, and the day it starts in)`,
    );
  }
}
