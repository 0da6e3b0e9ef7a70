import { defineConfig } from 'prisma/config';

// Used by `prisma generate` only; migrations are plain SQL (see migrations/).
export default defineConfig({
  schema: 'prisma/schema',
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/tracklane' },
});
