export * from './bulk-rows';
export * from './data-error';
export * from './poison-isolation';
export * from './transaction';
export * from './retention';
