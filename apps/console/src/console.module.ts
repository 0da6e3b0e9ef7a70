import { Module } from '@nestjs/common';

/**
 * Empty on purpose: the console needs no Kafka, PostgreSQL or Redis (the APIs
 * behind it do the work and enforce tenancy), and its routes are plain Fastify
 * ones (console.routes.ts) so that proxied bodies never meet a Nest parser.
 */
@Module({})
export class ConsoleModule {}
