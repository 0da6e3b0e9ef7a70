import { DynamicModule, Module } from '@nestjs/common';
import { CATALOG_OPTIONS, Catalog, CatalogOptions } from './catalog.service';

/** Needs DbModule and CacheModule in the service (both global). */
@Module({})
export class CatalogModule {
  static forRoot(options: CatalogOptions = {}): DynamicModule {
    return {
      module: CatalogModule,
      providers: [{ provide: CATALOG_OPTIONS, useValue: options }, Catalog],
      exports: [Catalog],
    };
  }
}
