import { ICustomPartitioner, Kafka, Partitioners, PartitionerArgs, Producer, RecordMetadata, TopicMessages } from 'kafkajs';
import { randomInt } from 'node:crypto';
import { Counter, Histogram, Registry } from 'prom-client';
import { OutgoingMessage } from '../messages';
import { MessageProducer, ProducerClosedError } from '../producer';

export interface KafkaProducerOptions {
  /** Most messages in one produce request (default 2000). */
  maxBatchMessages?: number;
  /**
   * Most bytes in one produce request (default 900 kB). The broker refuses a
   * partition's batch above its message.max.bytes (1 MiB by default), and
   * kafkajs gives up on such a request for good; keeping whole requests under
   * it keeps every partition's batch under it.
   */
  maxBatchBytes?: number;
  /**
   * kafkajs retries of one request before the sends in it fail (default 3);
   * also the most times the messages Kafka's answer left out are sent again.
   */
  retries?: number;
  /**
   * Topics whose messages need no per-key order (contract ordering "none").
   * Each produce request puts all of its messages for such a topic into one
   * partition, the next request into the next one: one record batch per
   * request instead of one per partition its keys hash to. Keys are sent
   * unchanged. Every other topic is partitioned by key.
   */
  unorderedTopics?: readonly string[];
  /**
   * Longest time a request waits for more sends to join it (default 500 µs).
   * It waits by event-loop turns, not timers: a turn that brought no new
   * send ends the wait at once, so an idle process sends at once.
   */
  lingerMicros?: number;
  metrics?: Registry;
}

interface PendingSend {
  topic: string;
  messages: OutgoingMessage[];
  bytes: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** What a message adds to a produce request, near enough: its key, value and headers plus record overhead. */
function sizeOf(message: OutgoingMessage): number {
  let bytes = 64 + Buffer.byteLength(message.key) + (typeof message.value === 'string' ? Buffer.byteLength(message.value) : message.value.length);
  for (const name in message.headers) bytes += name.length + Buffer.byteLength(message.headers[name]);
  return bytes;
}

/**
 * Partitions by key (kafkajs's default, Java-compatible murmur2) except for
 * unordered topics, whose messages all go to the partition of the current
 * request; `nextRequest` moves every unordered topic on to its next partition.
 * It remembers where it put each message of the current request, so that
 * the messages of a partition missing from Kafka's answer can be found.
 */
class RequestStickyPartitioner {
  private readonly byKey = Partitioners.DefaultPartitioner();
  private readonly unordered: ReadonlySet<string>;
  /** Where each process starts, so instances do not all begin on partition 0. */
  private request = randomInt(1 << 30);
  /**
   * The partitions given to the current request's messages, per topic, in
   * the order kafkajs asked. kafkajs asks for every message of a topic, in
   * order, at each attempt (a retry may place them elsewhere).
   */
  private placements = new Map<string, number[]>();

  constructor(unorderedTopics: readonly string[]) {
    this.unordered = new Set(unorderedTopics);
  }

  nextRequest(): void {
    this.request++;
    this.placements = new Map();
  }

  /** The messages of the current request whose partition at the last attempt Kafka's answer does not name. */
  unanswered(request: TopicMessages[], answers: RecordMetadata[]): TopicMessages[] {
    const left: TopicMessages[] = [];
    for (const { topic, messages } of request) {
      const answered = new Set(answers.filter(({ topicName }) => topicName === topic).map(({ partition }) => partition));
      const placed = this.placements.get(topic) ?? [];
      const lastAttempt = placed.length - messages.length;
      const unanswered = lastAttempt < 0 ? messages : messages.filter((_, index) => !answered.has(placed[lastAttempt + index]));
      if (unanswered.length > 0) left.push({ topic, messages: unanswered });
    }
    return left;
  }

  readonly partition = (args: PartitionerArgs): number => {
    const partition = this.choose(args);
    const placed = this.placements.get(args.topic);
    if (placed) placed.push(partition);
    else this.placements.set(args.topic, [partition]);
    return partition;
  };

