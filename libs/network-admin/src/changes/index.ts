export * from './audit-image';
export * from './change-log';
export * from './row-lock';
export * from './history';
export * from './cascades';
export * from './removal';
