import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AddressPolicy } from '@tracklane/address-policy';
import { CacheModule } from '@tracklane/cache';
import { ConfigError, ConfigModule, loadEnv } from '@tracklane/config';
import { DbModule } from '@tracklane/db';
import { NetworkAdminModule } from '@tracklane/network-admin';
import { ObservabilityModule, PinoNestLogger } from '@tracklane/observability';
import pino from 'pino';
import { baseUrl, ManagementEnv } from '../management.env';

/**
 * Runs an operator command (seed, first admin key) with the same services
 * and audit trail as the API, without serving HTTP. stdout is the command's
 * output; logs go to stderr.
 */
export function runOperatorTool<E extends ManagementEnv>(
  name: string,
  envClass: new () => E,
  work: (context: INestApplicationContext, env: E) => Promise<string>,
): void {
  let env: E;
  try {
    env = loadEnv(envClass);
  } catch (error) {
    process.stderr.write(`${name}: ${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const logger = pino({ level: env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL, base: { service: name } }, pino.destination(2));
  (async () => {
    const context = await NestFactory.createApplicationContext(
      {
        module: class OperatorTool {},
        imports: [
          ConfigModule.forRoot(envClass, env),
          ObservabilityModule.forRoot({ logger }),
          DbModule.forRoot({ poolSize: 2 }),
          CacheModule.forRoot(),
          NetworkAdminModule.forRoot({
            clickIngestUrl: baseUrl(env.CLICK_INGEST_URL),
            postbackIngestUrl: baseUrl(env.POSTBACK_INGEST_URL),
            postbackTargets: AddressPolicy.fromList(env.POSTBACK_ALLOWED_TARGETS),
          }),
        ],
      },
      { logger: new PinoNestLogger(logger), abortOnError: false },
    );
    try {
      process.stdout.write(await work(context, env));
    } finally {
      await context.close();
    }
  })().catch((error) => {
    logger.fatal({ err: error }, `${name} failed`);
    process.stderr.write(`${name} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
