import { KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { batchFailure } from './kafka-batch-consumer';

/** What kafkajs's retrier makes of an error it will not retry (its typings omit the cause). */
const wrappedByRetrier = (error: Error) => Object.assign(new KafkaJSNonRetriableError(error), { cause: error });
const groupError = (type: string) => new KafkaJSProtocolError({ message: `group error ${type}`, type, code: 25, retriable: false } as never);

describe('what a failed batch hands back to kafkajs', () => {
  it('unwraps a lost membership reported by a commit, so the runner rejoins instead of stopping', () => {
    const lost = groupError('UNKNOWN_MEMBER_ID');
    // kafkajs's retrier wraps the commit's protocol error; its runner only rejoins on the bare one.
    expect(batchFailure(wrappedByRetrier(lost))).toBe(lost);
  });

  it('unwraps a rebalance in progress', () => {
    const rebalancing = groupError('REBALANCE_IN_PROGRESS');
    expect(batchFailure(wrappedByRetrier(rebalancing))).toBe(rebalancing);
  });

  it('turns every other failure into a plain error, which kafkajs retries and then restarts on', () => {
    const refused = new KafkaJSNumberOfRetriesExceeded(new Error('connect ECONNREFUSED'), { retryCount: 5, retryTime: 100 });
    const failure = batchFailure(refused);
    expect(failure).not.toBeInstanceOf(KafkaJSNonRetriableError);
    expect(failure.constructor).toBe(Error);
    expect(failure.message).toBe('batch failed: connect ECONNREFUSED');
    expect(batchFailure(new TypeError('x is undefined')).message).toBe('batch failed: x is undefined');
    expect(batchFailure('not an error').message).toBe('batch failed: not an error');
  });
});
