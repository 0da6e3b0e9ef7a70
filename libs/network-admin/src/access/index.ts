export * from './actor';
export * from './errors';
export * from './page';
export * from './secrets';
export * from './removal';
export * from './status-filter';
