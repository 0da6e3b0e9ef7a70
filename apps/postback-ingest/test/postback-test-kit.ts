import { ConversionV1, conversionsV1, topicNames } from '@tracklane/contracts';
import { RunningService, startService } from '@tracklane/observability';
import { createTestStack, readTopic, TestStack } from '@tracklane/testing';
import { Pool } from 'pg';
import { PostbackIngestEnv } from '../src/postback-ingest.env';
import { postbackIngest } from '../src/postback-ingest.service';

export interface AdvertiserSeed {
  id: number;
  token: string;
  signingSecret?: string;
  requireSignature?: boolean;
  ipAllowlist?: string[];
  paramMapping?: object;
}

/** A running postback-ingest on a private database, topics and Redis prefix. */
export interface PostbackKit {
  stack: TestStack;
  service: RunningService<PostbackIngestEnv>;
  pool: Pool;
  topic: string;
  url(path: string, params?: Record<string, string>): string;
  get(path: string, params: Record<string, string>, headers?: Record<string, string>): Promise<Response>;
  post(path: string, body: string, contentType: string, headers?: Record<string, string>): Promise<Response>;
  /** Every conversions.v1 event on the topic, decoded (waits for `expected` when given). */
  events(expected?: number): Promise<ConversionV1[]>;
  close(): Promise<void>;
}

export async function seedAdvertisers(pool: Pool, advertisers: AdvertiserSeed[]): Promise<void> {
  for (const advertiser of advertisers) {
    await pool.query(
      `INSERT INTO advertisers (id, name, postback_token, signing_secret, require_signature, ip_allowlist, param_mapping)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        advertiser.id,
        `Advertiser ${advertiser.id}`,
        advertiser.token,
        advertiser.signingSecret ?? null,
        advertiser.requireSignature ?? false,
        advertiser.ipAllowlist ?? [],
        JSON.stringify(advertiser.paramMapping ?? {}),
      ],
    );
  }
}

export async function startPostbackKit(
  advertisers: AdvertiserSeed[],
  options: { stack?: TestStack; env?: Partial<PostbackIngestEnv> } = {},
): Promise<PostbackKit> {
  const stack = options.stack ?? (await createTestStack());
  const pool = new Pool({ connectionString: stack.database.url, max: 4 });
  pool.on('error', () => undefined); // idle connections cut by a fault test; the next query reconnects
  await seedAdvertisers(pool, advertisers);
  const env = Object.assign(new PostbackIngestEnv(), stack.env, { LOG_LEVEL: 'warn' }, options.env);
  const service = await startService(postbackIngest, env);
  const topic = topicNames(conversionsV1, stack.topics.prefix).main;
  const url = (path: string, params: Record<string, string> = {}) => `${service.url}${path}?${new URLSearchParams(params)}`;
  return {
    stack,
    service,
    pool,
    topic,
    url,
    get: (path, params, headers = {}) => fetch(url(path, params), { headers }),
    post: (path, body, contentType, headers = {}) =>
      fetch(`${service.url}${path}`, { method: 'POST', body, headers: { 'content-type': contentType, ...headers } }),
    events: async (expected) =>
      (await readTopic(stack.topics.kafka, topic, expected === undefined ? {} : { expected })).map((message) =>
        conversionsV1.decode(message.value),
      ),
    close: async () => {
      await service.close();
      await pool.end();
      if (!options.stack) await stack.destroy();
    },
  };
}
