import { DynamicModule, Global, Module } from '@nestjs/common';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { HealthRegistry } from './health';
import { Logger } from './logger';

export const LOGGER = Symbol('LOGGER');

/**
 * Per-service logger, Prometheus registry and readiness checks. Other
 * modules inject these to log with the service's name, publish their
 * metrics and register the dependencies /readyz must check.
 */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(options: { logger: Logger }): DynamicModule {
    const metrics = new Registry();
    collectDefaultMetrics({ register: metrics, prefix: 'tracklane_' });
    return {
      module: ObservabilityModule,
      providers: [
        { provide: LOGGER, useValue: options.logger },
        { provide: Registry, useValue: metrics },
        { provide: HealthRegistry, useValue: new HealthRegistry() },
      ],
      exports: [LOGGER, Registry, HealthRegistry],
    };
  }
}
