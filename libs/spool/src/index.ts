export * from './durable-publisher';
export * from './spool';
export * from './spool-lock';
export * from './spool-metrics';
export * from './spool-record';
export * from './spool.module';
