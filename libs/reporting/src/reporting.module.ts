import { DynamicModule, Module } from '@nestjs/common';
import { ApiKeyVerifier } from '@tracklane/api-keys';
import { Pool } from 'pg';
import { ApiKeyGuard } from './http/api-key.guard';
import { ReconciliationController } from './http/reconciliation.controller';
import { ReportErrorsFilter } from './http/report-errors.filter';
import { ReportsController } from './http/reports.controller';
import { LogReports } from './query/log-reports';
import { REPORT_OPTIONS, ReportOptions } from './query/report-options';
import { StatsReports } from './query/stats-reports';
import { READ_MODEL_OPTIONS, ReadModelOptions } from './read-model/read-model.options';
import { ReadModelProjector } from './read-model/read-model.projector';
import { TimeZones } from './read-model/time-zones';
import { LedgerReconciliation } from './reconciliation/reconciliation';

export interface ReportingOptions {
  readModel: ReadModelOptions;
  reports: ReportOptions;
}

/**
 * Reporting: the read model's projector and the HTTP API over it. Needs
 * DbModule and MessagingModule in the service (both global).
 */
@Module({})
export class ReportingModule {
  static forRoot(options: ReportingOptions): DynamicModule {
    return {
      module: ReportingModule,
      controllers: [ReportsController, ReconciliationController],
      providers: [
        { provide: READ_MODEL_OPTIONS, useValue: options.readModel },
        { provide: REPORT_OPTIONS, useValue: options.reports },
        { provide: ApiKeyVerifier, inject: [Pool], useFactory: (pool: Pool) => new ApiKeyVerifier(pool) },
        ApiKeyGuard,
        ReportErrorsFilter,
        TimeZones,
        ReadModelProjector,
        StatsReports,
        LogReports,
        LedgerReconciliation,
      ],
    };
  }
}
