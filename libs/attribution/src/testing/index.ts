export * from './books';
export * from './fixtures';
export * from './network';
