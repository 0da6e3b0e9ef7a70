import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

export type { Logger } from 'pino';

/** Credentials: their values never reach a log line, at the top level or one level down. */
const SECRET_FIELDS = [
  'token',
  'secret',
  'password',
  'apiKey',
  'api_key',
  'authorization',
  'signature',
  'postbackToken',
  'postbackSecret',
  'signingSecret',
  'keyHash',
  'cookie',
];
const SECRET_HEADERS = ['authorization', '"x-api-key"', '"x-tracklane-token"', '"x-tracklane-signature"', 'cookie'];

/** Fields holding a URL: kept, with credentials in their query string or user info masked. */
const URL_FIELDS = ['url', '*.url'];

const REDACTED = [
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`]),
  ...SECRET_HEADERS.flatMap((header) => [`headers[${header}]`, `*.headers[${header}]`]),
  ...URL_FIELDS,
];

/** Query parameters that carry credentials (?api_key= on report URLs, ?token= on postbacks). */
const SECRET_PARAMS = /([?&](?:api_key|apikey|key|token|security_token|signature|secret|password)=)[^&#\s]*/gi;

/** What a redacted path's value becomes: URLs keep their shape, secrets go entirely. */
function censor(value: unknown, path: string[]): unknown {
  if (path[path.length - 1] !== 'url' || typeof value !== 'string') return '[redacted]';
  return value.replace(/\/\/[^/@\s]*@/, '//[redacted]@').replace(SECRET_PARAMS, '$1[redacted]');
}

export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  const options = {
    level,
    base: { service },
    redact: { paths: REDACTED, censor },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Routes NestJS's own messages (module init, route mapping, errors) through pino. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