  private choose(args: PartitionerArgs): number {
    if (!this.unordered.has(args.topic)) return this.byKey(args);
    const metadata = args.partitionMetadata;
    // A partition without a leader cannot take the batch now; pick among those with one (kafkajs does the same for keyless messages).
    let available = 0;
    for (const partition of metadata) if (partition.leader >= 0) available++;
    if (available === 0) return metadata[this.request % metadata.length].partitionId;
    let index = this.request % available;
    for (const partition of metadata) {
      if (partition.leader < 0) continue;
      if (index-- === 0) return partition.partitionId;
    }
    return metadata[0].partitionId;
  }
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One idempotent producer per process (acks = all). kafkajs has no linger,
 * so batching happens here: every send made while a request is in flight
 * joins the next request, and before a request goes out it waits a few
 * event-loop turns as long as each brings more sends (at most lingerMicros),
 * so the batch grows with the load instead of adding a fixed delay or a
 * timer wake-up to each send. Per-message cost in kafkajs falls steeply with
 * batch size, and unordered topics put a whole batch in one partition.
 */
export class KafkaMessageProducer implements MessageProducer {
  private producer: Producer;
  private readonly newProducer: () => Producer;
  private readonly maxBatchMessages: number;
  private readonly maxBatchBytes: number;
  private readonly lingerMicros: number;
  private readonly retries: number;
  private readonly partitioner: RequestStickyPartitioner;
  private queue: PendingSend[] = [];
  private queuedMessages = 0;
  private draining: Promise<void> | null = null;
  private connecting: Promise<void> | null = null;
  private preparing: Promise<void> | null = null;
  private closed = false;
  private readonly sent?: Counter;
  private readonly failed?: Counter;
  private readonly resent?: Counter;
  private readonly batchSize?: Histogram;

  constructor(kafka: Kafka, options: KafkaProducerOptions = {}) {
    this.maxBatchMessages = options.maxBatchMessages ?? 2000;
    this.maxBatchBytes = options.maxBatchBytes ?? 900_000;
    this.lingerMicros = options.lingerMicros ?? 500;
    this.retries = options.retries ?? 3;
    this.partitioner = new RequestStickyPartitioner(options.unorderedTopics ?? []);
    const createPartitioner: ICustomPartitioner = () => this.partitioner.partition;
    this.newProducer = () =>
      kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner,
        retry: { retries: this.retries, initialRetryTime: 100, maxRetryTime: 1_000 },
      });
    this.producer = this.newProducer();
    if (options.metrics) {
      this.sent = new Counter({
        name: 'tracklane_kafka_messages_sent_total',
        help: 'Messages acknowledged by Kafka',
        labelNames: ['topic'],
        registers: [options.metrics],
      });
      this.failed = new Counter({
        name: 'tracklane_kafka_messages_failed_total',
        help: 'Messages Kafka did not acknowledge',
        labelNames: ['topic'],
        registers: [options.metrics],
      });
      this.resent = new Counter({
        name: 'tracklane_kafka_messages_resent_total',
        help: "Messages sent again because Kafka's answer to their request left out their partition",
        labelNames: ['topic'],
        registers: [options.metrics],
      });
      this.batchSize = new Histogram({
        name: 'tracklane_kafka_produce_batch_messages',
        help: 'Messages per produce request',
        buckets: [1, 5, 20, 100, 500, 2000],
        registers: [options.metrics],
      });
    }
  }

  send(topic: string, messages: OutgoingMessage[]): Promise<void> {
    if (this.closed) return Promise.reject(new ProducerClosedError());
    if (messages.length === 0) return Promise.resolve();
    // A send too big for one request travels in several; it succeeds when all of them do.
    const parts: Array<Promise<void>> = [];
    let start = 0;
    let bytes = 0;
    for (let index = 0; index <= messages.length; index++) {
      const size = index < messages.length ? sizeOf(messages[index]) : 0;
      const full = index - start >= this.maxBatchMessages || bytes + size > this.maxBatchBytes;
      if (index > start && (index === messages.length || full)) {
        parts.push(this.enqueue(topic, messages.slice(start, index), bytes));
        start = index;
        bytes = 0;
      }
      bytes += size;
    }
    return parts.length === 1 ? parts[0] : Promise.all(parts).then(() => undefined);
  }

