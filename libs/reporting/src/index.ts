export * from './http/openapi';
export * from './query/stats-reports';
export { parseStatsRequest } from './query/stats-request';
export * from './query/visibility';
export * from './read-model/projection-transaction';
export { MEASURE_COLUMNS } from './read-model/rollup-levels';
export * from './read-model/rollup-rebuild';
export { allRollupTables } from './read-model/rollup-sql';
export * from './reporting.module';
