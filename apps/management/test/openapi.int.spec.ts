import { WORKSPACE_ROOT } from '@tracklane/testing';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Json, ManagementUnderTest, startManagement } from './management-harness';

/**
 * @apidevtools/swagger-parser (a real OpenAPI 3 validator) is ESM underneath, which Jest's CommonJS
 * runtime cannot load; plain Node can, so it runs in a child process. Resolves to null or the problem.
 */
function openApiProblem(document: unknown): Promise<string | null> {
  const script = `
    const parser = require('@apidevtools/swagger-parser');
    let input = '';
    process.stdin.on('data', (chunk) => (input += chunk)).on('end', () =>
      parser.validate(JSON.parse(input)).then(() => process.stdout.write('valid'), (error) => process.stdout.write(error.message)));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { cwd: WORKSPACE_ROOT });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', () => resolve(output === 'valid' ? null : output || 'the validator said nothing'));
    child.stdin.end(JSON.stringify(document));
  });
}

interface Operation {
  security?: unknown[];
  responses: Record<string, unknown>;
}

describe('management API: OpenAPI', () => {
  let api: ManagementUnderTest;
  beforeAll(async () => {
    api = await startManagement();
  });
  afterAll(() => api?.close());

  it('serves a document that a real OpenAPI validator accepts, covering every feature', async () => {
    const response = await fetch(`${api.url}/docs/json`);
    expect(response.status).toBe(200);
    const document: Json = await response.json();
    expect(await openApiProblem(document)).toBeNull();
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/advertisers',
        '/v1/advertisers/{advertiserId}/postback-url',
        '/v1/partner-presets',
        '/v1/offers/{offerId}',
        '/v1/offers/{offerId}/goals/{goalId}',
        '/v1/offers/{offerId}/tracking-link',
        '/v1/affiliates/{affiliateId}/postbacks/{offerId}',
        '/v1/approvals/{offerId}/{affiliateId}',
        '/v1/payout-overrides/{overrideId}',
        '/v1/coupon-codes/{couponId}',
        '/v1/coupon-codes/bulk',
        '/v1/api-keys/{keyId}',
        '/v1/conversions/{conversionId}',
        '/v1/network-settings',
        '/v1/audit-log',
      ]),
    );
    expect(document.security).toEqual([{ bearer: [] }, { 'api-key': [] }]);
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item as Record<string, Operation>));
    expect(operations.every((operation) => operation.responses['401'] && operation.responses['403'])).toBe(true);
    // Every error answer of every operation is declared as problem details.
    const errorAnswers = operations.flatMap((operation) => Object.entries(operation.responses).filter(([status]) => Number(status) >= 400));
    expect(errorAnswers.length).toBeGreaterThan(operations.length * 4);
    for (const [, answer] of errorAnswers) {
      expect((answer as Json).content).toEqual({ 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } });
    }
    expect(document.components.schemas.ProblemDetails.required).toEqual(['type', 'title', 'status', 'detail']);
    expect(document.components.schemas.MoneyRuleDto.properties.amount.type).toBe('string');
  });

  it('is the document the typed client (libs/api-client) was generated from', async () => {
    const served = await (await fetch(`${api.url}/docs/json`)).json();
    const committed = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'libs/api-client/openapi/management.json'), 'utf8'));
    expect(served).toEqual(committed);
  });

  it('is checked by a validator that does refuse a broken document', async () => {
    const document: Json = await (await fetch(`${api.url}/docs/json`)).json();
    document.paths['/v1/offers/{offerId}'].get.parameters[0].in = 'body';
    expect(await openApiProblem(document)).toMatch(/parameters\/0\/in must be equal to one of the allowed values/);
    document.paths['/v1/offers/{offerId}'].get.parameters[0].in = 'path';
    document.paths['/v1/offers/{offerId}'].get.responses['200'].content['application/json'].schema.$ref = '#/components/schemas/Missing';
    expect(await openApiProblem(document)).toMatch(/Missing/);
  });

  it('serves the Swagger UI at /docs with its assets, without a key', async () => {
    // What a browser sends; a client that asks for anything else gets the document itself.
    const page = await fetch(`${api.url}/docs`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("url: '/docs/json'");
    for (const asset of ['swagger-ui.css', 'swagger-ui-bundle.js']) {
      const response = await fetch(`${api.url}/docs/${asset}`);
      expect([asset, response.status]).toEqual([asset, 200]);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
  });
});
