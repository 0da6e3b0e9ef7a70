import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiKeyVerifier } from '@tracklane/api-keys';
import { ApiKeyGuard } from './api-key.guard';

/** Puts ApiKeyGuard in front of every route of the service. Needs DbModule (global). */
@Module({
  providers: [ApiKeyVerifier, { provide: APP_GUARD, useClass: ApiKeyGuard }],
})
export class ApiAuthModule {}
