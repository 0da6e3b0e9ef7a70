import { crc32 } from 'node:zlib';

/**
 * The spool's on-disk records. Every frame is
 *
 *   u32 body length | u32 CRC-32 of the body | body
 *
 * so a frame torn by a crash (short, or with a CRC that does not match) is
 * recognised and everything from it on is ignored: the writer never told
 * anyone that such a frame was durable.
 *
 *   message     u8 1 | f64 seq | u16 topic length | topic | u16 key length | key | value
 *   ack         u8 2 | f64 seq                       (delivered by its original send, after all)
 *   checkpoint  u8 3 | f64 cursor | u32 n | n × f64   (every seq ≤ cursor is delivered; so are the n listed)
 */
export interface SpooledMessage {
  topic: string;
  key: string;
  value: Buffer;
}

export interface SpoolEntry extends SpooledMessage {
  seq: number;
}

export type SpoolRecord =
  | { type: 'message'; entry: SpoolEntry }
  | { type: 'ack'; seq: number }
  | { type: 'checkpoint'; cursor: number; delivered: number[] };

const MESSAGE = 1;
const ACK = 2;
const CHECKPOINT = 3;
const FRAME_HEADER = 8;
/** A frame claiming more than this is treated as corrupt rather than allocated. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

function frame(body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER + body.length);
  out.writeUInt32LE(body.length, 0);
  out.writeUInt32LE(crc32(body), 4);
  body.copy(out, FRAME_HEADER);
  return out;
}

export function encodeMessage(entry: SpoolEntry): Buffer {
  const topic = Buffer.from(entry.topic, 'utf8');
  const key = Buffer.from(entry.key, 'utf8');
  const body = Buffer.allocUnsafe(1 + 8 + 2 + topic.length + 2 + key.length + entry.value.length);
  let at = body.writeUInt8(MESSAGE, 0);
  at = body.writeDoubleLE(entry.seq, at);
  at = body.writeUInt16LE(topic.length, at);
  at += topic.copy(body, at);
  at = body.writeUInt16LE(key.length, at);
  at += key.copy(body, at);
  entry.value.copy(body, at);
  return frame(body);
}

export function encodeAck(seq: number): Buffer {
  const body = Buffer.allocUnsafe(9);
  body.writeUInt8(ACK, 0);
  body.writeDoubleLE(seq, 1);
  return frame(body);
}

export function encodeCheckpoint(cursor: number, delivered: Iterable<number>): Buffer {
  const seqs = [...delivered];
  const body = Buffer.allocUnsafe(1 + 8 + 4 + seqs.length * 8);
  let at = body.writeUInt8(CHECKPOINT, 0);
  at = body.writeDoubleLE(cursor, at);
  at = body.writeUInt32LE(seqs.length, at);
  for (const seq of seqs) at = body.writeDoubleLE(seq, at);
  return frame(body);
}

function decodeBody(body: Buffer): SpoolRecord | null {
  switch (body[0]) {
    case MESSAGE: {
      if (body.length < 13) return null;
      const seq = body.readDoubleLE(1);
      const topicLength = body.readUInt16LE(9);
      const keyAt = 11 + topicLength;
      if (keyAt + 2 > body.length) return null;
      const keyLength = body.readUInt16LE(keyAt);
      const valueAt = keyAt + 2 + keyLength;
      if (valueAt > body.length) return null;
      return {
        type: 'message',
        entry: {
          seq,
          topic: body.toString('utf8', 11, keyAt),
          key: body.toString('utf8', keyAt + 2, valueAt),
          value: Buffer.from(body.subarray(valueAt)),
        },
      };
    }
    case ACK:
      return body.length === 9 ? { type: 'ack', seq: body.readDoubleLE(1) } : null;
    case CHECKPOINT: {
      if (body.length < 13) return null;
      const count = body.readUInt32LE(9);
      if (body.length !== 13 + count * 8) return null;
      const delivered: number[] = [];
      for (let i = 0; i < count; i++) delivered.push(body.readDoubleLE(13 + i * 8));
      return { type: 'checkpoint', cursor: body.readDoubleLE(1), delivered };
    }
    default:
      return null;
  }
}

export interface DecodedFrames {
  records: SpoolRecord[];
  /** Where each record's frame ends in `buffer`. */
  ends: number[];
  /** Bytes of `buffer` taken by whole, valid frames. */
  consumed: number;
  /** Why decoding stopped before the end of the buffer: a torn or corrupt frame. */
  damaged: 'torn' | 'corrupt' | null;
}

/**
 * Decodes the whole frames at the start of `buffer`. A frame cut off at the
 * end is reported as torn when `atEnd` (nothing more will ever follow it),
 * and otherwise left for the caller to read again with more bytes.
 */
export function decodeFrames(buffer: Buffer, atEnd: boolean): DecodedFrames {
  const records: SpoolRecord[] = [];
  const ends: number[] = [];
  const stop = (damaged: DecodedFrames['damaged']): DecodedFrames => ({ records, ends, consumed: at, damaged });
  let at = 0;
  while (at < buffer.length) {
    if (buffer.length - at < FRAME_HEADER) return stop(atEnd ? 'torn' : null);
    const length = buffer.readUInt32LE(at);
    if (length === 0 || length > MAX_FRAME_BYTES) return stop('corrupt');
    const end = at + FRAME_HEADER + length;
    if (end > buffer.length) return stop(atEnd ? 'torn' : null);
    const body = buffer.subarray(at + FRAME_HEADER, end);
    const record = crc32(body) === buffer.readUInt32LE(at + 4) ? decodeBody(body) : null;
    if (!record) return stop('corrupt');
    records.push(record);
    ends.push(end);
    at = end;
  }
  return stop(null);
}
