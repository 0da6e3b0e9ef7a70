export * from './api-auth.env';
export * from './api-auth.module';
export * from './api-key.guard';
export * from './caller';
export * from './failed-key-attempts';
export * from './presented-key';
export * from './roles';
