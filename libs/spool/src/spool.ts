import { mkdirSync } from 'node:fs';
import { FileHandle, open, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { lockSpool } from './spool-lock';
import { SpoolMetrics } from './spool-metrics';
import {
  decodeFrames,
  encodeAck,
  encodeCheckpoint,
  encodeMessage,
  MAX_FRAME_BYTES,
  SpooledMessage,
  SpoolEntry,
  SpoolRecord,
} from './spool-record';

export interface SpoolOptions {
  dir: string;
  /** A new segment file is started past this size (default 16 MiB). */
  maxSegmentBytes?: number;
  logger?: Logger;
  metrics?: SpoolMetrics;
}

export interface ReplayBatchLimits {
  maxMessages: number;
  maxBytes: number;
}

interface Segment {
  id: number;
  path: string;
  /** Bytes known to be durable and whole; readers stop there. */
  size: number;
  /** Highest message seq in the segment, -1 when it holds none. */
  maxSeq: number;
}

interface Position {
  segmentId: number;
  offset: number;
}

interface Write {
  bytes: Buffer;
  /** Set for message frames. */
  seq?: number;
  /** Set for checkpoint frames: the cursor they make durable. */
  cursor?: number;
  done?: { resolve: () => void; reject: (error: Error) => void };
}

const SEGMENT_NAME = /^(\d{12})\.spool$/;
const READ_CHUNK = 1024 * 1024;
const segmentName = (id: number) => `${String(id).padStart(12, '0')}.spool`;

/**
 * An append-only, crash-safe local queue of messages that could not be
 * handed to Kafka in time. Appends are written and fsync'd in groups (every
 * append made while a write is in progress joins the next one), so a burst
 * costs one fsync per group rather than one per message. Messages are
 * replayed in the order they were appended. Their seq is their identity in
 * the spool: a message whose original send turns out to have succeeded
 * ("late ack") is recorded as delivered and never replayed, and a
 * checkpoint records how far replay got, so a restart neither loses nor
 * repeats what was acknowledged.
 *
 * Files are segments named by a growing number; each starts with a
 * checkpoint, so deleting the oldest segments once everything in them is
 * delivered never loses state. Everything is deleted once the spool drains.
 */
export class Spool {
  private readonly segments: Segment[] = [];
  private active: { segment: Segment; handle: FileHandle } | null = null;
  private nextSeq = 1;
  /** Every seq up to and including the cursor is delivered. */
  private cursor = 0;
  private durableCursor = 0;
  /** Seqs above the cursor that were delivered by their original send. */
  private readonly delivered = new Set<number>();
  /** Seqs whose original send has not settled yet; replay waits for them. */
  private readonly inFlight = new Map<number, Promise<void>>();
  private undelivered = 0;
  private queue: Write[] = [];
  private flushing: Promise<void> | null = null;
  /** Where replay continues: just past the last committed batch (or past messages known to be delivered). */
  private replayPosition: Position = { segmentId: 0, offset: 0 };
  /**
   * The highest segment id this spool has used. Ids only grow: a replay position (or a read in flight) in a
   * segment that was delivered and deleted must never land in a new file of the same name at an offset that is
   * no frame boundary there, which stopped the replay for good.
   */
  private lastSegmentId = 0;
  /** Where the batch handed out by nextBatch ends; becomes replayPosition on commit. */
  private batchEnd: Position | null = null;
  private reader: { segmentId: number; handle: FileHandle } | null = null;
  private wakeReplay: (() => void) | null = null;
  /** No more appends; queued frames still get written. */
  private closed = false;
  /** Files closed: nothing is written any more. */
  private finished = false;
  private readonly maxSegmentBytes: number;

  private constructor(
    private readonly options: SpoolOptions,
    private readonly unlock: () => void,
  ) {
    this.maxSegmentBytes = options.maxSegmentBytes ?? 16 * 1024 * 1024;
  }

  /** Opens (creating if needed) the spool in `dir` and recovers what an earlier process left in it. */
  static async open(options: SpoolOptions): Promise<Spool> {
    mkdirSync(options.dir, { recursive: true });
    const spool = new Spool(options, lockSpool(options.dir));
    try {
      await spool.recover();
    } catch (error) {
      spool.unlock();
      throw error;
    }
    return spool;
  }

  /** Messages appended and not yet delivered (including those whose original send is still pending). */
  get depth(): number {
    return this.undelivered;
  }

  /** No more appends are taken: the spool is closing or closed. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** True when nothing is left to deliver and no original send is pending. */
  get drained(): boolean {
    return this.undelivered === 0 && this.inFlight.size === 0;
  }

  /**
   * Appends a message; resolves once it is on disk (fsync'd). When
   * `originalSend` is given, the message is already on its way to Kafka:
   * if that send succeeds, the message is marked delivered instead of being
   * replayed, and replay does not touch it before the send has settled.
   */
  append(message: SpooledMessage, originalSend?: Promise<unknown>): Promise<void> {
    if (this.closed) return Promise.reject(new Error('spool is closed'));
    const seq = this.nextSeq++;
    this.undelivered++;
    this.options.metrics?.appended(1, this.undelivered);
    if (originalSend) {
      const settled = originalSend.then(
        () => this.markDelivered(seq),
        () => undefined,
      );
      this.inFlight.set(seq, settled.finally(() => this.inFlight.delete(seq)));
    }
    const durable = new Promise<void>((resolve, reject) => {
      this.enqueue({ bytes: encodeMessage({ ...message, seq }), seq, done: { resolve, reject } });
    });
    this.wakeReplay?.();
    return durable;
  }

  /** Resolves when there is something to replay (at once if there is), or when the spool closes. */
  untilPending(): Promise<void> {
    if (this.undelivered > 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.wakeReplay = () => {
        this.wakeReplay = null;
        resolve();
      };
    });
  }

  /**
   * The next undelivered messages in append order, read back from disk, all
   * for one topic (so a batch succeeds or fails as a whole). A message whose
   * original send is still pending ends the batch; if it is first in line,
   * this waits for that send to settle. Empty when nothing durable is left.
   */
  async nextBatch(limits: ReplayBatchLimits): Promise<SpoolEntry[]> {
    const batch: SpoolEntry[] = [];
    let bytes = 0;
    const position = { ...this.replayPosition };
    const done = () => {
      this.batchEnd = position;
      return batch;
    };
    for (;;) {
      const segment = this.segmentAt(position);
      if (!segment) return done();
      if (position.offset >= segment.size) {
        if (segment === this.segments[this.segments.length - 1]) return done();
        Object.assign(position, { segmentId: segment.id + 1, offset: 0 });
        continue;
      }
      const { records, ends } = await this.readRecords(segment, position.offset);
      for (let i = 0; i < records.length; i++) {
        const record = records[i];
        if (record.type === 'message' && !this.isDelivered(record.entry.seq)) {
          const pending = this.inFlight.get(record.entry.seq);
          if (pending) {
            if (batch.length > 0) return done();
            await pending;
          }
          if (!this.isDelivered(record.entry.seq)) {
            const full =
              batch.length >= limits.maxMessages ||
              (batch.length > 0 &&
                (bytes + record.entry.value.length > limits.maxBytes || record.entry.topic !== batch[0].topic));
            if (full) return done();
            batch.push(record.entry);
            bytes += record.entry.value.length;
          }
        }
        position.offset = ends[i];
        // Passing messages that are already delivered is progress that never needs repeating.
        if (batch.length === 0) this.replayPosition = { ...position };
      }
    }
  }

  /** Records that a batch from nextBatch reached Kafka. */
  commit(batch: SpoolEntry[]): void {
    if (batch.length === 0) return;
    if (this.batchEnd) this.replayPosition = this.batchEnd;
    this.batchEnd = null;
    const last = batch[batch.length - 1].seq;
    this.undelivered -= batch.length;
    for (const seq of this.delivered) if (seq <= last) this.delivered.delete(seq);
    this.cursor = Math.max(this.cursor, last);
    this.options.metrics?.replayed(batch.length, this.undelivered);
    this.checkpoint();
  }

  /** Resolves once everything appended so far is on disk (or failed). */
  async written(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /** Writes what is queued, then closes the files. Pending original sends should have settled first. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wakeReplay?.();
    await this.written();
    this.finished = true;
    await this.active?.handle.close();
    this.active = null;
    await this.reader?.handle.close();
    this.reader = null;
    this.unlock();
  }

  private isDelivered(seq: number): boolean {
    return seq <= this.cursor || this.delivered.has(seq);
  }

  private markDelivered(seq: number): void {
    if (this.isDelivered(seq)) return;
    this.delivered.add(seq);
    this.undelivered--;
    this.options.metrics?.lateAcked(1, this.undelivered);
    if (this.undelivered === 0) this.checkpoint();
    else this.enqueue({ bytes: encodeAck(seq) });
  }

  /** Everything delivered: move the cursor to the end, which lets every segment go. */
  private checkpoint(): void {
    if (this.undelivered === 0) {
      this.cursor = this.nextSeq - 1;
      this.delivered.clear();
    }
    this.enqueue({ bytes: encodeCheckpoint(this.cursor, this.delivered), cursor: this.cursor });
  }

  private enqueue(write: Write): void {
    if (this.finished) return; // a late ack after close: at worst, that message is replayed once more
    this.queue.push(write);
    this.flushing ??= this.flush();
  }

  private async flush(): Promise<void> {
    // Let every append of this event-loop turn join the first group.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      while (this.queue.length > 0) {
        const group = this.queue;
        this.queue = [];
        await this.writeGroup(group);
        await this.dropDelivered();
      }
    } finally {
      this.flushing = null;
    }
  }

  private async writeGroup(group: Write[]): Promise<void> {
    try {
      if (this.active && this.active.segment.size >= this.maxSegmentBytes) await this.closeActive();
      const active = this.active ?? (await this.startSegment(group));
      const buffers = group.map((write) => write.bytes);
      const length = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
      const { bytesWritten } = await active.handle.writev(buffers);
      if (bytesWritten !== length) throw new Error(`short write to ${active.segment.path}: ${bytesWritten} of ${length} bytes`);
      await active.handle.datasync();
      active.segment.size += length;
      for (const write of group) {
        if (write.seq !== undefined) active.segment.maxSeq = write.seq;
        if (write.cursor !== undefined) this.durableCursor = Math.max(this.durableCursor, write.cursor);
      }
      for (const write of group) write.done?.resolve();
      this.options.metrics?.segmentBytes(this.segments.reduce((sum, segment) => sum + segment.size, 0));
    } catch (error) {
      // The segment may now end in a torn frame: start a fresh one, which begins with a full checkpoint.
      this.options.logger?.error({ err: error, dir: this.options.dir }, 'spool write failed');
      await this.closeActive().catch(() => undefined);
      for (const write of group) {
        if (write.seq !== undefined && !this.delivered.has(write.seq)) {
          // Its sender hears of the failure; nobody replays it (a restart might, if the frame did land).
          this.delivered.add(write.seq);
          this.undelivered--;
        }
        write.done?.reject(error as Error);
      }
      this.options.metrics?.depthIs(this.undelivered);
    }
  }

  /** A new segment file, made durable in its directory, whose first frame is the current state. */
  private async startSegment(group: Write[]): Promise<{ segment: Segment; handle: FileHandle }> {
    const id = ++this.lastSegmentId;
    const segment: Segment = { id, path: join(this.options.dir, segmentName(id)), size: 0, maxSeq: -1 };
    const handle = await open(segment.path, 'wx');
    const directory = await open(this.options.dir, 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }
    this.segments.push(segment);
    this.active = { segment, handle };
    group.unshift({ bytes: encodeCheckpoint(this.cursor, this.delivered), cursor: this.cursor });
    return this.active;
  }

  private async closeActive(): Promise<void> {
    const active = this.active;
    this.active = null;
    await active?.handle.close();
  }

  /** Deletes the oldest segments once everything in them is delivered and a later checkpoint says so. */
  private async dropDelivered(): Promise<void> {
    const everything = this.undelivered === 0 && this.queue.length === 0 && this.durableCursor >= this.nextSeq - 1;
    if (everything && this.segments.length > 0) await this.closeActive();
    while (this.segments.length > 0) {
      const oldest = this.segments[0];
      if (!everything && (oldest === this.active?.segment || oldest.maxSeq > this.durableCursor)) break;
      // Out of the list before its file closes: a replay read waiting on it then knows the segment is gone.
      this.segments.shift();
      if (this.reader?.segmentId === oldest.id) {
        const { handle } = this.reader;
        this.reader = null;
        await handle.close();
      }
      await unlink(oldest.path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
    this.options.metrics?.segmentBytes(this.segments.reduce((sum, segment) => sum + segment.size, 0));
  }

  /** The segment a position is in, or the first one after it if that one is gone (moving the position there). */
  private segmentAt(position: Position): Segment | undefined {
    const segment = this.segments.find((candidate) => candidate.id >= position.segmentId);
    if (segment && segment.id !== position.segmentId) Object.assign(position, { segmentId: segment.id, offset: 0 });
    return segment;
  }

  /**
   * Records from `offset` on; none when the segment was delivered and dropped meanwhile (dropDelivered closes
   * the reader's file and deletes it while a read may be waiting), so the caller moves on to the next segment.
   */
  private async readRecords(segment: Segment, offset: number): Promise<{ records: SpoolRecord[]; ends: number[] }> {
    const dropped = (error: unknown) => {
      if (this.segments.includes(segment)) throw error;
      return { records: [], ends: [] };
    };
    if (this.reader?.segmentId !== segment.id) {
      await this.reader?.handle.close();
      this.reader = null;
      try {
        this.reader = { segmentId: segment.id, handle: await open(segment.path, 'r') };
      } catch (error) {
        return dropped(error);
      }
    }
    const { handle } = this.reader;
    let length = Math.min(READ_CHUNK, segment.size - offset);
    for (;;) {
      const buffer = Buffer.allocUnsafe(length);
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, length, offset));
      } catch (error) {
        return dropped(error);
      }
      const decoded = decodeFrames(buffer.subarray(0, bytesRead), false);
      if (decoded.records.length > 0) return { records: decoded.records, ends: decoded.ends.map((end) => offset + end) };
      if (decoded.damaged || length >= segment.size - offset || length >= MAX_FRAME_BYTES + 8) {
        throw new Error(`spool segment ${segment.path} is unreadable at offset ${offset}`);
      }
      // One frame larger than the chunk: read it whole.
      length = Math.min(segment.size - offset, buffer.readUInt32LE(0) + 8);
    }
  }

  private async recover(): Promise<void> {
    const names = (await readdir(this.options.dir)).filter((name) => SEGMENT_NAME.test(name)).sort();
    const messageSeqs: number[] = [];
    let highest = 0;
    for (const name of names) {
      const path = join(this.options.dir, name);
      const decoded = decodeFrames(await readFile(path), true);
      if (decoded.damaged) {
        this.options.logger?.warn(
          { segment: path, offset: decoded.consumed, damage: decoded.damaged },
          'spool segment ends in a damaged frame; its tail was never acknowledged and is ignored',
        );
      }
      const segment: Segment = { id: Number(SEGMENT_NAME.exec(name)?.[1]), path, size: decoded.consumed, maxSeq: -1 };
      for (const record of decoded.records) {
        if (record.type === 'message') {
          messageSeqs.push(record.entry.seq);
          segment.maxSeq = record.entry.seq;
          highest = Math.max(highest, record.entry.seq);
        } else if (record.type === 'ack') {
          this.delivered.add(record.seq);
        } else {
          this.cursor = Math.max(this.cursor, record.cursor);
          this.delivered.clear();
          for (const seq of record.delivered) this.delivered.add(seq);
        }
      }
      this.segments.push(segment);
      this.lastSegmentId = Math.max(this.lastSegmentId, segment.id);
    }
    for (const seq of this.delivered) {
      if (seq <= this.cursor) this.delivered.delete(seq);
      else highest = Math.max(highest, seq);
    }
    this.undelivered = messageSeqs.filter((seq) => seq > this.cursor && !this.delivered.has(seq)).length;
    this.nextSeq = Math.max(highest, this.cursor) + 1;
    if (this.undelivered === 0) {
      // Everything was delivered; the files only say so. Every message frame is followed by the
      // frames recording its delivery, so deleting oldest first never leaves a misleading suffix.
      this.cursor = this.nextSeq - 1;
      this.delivered.clear();
    }
    this.durableCursor = this.cursor;
    this.replayPosition = { segmentId: this.segments[0]?.id ?? 0, offset: 0 };
    this.options.metrics?.recovered(this.undelivered, this.segments.reduce((sum, segment) => sum + segment.size, 0));
    if (this.segments.length > 0) {
      this.options.logger?.info(
        { dir: this.options.dir, segments: this.segments.length, undelivered: this.undelivered },
        'spool recovered',
      );
    }
    if (this.undelivered === 0) await this.dropDelivered();
  }
}
