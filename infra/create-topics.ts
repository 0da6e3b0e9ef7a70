import { allTopics } from '@tracklane/contracts';
import { createKafka, ensureTopics } from '@tracklane/messaging';

// Creates every contract topic that is missing: KAFKA_PARTITIONS partitions
// (default 12) for the streams and their retry topics, one for dead letters.
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092';
const partitions = Number(process.env.KAFKA_PARTITIONS ?? 12);
const prefix = process.env.KAFKA_TOPIC_PREFIX ?? '';

if (!Number.isInteger(partitions) || partitions < 1) {
  console.error('KAFKA_PARTITIONS must be a positive integer');
  process.exit(1);
}

ensureTopics(createKafka({ brokers, clientId: 'tracklane-infra' }), allTopics({ partitions, prefix })).then(
  (created) => console.log(`topics: ${created.length ? `created ${created.join(', ')}` : 'all present'}`),
  (error: Error) => {
    console.error(`topics: ${error.message}`);
    process.exit(1);
  },
);
