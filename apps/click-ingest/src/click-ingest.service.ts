import { frameworkErrors } from '@tracklane/http-api';
import { ServiceDefinition } from '@tracklane/observability';
import { ClickIngestEnv } from './click-ingest.env';
import { ClickIngestModule } from './click-ingest.module';

export const clickIngest: ServiceDefinition<ClickIngestEnv> = {
  name: 'click-ingest',
  envClass: ClickIngestEnv,
  module: (env) => ClickIngestModule.forRoot(env),
  fastify: { frameworkErrors },
};
