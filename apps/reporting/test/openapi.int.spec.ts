import SwaggerParser from '@apidevtools/swagger-parser';
import { RunningService, startService } from '@tracklane/observability';
import { TestStack, WORKSPACE_ROOT, createTestStack } from '@tracklane/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ReportingEnv } from '../src/reporting.env';
import { reportingService } from '../src/reporting.service';

interface Document {
  paths: Record<string, { get: { parameters: { name: string; in: string; required?: boolean }[]; responses: Record<string, unknown> } }>;
  components: { securitySchemes: Record<string, unknown> };
}

describe('GET /docs', () => {
  let stack: TestStack;
  let service: RunningService<ReportingEnv>;
  let document: Document;

  beforeAll(async () => {
    stack = await createTestStack();
    service = await startService(reportingService, Object.assign(new ReportingEnv(), stack.env, { LOG_LEVEL: 'warn', REPORTING_PROJECTOR: 'false' }));
    const response = await fetch(`${service.url}/docs`);
    expect(response.headers.get('content-type')).toContain('application/json');
    document = (await response.json()) as Document;
  });

  afterAll(async () => {
    await service?.close();
    await stack?.destroy();
  });

  it('is the document the typed client (libs/api-client) was generated from, also at /docs/json', async () => {
    const committed = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'libs/api-client/openapi/reporting.json'), 'utf8'));
    expect(document).toEqual(committed);
    expect(await (await fetch(`${service.url}/docs/json`)).json()).toEqual(committed);
  });

  it('is a valid OpenAPI document', async () => {
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('documents every endpoint, its parameters, both formats and the ways to send a key', () => {
    expect(Object.keys(document.paths).sort()).toEqual([
      '/v1/postback-health',
      '/v1/reconciliation',
      '/v1/reports/clicks',
      '/v1/reports/conversions',
      '/v1/reports/inbound-postbacks',
      '/v1/reports/postbacks',
      '/v1/reports/stats',
    ]);
    const stats = document.paths['/v1/reports/stats'].get;
    const parameters = new Map(stats.parameters.map((parameter) => [parameter.name, parameter]));
    for (const name of ['from', 'to', 'timezone', 'group_by', 'metrics', 'sort', 'limit', 'offset', 'cursor', 'format', 'offer_id', 'sub1', 'status']) {
      expect(parameters.get(name)).toMatchObject({ in: 'query' });
    }
    expect(parameters.get('from')?.required).toBe(true);
    expect(Object.keys(stats.responses).sort()).toEqual(['200', '400', '401', '403', '429', '500', '503']);
    for (const status of ['400', '401', '403', '429', '500', '503']) {
      expect((stats.responses[status] as { content: object }).content).toEqual({
        'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } },
      });
    }
    expect(Object.keys((stats.responses['200'] as { content: object }).content).sort()).toEqual(['application/json', 'text/csv']);
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual(['api_key_header', 'api_key_query', 'bearer']);
    expect(document.paths['/v1/reports/clicks'].get.parameters.map((parameter) => parameter.name)).not.toContain('goal_id');
    expect(document.paths['/v1/reports/inbound-postbacks'].get.parameters.map((parameter) => parameter.name)).toEqual(
      expect.arrayContaining(['from', 'to', 'advertiser_id', 'outcome', 'click_id', 'order_id', 'cursor']),
    );
  });
});
