import { migrate } from './migrator';

// `npm run db:migrate`: brings DATABASE_URL (created if missing) up to date.
const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/tracklane';

migrate(databaseUrl).then(
  ({ applied, skipped }) => {
    const target = new URL(databaseUrl);
    target.password = '';
    console.log(
      `migrations: ${applied.length} applied${applied.length ? ` (${applied.join(', ')})` : ''}, ` +
        `${skipped.length} already in place — ${target.host}${target.pathname}`,
    );
  },
  (error: Error) => {
    console.error(`migrations: ${error.message}`);
    process.exit(1);
  },
);
