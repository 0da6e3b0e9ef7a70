import { ServiceDefinition } from '@tracklane/observability';
import { serveOpenApi } from './http/openapi';
import { ManagementEnv } from './management.env';
import { ManagementModule } from './management.module';

/** The management API: REST under /v1, OpenAPI at /docs and /docs/json. */
export const managementService: ServiceDefinition<ManagementEnv> = {
  name: 'management',
  envClass: ManagementEnv,
  module: (env) => ManagementModule.forRoot(env),
  configure: (app) => {
    serveOpenApi(app);
    // Answers carry keys, tokens and secrets: no cache may keep them.
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onSend', async (request, reply) => {
        if (request.url.startsWith('/v1/')) reply.header('cache-control', 'no-store');
      });
  },
};
