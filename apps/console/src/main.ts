import { Module } from '@nestjs/common';
import { runService } from '@tracklane/observability';
import { ConsoleEnv } from './console.env';
import { consoleRoutes } from './console.routes';

/** Needs no Kafka, PostgreSQL or Redis: the APIs behind it do the work and enforce tenancy. */
@Module({})
class ConsoleModule {}

runService({
  name: 'console',
  envClass: ConsoleEnv,
  module: () => ConsoleModule,
  configure: (app, env) => consoleRoutes(app.getHttpAdapter().getInstance(), env),
});
