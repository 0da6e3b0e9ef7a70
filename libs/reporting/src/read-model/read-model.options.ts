import { WindowLimits } from './projection-window';

export const READ_MODEL_OPTIONS = Symbol('READ_MODEL_OPTIONS');

export interface ReadModelOptions {
  /** Consume clicks.v1 and attributions.v1 in this process (API-only replicas turn it off). */
  project: boolean;
  /** Partitions a process works on at once: all of them share a window when this is at least their number. */
  partitionsConsumedConcurrently: number;
  /** How batches of several partitions are gathered into a window, and in how many transactions at once it is applied. */
  window: WindowLimits & { transactions: number };
  /** Time zones that get daily rollups. */
  dayZones: string[];
  /** Whole UTC months of raw clicks and attribution events kept before the current one (rollups and conversions stay). */
  rawRetentionMonths: number;
}
