import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ServiceEnv } from '@tracklane/config';
import { ClickV1, ConversionV1, clicksV1, conversionsV1 } from '@tracklane/contracts';
import { ConsumerFactory, Topics } from '@tracklane/messaging';
import { LOGGER, Logger } from '@tracklane/observability';
import { ATTRIBUTION_OPTIONS, AttributionOptions } from './attribution.options';
import { ClickIngestion } from './clicks/click-ingestion';
import { ClickPartitions } from './clicks/click-partitions';
import { ConversionConsumers } from './conversions/conversion-consumers';

/**
 * Starts attribution's work once the service is up: click partitions first
 * (and then on a timer), then the three consumer groups — clicks,
 * conversions, and conversions waiting on the retry topic. The consumers stop
 * before the producer closes (ConsumerFactory), finishing the batch in hand.
 */
@Injectable()
export class AttributionWorkers implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly consumers: ConsumerFactory,
    private readonly topics: Topics,
    private readonly env: ServiceEnv,
    private readonly partitions: ClickPartitions,
    private readonly clicks: ClickIngestion,
    private readonly conversions: ConversionConsumers,
    @Inject(ATTRIBUTION_OPTIONS) private readonly options: AttributionOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.maintainPartitions();
    this.timer = setInterval(() => void this.maintainPartitions().catch(() => undefined), this.options.maintenanceIntervalMs);
    this.timer.unref();

    const prefix = this.env.KAFKA_TOPIC_PREFIX;
    const clicks = this.topics.of(clicksV1);
    const conversions = this.topics.of(conversionsV1);
    const concurrency = this.options.consumerConcurrency;
    await Promise.all([
      this.consumers
        .create<ClickV1>({
          groupId: `${prefix}attribution-clicks`,
          topics: { [clicks.main]: (bytes) => clicksV1.decode(bytes) },
          handler: this.clicks.handle,
          deadLetterTopic: () => clicks.deadLetter,
          partitionsConsumedConcurrently: concurrency,
          sessionTimeoutMs: this.options.sessionTimeoutMs,
        })
        .start(),
      this.consumers
        .create<ConversionV1>({
          groupId: `${prefix}attribution-conversions`,
          topics: { [conversions.main]: (bytes) => conversionsV1.decode(bytes) },
          handler: this.conversions.handleMain,
          deadLetterTopic: () => conversions.deadLetter,
          partitionsConsumedConcurrently: concurrency,
          sessionTimeoutMs: this.options.sessionTimeoutMs,
        })
        .start(),
      this.consumers
        .create<ConversionV1>({
          groupId: `${prefix}attribution-conversion-retries`,
          topics: { [conversions.retry]: (bytes) => conversionsV1.decode(bytes) },
          handler: this.conversions.handleRetries,
          deadLetterTopic: () => conversions.deadLetter,
          partitionsConsumedConcurrently: concurrency,
          sessionTimeoutMs: this.options.sessionTimeoutMs,
        })
        .start(),
    ]);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async maintainPartitions(): Promise<void> {
    try {
      const report = await this.partitions.maintain(Date.now());
      this.logger.info(report, 'click partitions maintained');
    } catch (error) {
      this.logger.error({ err: error }, 'click partition maintenance failed');
      throw error;
    }
  }
}
