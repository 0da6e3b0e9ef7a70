import { Kafka, LogEntry, logLevel } from 'kafkajs';
import type { Logger } from 'pino';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export interface KafkaClientOptions {
  brokers: string[] | string;
  clientId: string;
  logger?: Logger;
}

export function parseBrokers(brokers: string[] | string): string[] {
  return Array.isArray(brokers) ? brokers : brokers.split(',').map((broker) => broker.trim());
}

/** The kafkajs client, logging through pino (kafkajs INFO chatter is kept at debug). */
export function createKafka(options: KafkaClientOptions): Kafka {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  const logger = options.logger;
  return new Kafka({
    clientId: options.clientId,
    brokers: parseBrokers(options.brokers),
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    logLevel: logger ? logLevel.WARN : logLevel.NOTHING,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        if (!logger) return;
        const { message, ...fields } = log;
        logger[LEVELS[level] ?? 'debug']({ kafka: fields }, `kafkajs: ${message}`);
      },
  });
}
