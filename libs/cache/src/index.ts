export * from './cache.module';
export * from './invalidation-bus';
export * from './redis';
