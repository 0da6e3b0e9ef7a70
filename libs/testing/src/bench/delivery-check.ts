import { Kafka } from 'kafkajs';
import { readTopic } from '../kafka';

export interface DeliveryCheck {
  /** Ids the server said yes to (a 302, a 2xx). */
  acknowledged: number;
  /** Acknowledged ids found in the topic. */
  found: number;
  /** Acknowledged ids missing from the topic: a broken promise. */
  lost: number;
  /** Lost ids, a few of them, for the report. */
  lostSample: string[];
  /** Ids in the topic more than once (a send repeated after its acknowledgement was lost), counted once per extra copy. */
  duplicates: number;
  /** Ids in the topic whose answer never reached the client (cut off at the end of a run, timed out): not promised, not lost. */
  unanswered: number;
  /** Messages in the topic. */
  messages: number;
}

/** Every message of a topic, read to its high-water marks as they are now. */
export async function readWholeTopic(kafka: Kafka, topic: string, timeoutMs = 180_000): Promise<Array<Buffer | null>> {
  const admin = kafka.admin();
  await admin.connect();
  let expected: number;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    expected = offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
  } finally {
    await admin.disconnect();
  }
  if (expected === 0) return [];
  const messages = await readTopic(kafka, topic, { expected, timeoutMs, idleMs: 200 });
  if (messages.length < expected) throw new Error(`read ${messages.length} of the ${expected} messages in ${topic} before the timeout`);
  return messages.map((message) => message.value);
}

/** Compares the ids a server acknowledged with the ids a topic holds. */
export function checkDelivery(acknowledged: ReadonlySet<string>, idsInTopic: Iterable<string>): DeliveryCheck {
  const seen = new Set<string>();
  let duplicates = 0;
  let messages = 0;
  for (const id of idsInTopic) {
    messages++;
    if (seen.has(id)) duplicates++;
    else seen.add(id);
  }
  let found = 0;
  const lostSample: string[] = [];
  for (const id of acknowledged) {
    if (seen.has(id)) found++;
    else if (lostSample.length < 5) lostSample.push(id);
  }
  return {
    acknowledged: acknowledged.size,
    found,
    lost: acknowledged.size - found,
    lostSample,
    duplicates,
    unanswered: seen.size - found,
    messages,
  };
}

export function formatDelivery(what: string, topic: string, check: DeliveryCheck): string {
  const lost = check.lost === 0 ? 'lost 0' : `LOST ${check.lost} (e.g. ${check.lostSample.join(', ')})`;
  return (
    `${what} acknowledged ${check.acknowledged.toLocaleString('en-US')}, found by id in ${topic} ${check.found.toLocaleString('en-US')}: ${lost}; ` +
    `duplicate copies ${check.duplicates}, in the topic but never answered ${check.unanswered} (${check.messages.toLocaleString('en-US')} messages)`
  );
}
