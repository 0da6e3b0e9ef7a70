import { DynamicModule, Module, Type } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ApiValidationPipe, ProblemDetailsFilter } from '@tracklane/http-api';
import { NetworkAdminModule } from '../network-admin.module';
import { NetworkAdminOptions } from '../network-admin.options';
import { AdvertisersController } from './advertisers/advertisers.controller';
import { PartnerPresetsController } from './advertisers/partner-presets.controller';
import { AffiliatePostbacksController } from './affiliate-postbacks/affiliate-postbacks.controller';
import { AffiliatesController } from './affiliates/affiliates.controller';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { MeController } from './api-keys/me.controller';
import { ApprovalsController } from './approvals/approvals.controller';
import { AuditLogController } from './audit-log/audit-log.controller';
import { ConversionsController } from './conversions/conversions.controller';
import { CouponCodesController } from './coupon-codes/coupon-codes.controller';
import { ErasuresController } from './erasures/erasures.controller';
import { GoalsController } from './goals/goals.controller';
import { NetworkSettingsController } from './network-settings/network-settings.controller';
import { OffersController } from './offers/offers.controller';
import { PayoutOverridesController } from './payout-overrides/payout-overrides.controller';
import { DirectLinksController } from './tracking-links/direct-links.controller';
import { TrackingLinksController } from './tracking-links/tracking-links.controller';

const CONTROLLERS: Type<unknown>[] = [
  AdvertisersController,
  PartnerPresetsController,
  OffersController,
  GoalsController,
  AffiliatesController,
  AffiliatePostbacksController,
  ApprovalsController,
  PayoutOverridesController,
  CouponCodesController,
  TrackingLinksController,
  DirectLinksController,
  ConversionsController,
  ApiKeysController,
  MeController,
  NetworkSettingsController,
  ErasuresController,
  AuditLogController,
];

/**
 * The management API (REST under /v1) over NetworkAdminModule: its
 * controllers, the one validation pipe and the problem-details filter.
 * Authentication comes from ApiAuthModule in the service.
 */
@Module({})
export class ManagementApiModule {
  static forRoot(options: NetworkAdminOptions): DynamicModule {
    return {
      module: ManagementApiModule,
      imports: [NetworkAdminModule.forRoot(options)],
      controllers: CONTROLLERS,
      providers: [
        { provide: APP_PIPE, useFactory: () => new ApiValidationPipe({ transform: true }) },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }
}
