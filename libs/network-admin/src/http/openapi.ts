import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { declareProblemDetails } from '@tracklane/http-api';

/** The management API's OpenAPI 3 document, with the problem details every operation can answer. */
export function managementOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tracklane management API')
    .setDescription(
      'Configure the network: advertisers, offers, goals, affiliates, approvals, payouts, postbacks and API keys. ' +
        'Authenticate with "Authorization: Bearer <key>" or "X-Api-Key: <key>". Money is always a decimal string. ' +
        "Another tenant's object answers 404. Errors are problem details (RFC 9457, application/problem+json). " +
        'Paths are versioned (/v1): within a version, changes are additive only; a removal is announced with a Sunset header first.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key' }, 'bearer')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'An API key' }, 'api-key')
    .addSecurityRequirements('bearer')
    .addSecurityRequirements('api-key')
    .build();
  return declareProblemDetails(SwaggerModule.createDocument(app, config));
}
