export * from './attributions.v1';
export * from './clicks.v1';
export * from './conversions.v1';
export * from './event-contract';
export * from './ids';
export * from './storable-text';
export * from './topics';
export * from './validation';
