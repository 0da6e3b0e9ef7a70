import type { ConsumedMessage, DeadLetter } from '@tracklane/messaging';
import { isDataError } from './data-error';

export interface Isolated<R> {
  results: R[];
  deadLetters: DeadLetter[];
}

/**
 * The one poison-isolation routine of the consumers that write to Postgres.
 * Runs a batch's work at once; if the database refuses the batch because of
 * what some message holds (isDataError), runs it again one message at a time,
 * in order, so that the messages at fault go to the dead-letter topic with
 * the error and the rest are processed. Transient errors are thrown for the
 * consumer to retry the whole batch.
 */
export async function isolatePoison<T, R>(
  messages: ConsumedMessage<T>[],
  work: (messages: ConsumedMessage<T>[]) => Promise<R>,
): Promise<Isolated<R>> {
  try {
    return { results: [await work(messages)], deadLetters: [] };
  } catch (error) {
    if (!isDataError(error)) throw error;
    if (messages.length === 1) return { results: [], deadLetters: [deadLetterOf(messages[0], error)] };
  }
  const isolated: Isolated<R> = { results: [], deadLetters: [] };
  for (const message of messages) {
    try {
      isolated.results.push(await work([message]));
    } catch (error) {
      if (!isDataError(error)) throw error;
      isolated.deadLetters.push(deadLetterOf(message, error));
    }
  }
  return isolated;
}

function deadLetterOf(message: ConsumedMessage<unknown>, error: unknown): DeadLetter {
  return { message, error: `refused by the database: ${(error as Error).message}` };
}
