export * from './db.module';
export * from './generated/prisma/client';
export * from './migrator';
export * from './pool';
export * from './prisma.service';
export * from './postgres';
