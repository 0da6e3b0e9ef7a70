import { DynamicModule, Module } from '@nestjs/common';
import { CatalogModule } from '@tracklane/catalog';
import { DISPATCH_OPTIONS, DispatchOptions, PostbackDispatch } from './postback-dispatch';

/**
 * Outbound postbacks to affiliates: consumes attributions.v1, records the
 * postbacks the affiliates asked for, and delivers them. Needs DbModule,
 * CacheModule and MessagingModule in the service.
 */
@Module({})
export class DispatchModule {
  static forRoot(options: DispatchOptions): DynamicModule {
    return {
      module: DispatchModule,
      imports: [CatalogModule.forRoot()],
      providers: [{ provide: DISPATCH_OPTIONS, useValue: options }, PostbackDispatch],
    };
  }
}
