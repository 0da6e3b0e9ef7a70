import { frameworkErrors } from '@tracklane/http-api';
import { ServiceDefinition } from '@tracklane/observability';
import { AppModule } from './app.module';
import { PostbackIngestEnv } from './postback-ingest.env';

export const postbackIngest: ServiceDefinition<PostbackIngestEnv> = {
  name: 'postback-ingest',
  envClass: PostbackIngestEnv,
  module: (env) => AppModule.forRoot(env),
  fastify: {
    // A postback is a few hundred bytes; anything near this is abuse and gets a 413.
    bodyLimit: 64 * 1024,
    // A HEAD request (link checkers, prefetchers) must never record a conversion.
    exposeHeadRoutes: false,
    frameworkErrors,
  },
};