  private enqueue(topic: string, messages: OutgoingMessage[], bytes: number): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ topic, messages, bytes, resolve, reject });
      this.queuedMessages += messages.length;
      this.draining ??= this.drain();
    });
  }

  prepare(topics: readonly string[]): Promise<void> {
    // A batch without messages loads the topics' metadata and sends nothing.
    this.preparing ??= this.connect()
      .then(() => this.producer.sendBatch({ topicMessages: topics.map((topic) => ({ topic, messages: [] })), acks: -1 }))
      .then(
        () => undefined,
        (error: Error) => {
          this.preparing = null;
          throw error;
        },
      );
    return this.preparing;
  }

  async flush(): Promise<void> {
    while (this.draining) await this.draining;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    await this.producer.disconnect();
  }

  private connect(): Promise<void> {
    this.connecting ??= this.producer.connect().catch((error: Error) => {
      this.connecting = null;
      throw error;
    });
    return this.connecting;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        await this.gather();
        const batch = this.take();
        await this.deliver(batch);
      }
    } finally {
      this.draining = null;
    }
  }

  /**
   * The linger: every send of the current turn joins, then further turns as
   * long as each brought a send, the request is not full and lingerMicros
   * have not passed. A turn handles whatever the sockets delivered meanwhile
   * (requests that will send too) without sleeping, so it costs no timer.
   */
  private async gather(): Promise<void> {
    const started = performance.now();
    for (;;) {
      const before = this.queuedMessages;
      await nextTurn();
      if (this.queuedMessages === before || this.queuedMessages >= this.maxBatchMessages) return;
      if ((performance.now() - started) * 1000 >= this.lingerMicros) return;
    }
  }

  private take(): PendingSend[] {
    let count = 0;
    let bytes = 0;
    let taken = 0;
    const fits = (next: PendingSend) =>
      count + next.messages.length <= this.maxBatchMessages && bytes + next.bytes <= this.maxBatchBytes;
    while (taken < this.queue.length && (taken === 0 || fits(this.queue[taken]))) {
      count += this.queue[taken].messages.length;
      bytes += this.queue[taken].bytes;
      taken++;
    }
    this.queuedMessages -= count;
    return this.queue.splice(0, taken);
  }

  private async deliver(batch: PendingSend[]): Promise<void> {
    const byTopic = new Map<string, TopicMessages>();
    let count = 0;
    for (const send of batch) {
      let entry = byTopic.get(send.topic);
      if (!entry) {
        entry = { topic: send.topic, messages: [] };
        byTopic.set(send.topic, entry);
      }
      for (const message of send.messages) entry.messages.push(message);
      count += send.messages.length;
    }
    try {
      await this.sendAll([...byTopic.values()]);
      this.batchSize?.observe(count);
      for (const send of batch) {
        this.sent?.inc({ topic: send.topic }, send.messages.length);
        send.resolve();
      }
    } catch (error) {
      this.replaceProducer();
      for (const send of batch) {
        this.failed?.inc({ topic: send.topic }, send.messages.length);
        send.reject(error as Error);
      }
    }
  }

  /**
   * Sends one request and resolves once Kafka has acknowledged every message
   * in it. kafkajs can resolve a request while some of its messages were
   * never written: a request spans the leaders of its partitions, and
   * kafkajs retries only towards the brokers that have not answered yet,
   * grouped by the leaders it now knows. When a broker shuts down, its
   * partitions move to a broker that has already answered for its own, and
   * the retry leaves them out (kafkajs 2.2.4; its open pull request #1798
   * describes the same). So the answer is checked: the messages of every
   * partition it does not name are sent again, by a new producer (the failure
   * behind it left sequence numbers in doubt, as below).
   */
  private async sendAll(request: TopicMessages[]): Promise<void> {
    // One request at a time (the drain is serial): the partitioner's placements are this request's.
    let unanswered = request;
    for (let round = 0; ; round++) {
      await this.connect();
      this.partitioner.nextRequest();
      const answers = await this.producer.sendBatch({ topicMessages: unanswered, acks: -1 });
      unanswered = this.partitioner.unanswered(unanswered, answers);
      if (unanswered.length === 0) return;
      const left = unanswered.reduce((sum, { messages }) => sum + messages.length, 0);
      if (round >= this.retries) throw new Error(`Kafka's answer left out the partitions of ${left} messages, ${round + 1} times`);
      for (const { topic, messages } of unanswered) this.resent?.inc({ topic }, messages.length);
      this.replaceProducer();
    }
  }

  /**
   * After a failed send the idempotent producer's sequence numbers cannot be
   * trusted: kafkajs takes a failed batch's numbers back, yet the broker may
   * have appended it (a request that timed out, or "not enough replicas after
   * append" while the in-sync set shrinks). The next, different batch would
   * then carry the same numbers, and the broker would answer it as a
   * duplicate — success, with the old batch's offset — and drop it: messages
   * acknowledged and lost. A new producer gets a new producer id and starts
   * its sequences afresh; the failed batch, if it was written after all, is
   * only a duplicate, which every consumer already tolerates.
   */
  private replaceProducer(): void {
    const broken = this.producer;
    this.producer = this.newProducer();
    this.connecting = null;
    this.preparing = null;
    broken.disconnect().catch(() => undefined);
  }
}
