import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { OpenAPIObject } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPES } from './problem';

type Responses = Record<string, { description?: string; content?: Record<string, unknown> } & Record<string, unknown>>;
interface Operation {
  responses: Responses;
  security?: unknown[];
}

/** The problem details schema every error answer of both APIs uses. */
export const PROBLEM_DETAILS_SCHEMA = {
  type: 'object',
  description: 'An error, as problem details (RFC 9457).',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: {
      type: 'string',
      description: `What kind of problem: ${Object.values(PROBLEM_TYPES)
        .map(({ slug }) => `urn:tracklane:problem:${slug}`)
        .join(', ')}, or about:blank for a plain HTTP status.`,
      example: 'urn:tracklane:problem:invalid-request',
    },
    title: { type: 'string', description: 'The kind of problem, in words.', example: 'The request is invalid' },
    status: { type: 'integer', description: 'The HTTP status.', example: 400 },
    detail: { type: 'string', description: 'What is wrong with this request.', example: 'destinationUrl: uses the unknown macro {clickid}' },
    errors: {
      type: 'array',
      description: 'Each field or parameter refused, with the reason (400; a 403 names the parameter the key may not use).',
      items: {
        type: 'object',
        required: ['field', 'reason'],
        properties: {
          field: { type: 'string', example: 'destinationUrl' },
          reason: { type: 'string', example: 'uses the unknown macro {clickid}' },
        },
      },
    },
    reason: { type: 'string', enum: ['missing', 'malformed', 'unknown', 'revoked'], description: 'Why the API key was refused (401).' },
    retryAfterSeconds: { type: 'integer', description: 'When to try again (429, 503); also in the Retry-After header.' },
  },
} as const;

const PROBLEM = { content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/ProblemDetails' } } } };
const WRITES = new Set(['post', 'put', 'patch', 'delete']);
const DEFAULTS: Record<string, string> = {
  400: 'A parameter or field is invalid; `errors` names each with the reason',
  401: 'No API key, or an unknown or revoked one; `reason` says which',
  403: 'The key may not do this (its role, another tenant, a read-only key)',
  404: "Not found, or another tenant's",
  409: 'Conflicts with another object or a concurrent change',
  429: 'Too many failed API key attempts from this address; wait Retry-After seconds',
  500: 'Something went wrong on our side',
};

/**
 * Declares problem details for every error answer of every operation: the
 * answers each operation can give (400, 401, 403, 429, 500; 404 on paths with
 * an id; 409 on writes) are added where the controller did not describe them,
 * and every 4xx/5xx, described or not, gets the ProblemDetails schema.
 */
export function declareProblemDetails(document: OpenAPIObject): OpenAPIObject {
  document.components ??= {};
  document.components.schemas = { ...document.components.schemas, ProblemDetails: PROBLEM_DETAILS_SCHEMA as never };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item) as Array<[string, Operation]>) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      const expected = ['400', '401', '403', '429', '500', ...(path.includes('{') ? ['404'] : []), ...(WRITES.has(method) ? ['409'] : [])];
      for (const status of expected) operation.responses[status] ??= { description: DEFAULTS[status] };
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) >= 400) operation.responses[status] = { description: response.description ?? DEFAULTS[status] ?? 'An error', ...PROBLEM };
      }
    }
  }
  return document;
}

const UI_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));
const UI_ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
};

const uiPage = (title: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div><script src="/docs/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({ url: '/docs/json', dom_id: '#swagger-ui' });</script></body></html>`;

/**
 * /docs/json: the OpenAPI document (for clients and generators); /docs: the
 * Swagger UI for a browser (Accept: text/html), else the document too, as
 * reporting has always answered it. Served without a key. The UI's files come
 * from swagger-ui-dist (installed with @nestjs/swagger): SwaggerModule.setup
 * would need @fastify/static to serve them on Fastify.
 */
export function serveOpenApi(app: NestFastifyApplication, document: OpenAPIObject): void {
  const json = JSON.stringify(document);
  const page = uiPage(document.info.title);
  const server = app.getHttpAdapter().getInstance();
  server.get('/docs/json', (_request, reply) => reply.type('application/json; charset=utf-8').send(json));
  server.get('/docs', (request, reply) =>
    request.headers.accept?.includes('text/html')
      ? reply.type('text/html; charset=utf-8').send(page)
      : reply.type('application/json; charset=utf-8').send(json),
  );
  for (const [file, type] of Object.entries(UI_ASSETS)) {
    let content: Buffer | undefined;
    server.get(`/docs/${file}`, (_request, reply) => {
      content ??= readFileSync(join(UI_DIR, file));
      return reply.type(type).header('cache-control', 'public, max-age=86400').send(content);
    });
  }
}
