import { frameworkErrors } from '@tracklane/http-api';
import { LOGGER, type Logger, type ServiceDefinition } from '@tracklane/observability';
import { ConsoleEnv } from './console.env';
import { ConsoleModule } from './console.module';
import { consoleRoutes } from './console.routes';

/** The operator console: the built web app, and the management and reporting APIs under its own origin. */
export const consoleService: ServiceDefinition<ConsoleEnv> = {
  name: 'console',
  envClass: ConsoleEnv,
  module: () => ConsoleModule,
  fastify: { frameworkErrors },
  configure: (app, env) => consoleRoutes(app.getHttpAdapter().getInstance(), env, app.get<Logger>(LOGGER)),
};
