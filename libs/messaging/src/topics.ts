import { EventContract, TopicNames, topicNames } from '@tracklane/contracts';

/** Topic names of this deployment: the contracts' names behind KAFKA_TOPIC_PREFIX. */
export class Topics {
  constructor(readonly prefix: string) {}

  of(contract: EventContract<unknown>): TopicNames {
    return topicNames(contract, this.prefix);
  }
}
