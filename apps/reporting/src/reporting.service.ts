import { Module } from '@nestjs/common';
import { ApiAuthModule, trustedProxies } from '@tracklane/api-auth';
import { CacheModule } from '@tracklane/cache';
import { DbModule } from '@tracklane/db';
import { frameworkErrors, serveOpenApi } from '@tracklane/http-api';
import { MessagingModule } from '@tracklane/messaging';
import { ServiceDefinition } from '@tracklane/observability';
import { ReportingModule, reportingOpenApi } from '@tracklane/reporting';
import { ReportingEnv } from './reporting.env';

export const reportingService: ServiceDefinition<ReportingEnv> = {
  name: 'reporting',
  envClass: ReportingEnv,
  module: (env) => {
    @Module({
      imports: [
        DbModule.forRoot({ poolSize: env.REPORTING_DB_POOL_SIZE }),
        MessagingModule.forRoot({ clientId: 'reporting' }),
        // Redis counts failed API key attempts per client address across replicas.
        CacheModule.forRoot(),
        ApiAuthModule.forRoot(env),
        ReportingModule.forRoot({
          readModel: {
            project: env.REPORTING_PROJECTOR === 'true',
            partitionsConsumedConcurrently: env.REPORTING_PROJECTOR_CONCURRENCY,
            window: {
              maxMs: env.REPORTING_PROJECTOR_WINDOW_MS,
              maxMessages: env.REPORTING_PROJECTOR_WINDOW_MESSAGES,
              lingerMs: env.REPORTING_PROJECTOR_WINDOW_LINGER_MS,
              transactions: env.REPORTING_PROJECTOR_WINDOW_TRANSACTIONS,
            },
            dayZones: env.REPORTING_DAY_ZONES.split(','),
            rawRetentionMonths: env.REPORTING_RAW_RETENTION_MONTHS,
          },
          reports: {
            statementTimeoutMs: env.REPORTING_QUERY_TIMEOUT_MS,
            workMem: env.REPORTING_QUERY_WORK_MEM,
            maxDays: env.REPORTING_MAX_RANGE_DAYS,
            maxHourlyDays: env.REPORTING_MAX_HOURLY_DAYS,
            defaultPageRows: 1_000,
            maxPageRows: 10_000,
          },
        }),
      ],
    })
    class ReportingServiceModule {}
    return ReportingServiceModule;
  },
  fastify: (env) => ({ trustProxy: trustedProxies(env), frameworkErrors }),
  configure: (app) => serveOpenApi(app, reportingOpenApi(app)),
};
