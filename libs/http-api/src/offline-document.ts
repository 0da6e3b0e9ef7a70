import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { OpenAPIObject } from '@nestjs/swagger';

/**
 * A service's OpenAPI document without running it: Nest's preview mode reads
 * the modules and controllers but instantiates no provider, so nothing
 * connects to Postgres, Redis or Kafka. For generating the typed client.
 */
export async function offlineOpenApiDocument(
  module: Type<unknown> | DynamicModule,
  document: (app: INestApplication) => OpenAPIObject,
): Promise<OpenAPIObject> {
  const app = await NestFactory.create(module, new FastifyAdapter(), { preview: true, logger: false, abortOnError: false });
  try {
    return document(app);
  } finally {
    await app.close();
  }
}
