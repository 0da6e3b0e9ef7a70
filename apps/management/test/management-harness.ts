import { ApiKeyRole, issueApiKey } from '@tracklane/api-keys';
import { RunningService, startService } from '@tracklane/observability';
import { createTestDatabase, createTestRedis, TestDatabase, TestRedis } from '@tracklane/testing';
import { Pool } from 'pg';
import { managementService } from '../src/management.definition';
import { ManagementEnv } from '../src/management.env';

// Answers are checked field by field against what the API documents; a loose type keeps tests readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Answer<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small HTTP client for the API under test, authenticated with one key. */
export class ApiClient {
  constructor(
    private readonly url: string,
    private readonly key?: string,
  ) {}

  get = <T = Json>(path: string) => this.request<T>('GET', path);
  post = <T = Json>(path: string, body?: unknown) => this.request<T>('POST', path, body);
  patch = <T = Json>(path: string, body: unknown) => this.request<T>('PATCH', path, body);
  put = <T = Json>(path: string, body: unknown) => this.request<T>('PUT', path, body);
  delete = <T = Json>(path: string) => this.request<T>('DELETE', path);

  async request<T>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
    const headers: Record<string, string> = {};
    if (this.key) headers.authorization = `Bearer ${this.key}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  }
}

export interface ManagementUnderTest {
  service: RunningService<ManagementEnv>;
  url: string;
  database: TestDatabase;
  redis: TestRedis;
  /** Straight to the database, for what only other services write (conversions) and for checks. */
  pool: Pool;
  admin: ApiClient;
  as(key?: string): ApiClient;
  /** A key written straight into the database (the API's own key endpoints are tested separately). */
  key(role: ApiKeyRole, owner?: { advertiserId?: number; affiliateId?: number; readOnly?: boolean }): Promise<{ id: number; key: string }>;
  close(): Promise<void>;
}

/** The management API in-process on a database and Redis key space of its own. */
export async function startManagement(settings: Partial<ManagementEnv> = {}): Promise<ManagementUnderTest> {
  const [database, redis] = await Promise.all([createTestDatabase(), createTestRedis()]);
  const env = Object.assign(new ManagementEnv(), settings, {
    DATABASE_URL: database.url,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: redis.prefix,
    LOG_LEVEL: 'warn',
    PORT: 0,
  });
  const service = await startService(managementService, env);
  const pool = new Pool({ connectionString: database.url, max: 2 });
  const key: ManagementUnderTest['key'] = async (role, owner = {}) => {
    const issued = issueApiKey();
    const { rows } = await pool.query(
      `INSERT INTO api_keys (key_prefix, key_hash, name, role, advertiser_id, affiliate_id, read_only)
       VALUES ($1, $2, 'test', $3, $4, $5, $6) RETURNING id`,
      [issued.prefix, issued.hash, role, owner.advertiserId ?? null, owner.affiliateId ?? null, owner.readOnly ?? false],
    );
    return { id: rows[0].id as number, key: issued.key };
  };
  const adminKey = await key('admin');
  return {
    service,
    url: service.url,
    database,
    redis,
    pool,
    admin: new ApiClient(service.url, adminKey.key),
    as: (apiKey) => new ApiClient(service.url, apiKey),
    key,
    close: async () => {
      await service.close();
      await pool.end();
      await Promise.allSettled([database.drop(), redis.drop()]);
    },
  };
}

/** A conversion as attribution books it (management only reads them). */
export async function bookConversion(
  pool: Pool,
  conversion: { conversionId: string; advertiserId: number; offerId: number; affiliateId: number; goalId?: number; revenue: string; payout: string },
): Promise<void> {
  await pool.query(
    `INSERT INTO conversions (conversion_id, click_id, advertiser_id, offer_id, affiliate_id, goal_id, goal_code, order_id, status, reason,
                              sale_amount, revenue, payout, currency, clicked_at, converted_at, sub1)
     VALUES ($1, $1, $2, $3, $4, $5, 'sale', 'order-' || $1, 'approved', 'attributed', '100.0000', $6, $7, 'USD', now(), now(), 'their-sub')`,
    [conversion.conversionId, conversion.advertiserId, conversion.offerId, conversion.affiliateId, conversion.goalId ?? null, conversion.revenue, conversion.payout],
  );
}
