export * from './bench-machine';
export * from './bench-process';
export * from './cpu-profile';
export * from './delivery-check';
