import 'reflect-metadata';
import { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigError, ConfigModule, ServiceEnv, loadEnv } from '@tracklane/config';
import { Registry } from 'prom-client';
import { HealthRegistry } from './health';
import { Logger, PinoNestLogger, createLogger } from './logger';
import { ObservabilityModule } from './observability.module';

type FastifyOptions = ConstructorParameters<typeof FastifyAdapter>[0];

export interface ServiceDefinition<E extends ServiceEnv> {
  name: string;
  envClass: new () => E;
  /** The service's root module; it receives the validated environment. */
  module: (env: E) => Type<unknown> | DynamicModule;
  /** Fastify options such as bodyLimit (or a function of the environment); the adapter's logger stays off (we log ourselves). */
  fastify?: FastifyOptions | ((env: E) => FastifyOptions);
  /** Last chance to add routes or hooks before the server listens. */
  configure?: (app: NestFastifyApplication, env: E) => void | Promise<void>;
}

export interface RunningService<E extends ServiceEnv> {
  app: NestFastifyApplication;
  env: E;
  logger: Logger;
  url: string;
  close(): Promise<void>;
}

/** The root module of a service: its validated environment, logs and metrics, and its own module. */
export function serviceRoot<E extends ServiceEnv>(definition: ServiceDefinition<E>, env: E, logger: Logger): DynamicModule {
  return {
    module: class ServiceRoot {},
    imports: [ConfigModule.forRoot(definition.envClass, env), ObservabilityModule.forRoot({ logger }), definition.module(env)],
  };
}

/**
 * Builds and starts one Tracklane service: validated config, pino logs,
 * /healthz, /readyz and /metrics, graceful shutdown. Used by every app's
 * main.ts and by integration tests that run a service in-process.
 */
export async function startService<E extends ServiceEnv>(
  definition: ServiceDefinition<E>,
  env: E = loadEnv(definition.envClass),
): Promise<RunningService<E>> {
  const logger = createLogger(definition.name, env.LOG_LEVEL);
  const fastify = typeof definition.fastify === 'function' ? definition.fastify(env) : definition.fastify;
  // A closing server still answers requests on connections it has open (each with Connection: close) rather than a 503:
  // a request it took is served, and the caller's next one goes to another instance.
  const adapter = new FastifyAdapter({ logger: false, return503OnClosing: false, ...fastify });
  const app = await NestFactory.create<NestFastifyApplication>(
    serviceRoot(definition, env, logger),
    adapter,
    { logger: new PinoNestLogger(logger), bufferLogs: false, abortOnError: false },
  );

  const health = app.get(HealthRegistry);
  const metrics = app.get(Registry);
  const server = app.getHttpAdapter().getInstance();
  server.get('/healthz', async () => ({ status: 'ok' }));
  server.get('/readyz', async (_request, reply) => {
    const report = await health.report();
    return reply.code(report.ready ? 200 : 503).send(report);
  });
  server.get('/metrics', async (_request, reply) =>
    reply.header('content-type', metrics.contentType).send(await metrics.metrics()),
  );

  await definition.configure?.(app, env);
  await app.listen(env.PORT, env.HOST);
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : env.PORT;
  const url = `http://${env.HOST}:${port}`;
  logger.info({ port, url }, 'listening');

  return {
    app,
    env,
    logger,
    url,
    // Drains in order: reports not ready (and keeps serving for SHUTDOWN_DELAY_MS while load balancers notice), stops
    // listening and answers what it has taken, and only then stops its modules: producers flush, consumers commit, pools close.
    close: async () => {
      health.markStopping();
      if (env.SHUTDOWN_DELAY_MS > 0) await new Promise((resolve) => setTimeout(resolve, env.SHUTDOWN_DELAY_MS));
      await server.close();
      await app.close();
    },
  };
}

/**
 * The body of every main.ts: start the service, stop it cleanly on SIGTERM or
 * SIGINT (draining in-flight work, bounded by SHUTDOWN_GRACE_MS), and exit
 * with a message naming the variable when the configuration is invalid.
 */
export function runService<E extends ServiceEnv>(definition: ServiceDefinition<E>): void {
  let env: E;
  try {
    env = loadEnv(definition.envClass);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${definition.name}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  const crash = (logger: Logger) => (error: unknown) => {
    logger.fatal({ err: error }, 'unhandled error; exiting');
    process.exit(1);
  };

  startService(definition, env).then(
    (service) => {
      process.on('uncaughtException', crash(service.logger));
      process.on('unhandledRejection', crash(service.logger));
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        service.logger.info({ signal }, 'stopping');
        const force = setTimeout(() => {
          service.logger.error({ graceMs: env.SHUTDOWN_GRACE_MS }, 'shutdown grace period over; exiting');
          process.exit(1);
        }, env.SHUTDOWN_GRACE_MS);
        force.unref();
        service.close().then(
          () => {
            service.logger.info('stopped');
            process.exit(0);
          },
          (error) => crash(service.logger)(error),
        );
      };
      process.on('SIGTERM', () => stop('SIGTERM'));
      process.on('SIGINT', () => stop('SIGINT'));
    },
    (error) => {
      createLogger(definition.name).fatal({ err: error }, 'failed to start');
      process.exit(1);
    },
  );
}
