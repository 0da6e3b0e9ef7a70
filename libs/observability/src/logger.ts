import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

export type { Logger } from 'pino';

/** Credentials: their values never reach a log line, at the top level or one level down. */
const SECRET_FIELDS = new Set([
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
]);
const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'x-tracklane-token', 'x-tracklane-signature', 'cookie']);

/** Query parameters that carry credentials (?api_key= on report URLs, ?token= on postbacks). */
const SECRET_PARAMS = /([?&](?:api_key|apikey|key|token|security_token|signature|secret|password)=)[^&#\s]*/gi;

const REDACTED = '[redacted]';

/** A URL keeps its shape; the user info and credentials in its query string are masked. */
function maskUrl(url: string): string {
  return url.replace(/\/\/[^/@\s]*@/, '//[redacted]@').replace(SECRET_PARAMS, '$1[redacted]');
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && (Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null);

/** A copy of `object` with each field mapped, or the object itself when no field changed. */
function mapFields(object: Record<string, unknown>, map: (name: string, value: unknown) => unknown): Record<string, unknown> {
  let copy: Record<string, unknown> | null = null;
  for (const name of Object.keys(object)) {
    const value = object[name];
    const next = map(name, value);
    if (next !== value) (copy ??= { ...object })[name] = next;
  }
  return copy ?? object;
}

/** One field's value as it may be logged: `depth` 0 at the top level, 1 one level down. */
function redactField(name: string, value: unknown, depth: number): unknown {
  if (SECRET_FIELDS.has(name)) return REDACTED;
  if (name === 'url') return typeof value === 'string' ? maskUrl(value) : REDACTED;
  if (name === 'headers' && isPlainObject(value)) {
    return mapFields(value, (header, content) => (SECRET_HEADERS.has(header.toLowerCase()) ? REDACTED : content));
  }
  return depth === 0 && isPlainObject(value) ? mapFields(value, (inner, content) => redactField(inner, content, 1)) : value;
}

/**
 * Every log line's fields in one pass, before pino writes them: secrets at
 * the top level or one level down, secret headers of a `headers` object there,
 * credentials inside `url` fields. (pino's own path redaction walked every
 * wildcard path for every line: about 20 µs a line against 2 µs without.)
 * The caller's objects are never changed; child loggers' bindings are fixed
 * labels and are not passed through it.
 */
export function redactLogFields(fields: Record<string, unknown>): Record<string, unknown> {
  return mapFields(fields, (name, value) => redactField(name, value, 0));
}

export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  const options = {
    level,
    base: { service },
    formatters: { log: redactLogFields },
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
