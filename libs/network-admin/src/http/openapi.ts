import { INestApplication } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ErrorResponse } from './responses';

const ERROR = { content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } } };
const WRITES = new Set(['post', 'put', 'patch', 'delete']);

/** The management API's OpenAPI 3 document, with the error answers every operation can give. */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tracklane management API')
    .setDescription(
      'Configure the network: advertisers, offers, goals, affiliates, approvals, payouts, postbacks and API keys. ' +
        'Authenticate with "Authorization: Bearer <key>" or "X-Api-Key: <key>". Money is always a decimal string. ' +
        "Another tenant's object answers 404.",
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'An API key' }, 'api-key')
    .addSecurityRequirements('bearer')
    .addSecurityRequirements('api-key')
    .build();
  const document = SwaggerModule.createDocument(app, config, { extraModels: [ErrorResponse] });
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item) as Array<[string, { responses: Record<string, unknown> }]>) {
      operation.responses['401'] ??= { description: 'No API key, or an unknown or revoked one', ...ERROR };
      operation.responses['403'] ??= { description: "The key's role may not do this, or the key is read-only", ...ERROR };
      operation.responses['400'] ??= { description: 'A parameter or field is invalid; the answer names it', ...ERROR };
      if (path.includes('{')) operation.responses['404'] ??= { description: "Not found, or another tenant's", ...ERROR };
      if (WRITES.has(method)) operation.responses['409'] ??= { description: 'Conflicts with another object or change', ...ERROR };
    }
  }
  return document;
}

const UI_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));
const UI_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
};
const UI_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tracklane management API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div><script src="/docs/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({ url: '/docs/json', dom_id: '#swagger-ui' });</script></body></html>`;

/**
 * /docs (Swagger UI) and /docs/json (the document). The UI's files come
 * from swagger-ui-dist (installed with @nestjs/swagger): SwaggerModule.setup
 * would need @fastify/static to serve them on Fastify.
 */
export function serveOpenApi(app: NestFastifyApplication): void {
  const document = openApiDocument(app);
  const server = app.getHttpAdapter().getInstance();
  server.get('/docs/json', async () => document);
  server.get('/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(UI_PAGE));
  for (const [file, type] of Object.entries(UI_ASSETS)) {
    let content: Buffer | undefined;
    server.get(`/docs/${file}`, async (_request, reply) => {
      content ??= readFileSync(join(UI_DIR, file));
      return reply.type(type).header('cache-control', 'public, max-age=86400').send(content);
    });
  }
}
