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
    const handler = attributionIntake({ deliveries, catalog: { current: () => snapshot, loadedAfter: async () => snapshot }, onRecorded: () => undefined, logger: pino({ level: 'silent' }) });
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
    const handler = attributionIntake({ deliveries, catalog: { current: () => snapshot, loadedAfter: async () => snapshot }, onRecorded: () => undefined, logger: pino({ level: 'silent' }) });
    await expect(handler([message(attribution(), 0)])).rejects.toThrow('duplicate key');
  });

  it('plans a decision about an affiliate the catalogue lacks with one loaded after the newest such decision', async () => {
    const recorded: NewDelivery[] = [];
    const deliveries = { insert: async (batch: NewDelivery[]) => recorded.push(...batch) } as unknown as DeliveryRepository;
    const asked: number[] = [];
    const catalog = {
      current: () => catalogOf([], Date.now() - 60_000),
      loadedAfter: async (madeAt: number) => {
        asked.push(madeAt);
        return snapshot;
      },
    };
    const handler = attributionIntake({ deliveries, catalog, onRecorded: () => undefined, logger: pino({ level: 'silent' }) });
    const now = Date.now();
    const decided = [{ ...message(attribution({ sub1: 'a' }), 0), timestamp: now - 5 }, { ...message(attribution({ sub1: 'b' }), 1), timestamp: now }];
    expect(await handler(decided)).toEqual([]);
    expect(asked).toEqual([now]);
    expect(recorded.map((delivery) => delivery.conversionId)).toEqual(decided.map(({ value }) => value.conversionId));
  });

  it('asks for no other catalogue when the current one holds every affiliate named', async () => {
    const recorded: NewDelivery[] = [];
    const deliveries = { insert: async (batch: NewDelivery[]) => recorded.push(...batch) } as unknown as DeliveryRepository;
    const catalog = {
      current: () => snapshot,
      loadedAfter: async (): Promise<CatalogSnapshot> => {
        throw new Error('not asked for');
      },
    };
    const handler = attributionIntake({ deliveries, catalog, onRecorded: () => undefined, logger: pino({ level: 'silent' }) });
    // No offer named, and the affiliate is in the catalogue: nothing lacking.
    await handler([{ ...message(attribution({ offerId: null }), 0), timestamp: Date.now() }]);
    expect(recorded).toHaveLength(1);
  });

  it('sends nothing, and logs it, for an affiliate a catalogue loaded after the decision lacks (archived)', async () => {
    const recorded: NewDelivery[] = [];
    const deliveries = { insert: async (batch: NewDelivery[]) => recorded.push(...batch) } as unknown as DeliveryRepository;
    const archived = catalogOf([], Date.now());
    const catalog = { current: () => archived, loadedAfter: async () => archived };
    const warnings: unknown[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line)) });
    const handler = attributionIntake({ deliveries, catalog, onRecorded: () => undefined, logger });
    const decided = { ...message(attribution(), 0), timestamp: Date.now() - 60_000 };
    await handler([decided]);
    expect(recorded).toEqual([]);
    expect(warnings).toEqual([expect.objectContaining({ conversionId: decided.value.conversionId, affiliateId: 7 })]);
  });

  it('retries the batch when no catalogue can be loaded for a decision it lacks', async () => {
    const recorded: NewDelivery[] = [];
    const deliveries = { insert: async (batch: NewDelivery[]) => recorded.push(...batch) } as unknown as DeliveryRepository;
    const catalog = {
      current: () => catalogOf([], Date.now() - 60_000),
      loadedAfter: async (): Promise<CatalogSnapshot> => {
        throw new Error('the catalogue could not be loaded');
      },
    };
    const handler = attributionIntake({ deliveries, catalog, onRecorded: () => undefined, logger: pino({ level: 'silent' }) });
    await expect(handler([{ ...message(attribution(), 0), timestamp: Date.now() }])).rejects.toThrow('could not be loaded');
    expect(recorded).toEqual([]);
  });
});
