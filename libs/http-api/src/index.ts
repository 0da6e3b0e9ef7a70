export * from './framework-errors';
export * from './openapi';
export * from './problem';
export * from './problem-details.filter';
export * from './problem.exception';
export * from './validation.pipe';
export * from './offline-document';
