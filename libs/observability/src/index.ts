export * from './bootstrap';
export * from './health';
export * from './logger';
export * from './observability.module';
