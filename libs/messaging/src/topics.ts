import { EventContract, STREAMS, TopicNames, topicNames } from '@tracklane/contracts';

/** Topic names of this deployment: the contracts' names behind KAFKA_TOPIC_PREFIX. */
export class Topics {
  constructor(readonly prefix: string) {}

  of(contract: EventContract<unknown>): TopicNames {
    return topicNames(contract, this.prefix);
  }

  /** Main topics whose contracts need no per-key order: a producer may choose their partitions freely. */
  unordered(): string[] {
    return STREAMS.filter((contract) => contract.ordering === 'none').map((contract) => this.of(contract).main);
  }
}
