export * from './catalog-changes';
export * from './catalog-snapshot';
export * from './catalog.module';
export * from './catalog.repository';
export * from './catalog.service';
export * from './catalog.types';
export * from './decimal-order';
export * from './offer-targeting';
