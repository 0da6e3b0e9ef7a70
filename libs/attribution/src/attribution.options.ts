import { ClickRetention } from './clicks/click-partitions';
import { RetryPolicy } from './conversions/retry-policy';

export interface AttributionOptions {
  /** Partitions each consumer (clicks, conversions, retries) handles at the same time. */
  consumerConcurrency: number;
  /** How long the group waits for a silent instance before moving its partitions to the others. */
  sessionTimeoutMs: number;
  retry: RetryPolicy;
  clickRetention: ClickRetention;
  /** How long after a click its copy stays in Redis for the join (older ones are joined from Postgres). */
  clickCacheSeconds: number;
  /** How often partitions are created ahead and dropped past retention. */
  maintenanceIntervalMs: number;
  /** Runs between a batch's database commit and its publishing; only fault-injection tests set it. */
  afterCommit?: () => void;
}

export const ATTRIBUTION_OPTIONS = Symbol('ATTRIBUTION_OPTIONS');
