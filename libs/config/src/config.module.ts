import { DynamicModule, Module } from '@nestjs/common';
import { loadEnv } from './env';
import { ServiceEnv } from './service-env';

/**
 * Validates the environment once, at boot, and makes the typed result
 * injectable both as the service's own class and as ServiceEnv.
 */
@Module({})
export class ConfigModule {
  static forRoot<T extends ServiceEnv>(envClass: new () => T, env: T = loadEnv(envClass)): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      providers: [
        { provide: envClass, useValue: env },
        { provide: ServiceEnv, useValue: env },
      ],
      exports: [envClass, ServiceEnv],
    };
  }
}
