import { CatalogAffiliate, CatalogSnapshot } from '@tracklane/catalog';
import { AttributionV1 } from '@tracklane/contracts';
import { ConsumedMessage } from '@tracklane/messaging';
import pino from 'pino';
import { attribution } from '../../test/attribution-fixture';
import { DeliveryRepository, NewDelivery } from '../delivery/delivery.repository';
import { attributionIntake } from './attribution-intake';

/** A catalogue of affiliates only, loaded at `loadedAt`. */
const catalogOf = (affiliates: CatalogAffiliate[], loadedAt: number) =>
  new CatalogSnapshot(
    {
      offers: [],
      advertisers: [],
      affiliates,
      approvals: [],
      payoutOverrides: [],
      affiliatePostbacks: [],
      coupons: [],
      settings: CatalogSnapshot.empty().settings,
    },
    1,
    loadedAt,
  );

const snapshot = catalogOf(
  [
    {
      id: 7,
      name: 'Pub',
      status: 'active',
      postbackUrl: 'https://aff.example/pb?cid={click_id}&s={status}&sub={sub1}',
      postbackMethod: 'GET',
      postbackStatuses: ['approved'],
      postbackSecret: null,
      referrerDomains: [],
    },
  ],
  Date.now(),
);

const message = (value: AttributionV1, offset: number): ConsumedMessage<AttributionV1> => ({
  topic: 'attributions.v1',
  partition: 0,
  offset: String(offset),
  key: value.clickId ?? value.conversionId,
  value,
  headers: {},
  timestamp: 0,
  raw: Buffer.from(JSON.stringify(value)),
});

describe('attributionIntake', () => {
  it('dead-letters a message Postgres refuses as data (check violation) and records the others', async () => {
    const recorded: string[] = [];
    const deliveries = {
      insert: async (batch: NewDelivery[]) => {
        if (batch.some((delivery) => delivery.url.includes('poison'))) {
          throw Object.assign(new Error('new row violates check constraint'), { code: '23514' });
        }
        recorded.push(...batch.map((delivery) => delivery.url));
        return batch.length;
      },
    } as unknown as DeliveryRepository;
    const handler = attributionIntake({ deliveries, catalog: { current: () => snapshot, reload: async () => undefined }, onRecorded: () => undefined, logger: pino({ level: 'silent' }) });
    const batch = [attribution({ sub1: 'a' }), attribution({ sub1: 'poison' }), attribution({ sub1: 'b' })].map(message);
    const deadLetters = await handler(batch);
    expect(deadLetters.map((dead) => [dead.message.offset, dead.error])).toEqual([['1', 'refused by the database: new row violates check constraint']]);
    expect(recorded.map((url) => new URL(url).searchParams.get('sub'))).toEqual(['a', 'b']);
  });

  it('throws transient errors for the consumer to retry the whole batch', async () => {
    const deliveries = {
      insert: async () => {
        throw Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' });
      },
    } as unknown as DeliveryRepository;
    const handler = attributionIntake({ deliveries, catalog: { current: () => snapshot, reload: async () => undefined }, onRecorded: () => undefined, logger: pino({ level: 'silent' }) });
    await expect(handler([message(attribution(), 0)])).rejects.toThrow('duplicate key');
  });

  it('loads the catalogue again for a decision newer than it about an affiliate it lacks, and then records the postback', async () => {
    const recorded: NewDelivery[] = [];
    const deliveries = { insert: async (batch: NewDelivery[]) => recorded.push(...batch) } as unknown as DeliveryRepository;
    let current = catalogOf([], Date.now() - 60_000);
    let reloads = 0;
    const catalog = {
      current: () => current,
      reload: async () => {
        reloads++;
        current = snapshot;
      },
    };
    const handler = attributionIntake({ deliveries, catalog, onRecorded: () => undefined, logger: pino({ level: 'silent' }) });
    const decided = { ...message(attribution({ sub1: 'new' }), 0), timestamp: Date.now() };
    expect(await handler([decided])).toEqual([]);
    expect(reloads).toBe(1);
    expect(recorded.map((delivery) => delivery.conversionId)).toEqual([decided.value.conversionId]);
  });

  it('sends nothing, and loads nothing, for an affiliate a catalogue newer than the decision lacks (archived)', async () => {
    const recorded: NewDelivery[] = [];
    const deliveries = { insert: async (batch: NewDelivery[]) => recorded.push(...batch) } as unknown as DeliveryRepository;
    let reloads = 0;
    const catalog = { current: () => catalogOf([], Date.now()), reload: async () => void reloads++ };
    const warnings: unknown[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line)) });
    const handler = attributionIntake({ deliveries, catalog, onRecorded: () => undefined, logger });
    const decided = { ...message(attribution(), 0), timestamp: Date.now() - 60_000 };
    await handler([decided]);
    expect([reloads, recorded.length]).toEqual([0, 0]);
    expect(warnings).toEqual([expect.objectContaining({ conversionId: decided.value.conversionId, affiliateId: 7 })]);
  });

  it('retries the batch when the catalogue cannot be loaded for a decision it lacks', async () => {
    const recorded: NewDelivery[] = [];
    const deliveries = { insert: async (batch: NewDelivery[]) => recorded.push(...batch) } as unknown as DeliveryRepository;
    const stale = catalogOf([], Date.now() - 60_000);
    const catalog = { current: () => stale, reload: async () => undefined }; // Catalog.reload keeps the old snapshot on failure
    const handler = attributionIntake({ deliveries, catalog, onRecorded: () => undefined, logger: pino({ level: 'silent' }) });
    await expect(handler([{ ...message(attribution(), 0), timestamp: Date.now() }])).rejects.toThrow('could not be loaded');
    expect(recorded).toEqual([]);
  });
});
