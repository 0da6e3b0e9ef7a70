import { attributionsV1 } from './attributions.v1';
import { clicksV1 } from './clicks.v1';
import { conversionsV1 } from './conversions.v1';
import { EventContract } from './event-contract';

/**
 * Every topic Tracklane uses, built from the contracts in one place.
 * A deployment (or a test) may put a prefix in front of every name.
 *
 *   <base>            the stream itself, e.g. clicks.v1
 *   <stream>.retry.v1 messages a consumer will look at again later
 *   <stream>.dlq.v1   messages a consumer could not read or process, with the error
 */
export const STREAMS = [clicksV1, conversionsV1, attributionsV1] as const;

function stem(contract: EventContract<unknown>): string {
  return contract.topic.replace(/\.v\d+$/, '');
}

export interface TopicNames {
  main: string;
  retry: string;
  deadLetter: string;
}

export function topicNames(contract: EventContract<unknown>, prefix = ''): TopicNames {
  return {
    main: `${prefix}${contract.topic}`,
    retry: `${prefix}${stem(contract)}.retry.v1`,
    deadLetter: `${prefix}${stem(contract)}.dlq.v1`,
  };
}

export interface TopicSpec {
  name: string;
  partitions: number;
  /** A dead-letter topic: waits for a person, so it is kept longer. */
  deadLetter?: boolean;
}

export interface TopicLayout {
  /** Partitions of the high-volume streams (clicks, conversions) and their retry topics. */
  partitions?: number;
  prefix?: string;
}

/** Every topic with its partition count. Dead-letter topics are for operators and get one partition. */
export function allTopics(layout: TopicLayout = {}): TopicSpec[] {
  const partitions = layout.partitions ?? 12;
  return STREAMS.flatMap((contract) => {
    const names = topicNames(contract, layout.prefix);
    return [
      { name: names.main, partitions },
      { name: names.retry, partitions },
      { name: names.deadLetter, partitions: 1, deadLetter: true },
    ];
  });
}
