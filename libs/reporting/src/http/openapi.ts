import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

const DESCRIPTION = `Exact, tenant-scoped numbers for analysts, spreadsheets and BI tools.

Authenticate with an API key: the \`X-Api-Key\` header, \`Authorization: Bearer <key>\`, or \`?api_key=\` for tools that cannot set headers.
Admin keys see everything; advertiser keys see their own offers (payouts only when the network allows it); affiliate keys see their own traffic and never revenue or profit.

Responses are JSON, or CSV with \`format=csv\` or \`Accept: text/csv\` (streamed; any size). Money is an exact decimal string and never summed across currencies.`;

export function reportingOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tracklane reporting API')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'api_key_header')
    .addApiKey({ type: 'apiKey', in: 'query', name: 'api_key' }, 'api_key_query')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The API key as a bearer token' }, 'bearer')
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** GET /docs: the OpenAPI document (load it in any OpenAPI viewer or client generator). */
export function serveOpenApi(app: INestApplication): void {
  const document = JSON.stringify(reportingOpenApi(app));
  app
    .getHttpAdapter()
    .get('/docs', (_request: unknown, reply: { header(name: string, value: string): { send(body: string): void } }) =>
      reply.header('content-type', 'application/json; charset=utf-8').send(document),
    );
}
