import { DynamicModule, Module } from '@nestjs/common';
import { AddressPolicy } from '@tracklane/address-policy';
import { ApiAuthModule } from '@tracklane/api-auth';
import { CacheModule } from '@tracklane/cache';
import { DbModule } from '@tracklane/db';
import { ManagementApiModule } from '@tracklane/network-admin';
import { baseUrl, ManagementEnv } from './management.env';

@Module({})
export class ManagementModule {
  static forRoot(env: ManagementEnv): DynamicModule {
    return {
      module: ManagementModule,
      imports: [
        DbModule.forRoot({ poolSize: 5 }),
        CacheModule.forRoot(),
        ApiAuthModule.forRoot(env),
        ManagementApiModule.forRoot({
          clickIngestUrl: baseUrl(env.CLICK_INGEST_URL),
          postbackIngestUrl: baseUrl(env.POSTBACK_INGEST_URL),
          postbackTargets: AddressPolicy.fromList(env.POSTBACK_ALLOWED_TARGETS),
        }),
      ],
    };
  }
}
