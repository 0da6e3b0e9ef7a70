import { ConfigResourceTypes, Kafka } from 'kafkajs';

export interface TopicSpec {
  name: string;
  partitions: number;
  /** Kept for TopicSettings.deadLetterRetentionMs instead of retentionMs. */
  deadLetter?: boolean;
}

/**
 * How this deployment's topics are meant to be: missing topics are created
 * so, and existing ones are checked against it (a cluster weaker than
 * configured is reported, never changed behind the operator's back).
 * Producers always write with acks=all and idempotence: with a replication
 * factor of 3 and min.insync.replicas 2, an acknowledged message survives
 * the loss of a broker, and writes fail (to the spool, or a 503) rather
 * than being acknowledged by one broker alone.
 */
export interface TopicSettings {
  replicationFactor: number;
  minInsyncReplicas: number;
  /** Retention of the stream and retry topics. */
  retentionMs: number;
  /** Retention of the dead-letter topics, which wait for a person. */
  deadLetterRetentionMs: number;
}

const HOUR_MS = 3_600_000;

export const DEFAULT_TOPIC_SETTINGS: TopicSettings = {
  replicationFactor: 1,
  minInsyncReplicas: 1,
  retentionMs: 168 * HOUR_MS,
  deadLetterRetentionMs: 720 * HOUR_MS,
};

/** The environment's topic settings (ServiceEnv: KAFKA_REPLICATION_FACTOR, …). */
export function topicSettingsOf(env: {
  KAFKA_REPLICATION_FACTOR: number;
  KAFKA_MIN_INSYNC_REPLICAS: number;
  KAFKA_RETENTION_HOURS: number;
  KAFKA_DEAD_LETTER_RETENTION_HOURS: number;
}): TopicSettings {
  return {
    replicationFactor: env.KAFKA_REPLICATION_FACTOR,
    minInsyncReplicas: env.KAFKA_MIN_INSYNC_REPLICAS,
    retentionMs: env.KAFKA_RETENTION_HOURS * HOUR_MS,
    deadLetterRetentionMs: env.KAFKA_DEAD_LETTER_RETENTION_HOURS * HOUR_MS,
  };
}

const retentionOf = (spec: TopicSpec, settings: TopicSettings) => (spec.deadLetter ? settings.deadLetterRetentionMs : settings.retentionMs);

/** Creates the topics that do not exist yet, with the settings; existing ones are left as they are (see checkTopics). */
export async function ensureTopics(kafka: Kafka, topics: TopicSpec[], settings: TopicSettings = DEFAULT_TOPIC_SETTINGS): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic: topic.name,
          numPartitions: topic.partitions,
          replicationFactor: settings.replicationFactor,
          configEntries: [
            { name: 'min.insync.replicas', value: String(settings.minInsyncReplicas) },
            { name: 'retention.ms', value: String(retentionOf(topic, settings)) },
          ],
        })),
      });
    }
    return missing.map((topic) => topic.name);
  } finally {
    await admin.disconnect();
  }
}

/** What Kafka says about one existing topic. */
export interface TopicState {
  name: string;
  partitions: number;
  /** The fewest replicas of any of its partitions. */
  replicationFactor: number;
  minInsyncReplicas: number;
  /** -1: kept for ever. */
  retentionMs: number;
}

/** How an existing topic is weaker than configured, one finding per setting; nothing when it is not. */
export function weakerThanConfigured(state: TopicState, spec: TopicSpec, settings: TopicSettings): string[] {
  const findings: string[] = [];
  const hours = (ms: number) => (ms < 0 ? 'for ever' : `${Math.round(ms / HOUR_MS)} h`);
  if (state.partitions < spec.partitions) findings.push(`${state.name}: ${state.partitions} partitions, configured ${spec.partitions}`);
  if (state.replicationFactor < settings.replicationFactor) {
    findings.push(`${state.name}: replication factor ${state.replicationFactor}, configured ${settings.replicationFactor}`);
  }
  if (state.minInsyncReplicas < settings.minInsyncReplicas) {
    findings.push(`${state.name}: min.insync.replicas ${state.minInsyncReplicas}, configured ${settings.minInsyncReplicas}`);
  }
  const retention = retentionOf(spec, settings);
  if (state.retentionMs >= 0 && state.retentionMs < retention) findings.push(`${state.name}: retention ${hours(state.retentionMs)}, configured ${hours(retention)}`);
  return findings;
}

/** Every way the existing topics are weaker than configured; a missing topic is a finding too. */
export async function checkTopics(kafka: Kafka, topics: TopicSpec[], settings: TopicSettings): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((topic) => existing.has(topic.name));
    const findings = topics.filter((topic) => !existing.has(topic.name)).map((topic) => `${topic.name}: missing`);
    if (present.length === 0) return findings;
    const metadata = await admin.fetchTopicMetadata({ topics: present.map((topic) => topic.name) });
    const configs = await admin.describeConfigs({
      includeSynonyms: false,
      resources: present.map((topic) => ({ type: ConfigResourceTypes.TOPIC, name: topic.name, configNames: ['min.insync.replicas', 'retention.ms'] })),
    });
    for (const spec of present) {
      const partitions = metadata.topics.find((topic) => topic.name === spec.name)?.partitions ?? [];
      const entries = configs.resources.find((resource) => resource.resourceName === spec.name)?.configEntries ?? [];
      const config = (name: string) => Number(entries.find((entry) => entry.configName === name)?.configValue);
      const state: TopicState = {
        name: spec.name,
        partitions: partitions.length,
        replicationFactor: partitions.length === 0 ? 0 : Math.min(...partitions.map((partition) => partition.replicas.length)),
        minInsyncReplicas: config('min.insync.replicas'),
        retentionMs: config('retention.ms'),
      };
      findings.push(...weakerThanConfigured(state, spec, settings));
    }
    return findings;
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopics(kafka: Kafka, names: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const present = names.filter((name) => existing.has(name));
    if (present.length > 0) await admin.deleteTopics({ topics: present });
  } finally {
    await admin.disconnect();
  }
}
