import { DEFAULT_TOPIC_SETTINGS, TopicState, weakerThanConfigured } from './kafka-admin';

const HOUR = 3_600_000;
const production = { replicationFactor: 3, minInsyncReplicas: 2, retentionMs: 168 * HOUR, deadLetterRetentionMs: 720 * HOUR };
const state = (overrides: Partial<TopicState> = {}): TopicState => ({
  name: 'clicks.v1',
  partitions: 12,
  replicationFactor: 3,
  minInsyncReplicas: 2,
  retentionMs: 168 * HOUR,
  ...overrides,
});

describe('topics weaker than configured', () => {
  it('finds nothing in a topic as configured, or stronger', () => {
    expect(weakerThanConfigured(state(), { name: 'clicks.v1', partitions: 12 }, production)).toEqual([]);
    expect(weakerThanConfigured(state({ partitions: 24, retentionMs: -1, minInsyncReplicas: 3 }), { name: 'clicks.v1', partitions: 12 }, production)).toEqual([]);
  });

  it('names every setting that is weaker, with both values', () => {
    expect(weakerThanConfigured(state({ partitions: 6, replicationFactor: 1, minInsyncReplicas: 1, retentionMs: 24 * HOUR }), { name: 'clicks.v1', partitions: 12 }, production)).toEqual([
      'clicks.v1: 6 partitions, configured 12',
      'clicks.v1: replication factor 1, configured 3',
      'clicks.v1: min.insync.replicas 1, configured 2',
      'clicks.v1: retention 24 h, configured 168 h',
    ]);
  });

  it('holds dead-letter topics to their own retention', () => {
    const deadLetters = state({ name: 'clicks.dlq.v1', partitions: 1, retentionMs: 168 * HOUR });
    expect(weakerThanConfigured(deadLetters, { name: 'clicks.dlq.v1', partitions: 1, deadLetter: true }, production)).toEqual(['clicks.dlq.v1: retention 168 h, configured 720 h']);
    expect(weakerThanConfigured(deadLetters, { name: 'clicks.dlq.v1', partitions: 1, deadLetter: true }, { ...production, deadLetterRetentionMs: DEFAULT_TOPIC_SETTINGS.retentionMs })).toEqual([]);
  });
});
