import { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { daysBefore, networkRetention, PrismaService } from '@tracklane/db';
import type { Logger } from '@tracklane/observability';
import { InboundPostbackLog } from '../inbound-log/inbound-postback-log';
import { PostbackReceipts } from '../receipts/postback-receipts.repository';

export interface RetentionOptions {
  /** Days of the inbound postback log when the network sets none. */
  postbackLogDays: number;
  /** How often the purge runs. */
  intervalMs: number;
}

/**
 * postback-ingest's upkeep: deletes what is past the network's retention
 * (network_settings, read at every run): the inbound postback log (else
 * `postbackLogDays`), and the receipts when the network sets a receipt
 * retention (else they are kept for ever).
 */
export class PostbackRetention implements OnModuleInit, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly prisma: PrismaService,
    private readonly log: InboundPostbackLog,
    private readonly receipts: PostbackReceipts,
    private readonly options: RetentionOptions,
    private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.run().catch((error: unknown) => this.logger.warn({ err: error }, 'postback purge failed')), this.options.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async run(now = new Date()): Promise<{ log: number; receipts: number }> {
    const retention = await networkRetention(this.prisma);
    const log = await this.log.purge(daysBefore(now, retention.postbackLogRetentionDays ?? this.options.postbackLogDays));
    const receipts = retention.receiptRetentionDays === null ? 0 : await this.receipts.purge(daysBefore(now, retention.receiptRetentionDays));
    if (log + receipts > 0) this.logger.info({ log, receipts }, 'purged postbacks past their retention');
    return { log, receipts };
  }
}
