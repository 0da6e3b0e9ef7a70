import { Kafka } from 'kafkajs';

export interface TopicSpec {
  name: string;
  partitions: number;
}

/** Creates the topics that do not exist yet; existing ones are left as they are. */
export async function ensureTopics(kafka: Kafka, topics: TopicSpec[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic: topic.name, numPartitions: topic.partitions, replicationFactor: -1 })),
      });
    }
    return missing.map((topic) => topic.name);
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
