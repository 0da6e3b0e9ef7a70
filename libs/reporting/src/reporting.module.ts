import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ApiValidationPipe, ProblemDetailsFilter } from '@tracklane/http-api';
import { CallerVisibility } from './http/caller-visibility';
import { PostbackHealthController } from './http/postback-health.controller';
import { ReconciliationController } from './http/reconciliation.controller';
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
 * DbModule and MessagingModule in the service (both global), and
 * ApiAuthModule for the API's authentication.
 */
@Module({})
export class ReportingModule {
  static forRoot(options: ReportingOptions): DynamicModule {
    return {
      module: ReportingModule,
      controllers: [ReportsController, ReconciliationController, PostbackHealthController],
      providers: [
        { provide: READ_MODEL_OPTIONS, useValue: options.readModel },
        { provide: REPORT_OPTIONS, useValue: options.reports },
        // Query parameters reach the request parsers as sent: they check values in depth, knowing the caller's key.
        { provide: APP_PIPE, useFactory: () => new ApiValidationPipe({ transform: false }) },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
        CallerVisibility,
        TimeZones,
        ReadModelProjector,
        StatsReports,
        LogReports,
        LedgerReconciliation,
      ],
    };
  }
}
