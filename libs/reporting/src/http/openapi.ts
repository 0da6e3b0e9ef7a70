import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { declareProblemDetails } from '@tracklane/http-api';

const DESCRIPTION = `Exact, tenant-scoped numbers for analysts, spreadsheets and BI tools.

Authenticate with an API key: \`Authorization: Bearer <key>\` or the \`X-Api-Key\` header; report endpoints (GET /v1/reports/…) also take \`?api_key=\` for tools that cannot set headers.
Admin keys see everything; advertiser keys see their own offers (payouts only when the network allows it); affiliate keys see their own traffic and never revenue or profit.

Responses are JSON, or CSV with \`format=csv\` or \`Accept: text/csv\` (streamed; any size). Money is an exact decimal string and never summed across currencies.

Errors are problem details (RFC 9457, \`application/problem+json\`) naming the parameter to fix. Paths are versioned (/v1): within a version, changes are additive only; a removal is announced with a Sunset header first.`;

export function reportingOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tracklane reporting API')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'api_key_header')
    .addApiKey({ type: 'apiKey', in: 'query', name: 'api_key' }, 'api_key_query')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The API key as a bearer token' }, 'bearer')
    .build();
  return declareProblemDetails(SwaggerModule.createDocument(app, config));
}
