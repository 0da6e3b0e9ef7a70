import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ApiAuthModule } from '@tracklane/api-auth';
import { CacheModule } from '@tracklane/cache';
import { DbModule } from '@tracklane/db';
import { NetworkAdminModule } from '@tracklane/network-admin';
import { AdvertisersController } from './advertisers/advertisers.controller';
import { AffiliatePostbacksController } from './affiliate-postbacks/affiliate-postbacks.controller';
import { AffiliatesController } from './affiliates/affiliates.controller';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { MeController } from './api-keys/me.controller';
import { ApprovalsController } from './approvals/approvals.controller';
import { AuditLogController } from './audit-log/audit-log.controller';
import { ConversionsController } from './conversions/conversions.controller';
import { GoalsController } from './goals/goals.controller';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { validationPipe } from './http/validation';
import { baseUrl, ManagementEnv } from './management.env';
import { NetworkSettingsController } from './network-settings/network-settings.controller';
import { OffersController } from './offers/offers.controller';
import { PayoutOverridesController } from './payout-overrides/payout-overrides.controller';
import { TrackingLinksController } from './tracking-links/tracking-links.controller';

@Module({})
export class ManagementModule {
  static forRoot(env: ManagementEnv): DynamicModule {
    return {
      module: ManagementModule,
      imports: [
        DbModule.forRoot({ poolSize: 5 }),
        CacheModule.forRoot(),
        ApiAuthModule,
        NetworkAdminModule.forRoot({
          clickIngestUrl: baseUrl(env.CLICK_INGEST_URL),
          postbackIngestUrl: baseUrl(env.POSTBACK_INGEST_URL),
        }),
      ],
      controllers: [
        AdvertisersController,
        OffersController,
        GoalsController,
        AffiliatesController,
        AffiliatePostbacksController,
        ApprovalsController,
        PayoutOverridesController,
        TrackingLinksController,
        ConversionsController,
        ApiKeysController,
        MeController,
        NetworkSettingsController,
        AuditLogController,
      ],
      providers: [
        { provide: APP_PIPE, useFactory: validationPipe },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    };
  }
}
