import { OpenAPIObject } from '@nestjs/swagger';
import { offlineOpenApiDocument } from '@tracklane/http-api';
import { managementOpenApi } from '@tracklane/network-admin';
import { serviceRoot } from '@tracklane/observability';
import { reportingOpenApi } from '@tracklane/reporting';
import pino from 'pino';
import { managementService } from '../../apps/management/src/management.definition';
import { ManagementEnv } from '../../apps/management/src/management.env';
import { ReportingEnv } from '../../apps/reporting/src/reporting.env';
import { reportingService } from '../../apps/reporting/src/reporting.service';

export type ApiName = 'management' | 'reporting';

/**
 * The two public APIs' documents, built from the services' own root modules
 * with default settings, without running them (nothing connects anywhere).
 */
export async function apiDocuments(): Promise<Record<ApiName, OpenAPIObject>> {
  const logger = pino({ level: 'silent' });
  return {
    management: await offlineOpenApiDocument(serviceRoot(managementService, new ManagementEnv(), logger), managementOpenApi),
    reporting: await offlineOpenApiDocument(serviceRoot(reportingService, new ReportingEnv(), logger), reportingOpenApi),
  };
}
