import { ConfigError, loadEnv, ServiceEnv } from '@tracklane/config';
import { allTopics } from '@tracklane/contracts';
import { checkTopics, createKafka, ensureTopics, topicSettingsOf } from '@tracklane/messaging';

// Creates every contract topic that is missing, as the environment says
// (KAFKA_PARTITIONS for the streams and their retry topics, one partition for
// dead letters; KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS,
// KAFKA_RETENTION_HOURS, KAFKA_DEAD_LETTER_RETENTION_HOURS), then says how
// topics that already existed are weaker than that (they are not changed).
async function main(): Promise<void> {
  const env = loadEnv(ServiceEnv);
  const kafka = createKafka({ brokers: env.KAFKA_BROKERS, clientId: 'tracklane-infra' });
  const topics = allTopics({ partitions: env.KAFKA_PARTITIONS, prefix: env.KAFKA_TOPIC_PREFIX });
  const settings = topicSettingsOf(env);
  const created = await ensureTopics(kafka, topics, settings);
  console.log(`topics: ${created.length ? `created ${created.join(', ')}` : 'all present'}`);
  for (const finding of await checkTopics(kafka, topics, settings)) console.log(`topics: weaker than configured: ${finding}`);
}

main().catch((error: Error) => {
  console.error(error instanceof ConfigError ? error.message : `topics: ${error.message}`);
  process.exit(1);
});
