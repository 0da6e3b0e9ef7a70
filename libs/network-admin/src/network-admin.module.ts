import { DynamicModule, Module } from '@nestjs/common';
import { AdvertisersService } from './advertisers/advertisers.service';
import { PostbackDryRunService } from './advertisers/postback-dry-run';
import { AffiliatePostbacksService } from './affiliate-postbacks/affiliate-postbacks.service';
import { AffiliatesService } from './affiliates/affiliates.service';
import { ApiKeysService } from './api-keys/api-keys.service';
import { ApprovalsService } from './approvals/approvals.service';
import { AuditLogService } from './audit-log/audit-log.service';
import { ChangeLog } from './changes';
import { ConversionsService } from './conversions/conversions.service';
import { CouponCodesService } from './coupon-codes/coupon-codes.service';
import { DemoNetworkSeeder } from './demo/demo-network';
import { GoalsService } from './goals/goals.service';
import { NETWORK_ADMIN_OPTIONS, NetworkAdminOptions } from './network-admin.options';
import { ErasuresService } from './erasures/erasures.service';
import { NetworkSettingsService } from './network-settings/network-settings.service';
import { OffersService } from './offers/offers.service';
import { PayoutOverridesService } from './payout-overrides/payout-overrides.service';
import { TrackingLinksService } from './tracking-links/tracking-links.service';

const SERVICES = [
  AdvertisersService,
  AffiliatePostbacksService,
  AffiliatesService,
  ApiKeysService,
  ApprovalsService,
  AuditLogService,
  ChangeLog,
  ConversionsService,
  CouponCodesService,
  DemoNetworkSeeder,
  ErasuresService,
  GoalsService,
  NetworkSettingsService,
  OffersService,
  PayoutOverridesService,
  PostbackDryRunService,
  TrackingLinksService,
];

/** Administering the network. Needs DbModule and CacheModule in the service (both global). */
@Module({})
export class NetworkAdminModule {
  static forRoot(options: NetworkAdminOptions): DynamicModule {
    return {
      module: NetworkAdminModule,
      providers: [{ provide: NETWORK_ADMIN_OPTIONS, useValue: options }, ...SERVICES],
      exports: SERVICES,
    };
  }
}
