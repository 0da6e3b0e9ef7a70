import { OnApplicationShutdown } from '@nestjs/common';
import { deleteInBatches } from '@tracklane/db';
import type { Logger } from '@tracklane/observability';
import { Pool } from 'pg';
import { Counter, Registry } from 'prom-client';
import { InboundPostback, inboundRow } from './inbound-postback';

export interface InboundLogOptions {
  /** Postbacks waiting to be written; beyond it new ones are dropped (and counted), never waited for. */
  queueSize: number;
  /** The same bound in request bytes (URL and body), so that large webhook bodies cannot fill the memory while the database lags. */
  queueBytes: number;
  /** Rows per INSERT. */
  batchSize: number;
  /** How long a postback may wait for its batch. */
  flushIntervalMs: number;
}

const COLUMNS = `id text, received_at timestamptz, advertiser_id int, endpoint text, method text, content_type text,
  params jsonb, mapping jsonb, fields jsonb, conversion_key text, outcome text, http_status int, kind text,
  conversion_id text, event_id text, click_id text, order_id text, error text, reason text, problems jsonb`;
const NAMES = COLUMNS.split(',').map((column) => column.trim().split(' ')[0]).join(', ');

/**
 * The inbound postback log (inbound_postbacks): every postback the endpoint
 * answered, for advertisers debugging their integration. It never slows or
 * endangers the answer: the endpoint hands over the request after
 * answering, and rows are built and written here in batches. The queue is
 * bounded: when the database cannot keep up (or is down), postbacks beyond
 * it are left out of the log and counted in
 * tracklane_inbound_postback_log_dropped_total; the postbacks themselves
 * are unaffected. Rows older than the retention are deleted in batches.
 */
export class InboundPostbackLog implements OnApplicationShutdown {
  private queue: InboundPostback[] = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private readonly dropped: Counter<'reason'>;
  private readonly written: Counter;

  constructor(
    private readonly pool: Pool,
    private readonly options: InboundLogOptions,
    private readonly logger: Logger,
    metrics: Registry,
  ) {
    this.dropped = new Counter({
      name: 'tracklane_inbound_postback_log_dropped_total',
      help: 'Postbacks left out of the inbound log: queue_full (the database did not keep up) or write_failed',
      labelNames: ['reason'],
      registers: [metrics],
    });
    this.written = new Counter({ name: 'tracklane_inbound_postback_log_written_total', help: 'Postbacks written to the inbound log', registers: [metrics] });
  }

  /** Takes a postback that has been answered. Constant time; never throws. */
  record(entry: InboundPostback): void {
    if (this.queue.length >= this.options.queueSize || this.queuedBytes + entry.size > this.options.queueBytes) {
      this.dropped.inc({ reason: 'queue_full' });
      return;
    }
    this.queue.push(entry);
    this.queuedBytes += entry.size;
    this.schedule(this.queue.length >= this.options.batchSize ? 0 : this.options.flushIntervalMs);
  }

  /** Writes everything queued so far (shutdown, tests). */
  async flush(): Promise<void> {
    while (this.writing || this.queue.length > 0) await this.writeBatch();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  /** Deletes the postbacks received before `before` (PostbackRetention says when); returns how many. */
  purge(before: Date): Promise<number> {
    return deleteInBatches(this.pool, { table: 'inbound_postbacks', id: 'id', time: 'received_at' }, before);
  }

  private schedule(delayMs: number): void {
    if (this.writing) return; // the running batch schedules the next one
    if (this.timer && delayMs > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.writeBatch();
    }, delayMs);
    this.timer.unref();
  }

  /** One batch at a time: a batch that finds another running waits for it instead (that one schedules the next). */
  private writeBatch(): Promise<void> {
    if (this.writing) return this.writing;
    const batch = this.queue.splice(0, this.options.batchSize);
    if (batch.length === 0) return Promise.resolve();
    for (const entry of batch) this.queuedBytes -= entry.size;
    const writing = this.insert(batch).finally(() => {
      this.writing = undefined;
      if (this.queue.length > 0) this.schedule(this.queue.length >= this.options.batchSize ? 0 : this.options.flushIntervalMs);
    });
    this.writing = writing;
    return writing;
  }

  private async insert(batch: InboundPostback[]): Promise<void> {
    try {
      const rows = JSON.stringify(batch.map(inboundRow));
      await this.pool.query(`INSERT INTO inbound_postbacks (${NAMES}) SELECT ${NAMES} FROM json_to_recordset($1::json) AS r(${COLUMNS})`, [rows]);
      this.written.inc(batch.length);
    } catch (error) {
      this.dropped.inc({ reason: 'write_failed' }, batch.length);
      this.logger.warn({ err: error, postbacks: batch.length }, 'inbound postback log: batch not written');
    }
  }
}
