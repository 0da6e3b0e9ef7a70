import { ServiceDefinition } from '@tracklane/observability';
import { AppModule } from './app.module';
import { DispatchEnv } from './dispatch-env';

export const postbackDispatchService: ServiceDefinition<DispatchEnv> = {
  name: 'postback-dispatch',
  envClass: DispatchEnv,
  module: (env) => AppModule.forRoot(env),
};
