export * from './api-auth.module';
export * from './api-key.guard';
export * from './caller';
export * from './roles';
