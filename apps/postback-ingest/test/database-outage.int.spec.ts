import { newId } from '@tracklane/contracts';
import { Client } from 'pg';
import { PostbackKit, startPostbackKit } from './postback-test-kit';

describe('postback-ingest while Postgres refuses connections', () => {
  let kit: PostbackKit;

  /** Runs SQL on the server's maintenance database, outside the database under test. */
  async function asAdmin(sql: string): Promise<void> {
    const url = new URL(kit.stack.database.url);
    url.pathname = '/postgres';
    const admin = new Client({ connectionString: url.toString() });
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  }

  beforeAll(async () => {
    kit = await startPostbackKit([{ id: 1, token: 'tok-1' }], { env: { LOG_LEVEL: 'fatal' } });
  });
  afterAll(async () => {
    await asAdmin(`ALTER DATABASE ${kit.stack.database.name} ALLOW_CONNECTIONS true`);
    await kit?.close();
  });

  it('answers 503 with Retry-After and publishes nothing, then records the retry once', async () => {
    const name = kit.stack.database.name;
    await asAdmin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
    await asAdmin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`);

    const params = { token: 'tok-1', click_id: newId(), order_id: 'db-outage-1', amount: '3' };
    const refused = await kit.get('/postback', params);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toMatchObject({ ok: false, error: 'unavailable', reason: 'database_unavailable' });

    await asAdmin(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    const accepted = await kit.get('/postback', params);
    expect(accepted.status).toBe(200);
    const { eventId } = (await accepted.json()) as { eventId: string };
    const events = await kit.events(1);
    expect(events.map((event) => event.eventId)).toEqual([eventId]);
  });
});
