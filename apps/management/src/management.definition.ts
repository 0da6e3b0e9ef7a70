import { trustedProxies } from '@tracklane/api-auth';
import { frameworkErrors, serveOpenApi } from '@tracklane/http-api';
import { managementOpenApi } from '@tracklane/network-admin';
import { ServiceDefinition } from '@tracklane/observability';
import { ManagementEnv } from './management.env';
import { ManagementModule } from './management.module';

/** The management API: REST under /v1, OpenAPI at /docs and /docs/json. */
export const managementService: ServiceDefinition<ManagementEnv> = {
  name: 'management',
  envClass: ManagementEnv,
  module: (env) => ManagementModule.forRoot(env),
  fastify: (env) => ({ trustProxy: trustedProxies(env), frameworkErrors }),
  configure: (app) => {
    serveOpenApi(app, managementOpenApi(app));
    // Answers carry keys, tokens and secrets: no cache may keep them.
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onSend', async (request, reply) => {
        if (request.url.startsWith('/v1/')) reply.header('cache-control', 'no-store');
      });
  },
};
