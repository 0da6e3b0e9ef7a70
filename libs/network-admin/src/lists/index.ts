export * from './page';
export * from './status-filter';
