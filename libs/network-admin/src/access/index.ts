export * from './actor';
export * from './errors';
