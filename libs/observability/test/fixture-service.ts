import { Module } from '@nestjs/common';
import { CacheModule } from '@tracklane/cache';
import { ServiceEnv } from '@tracklane/config';
import { DbModule } from '@tracklane/db';
import { MessagingModule } from '@tracklane/messaging';
import { ServiceDefinition } from '../src';

@Module({ imports: [DbModule.forRoot(), CacheModule.forRoot(), MessagingModule.forRoot({ clientId: 'fixture' })] })
class FixtureModule {}

/** A service with every real dependency and no behaviour of its own. */
export const fixtureService: ServiceDefinition<ServiceEnv> = {
  name: 'fixture',
  envClass: ServiceEnv,
  module: () => FixtureModule,
};
