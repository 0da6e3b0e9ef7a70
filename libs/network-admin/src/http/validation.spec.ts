import { ArgumentMetadata } from '@nestjs/common';
import { ApiValidationPipe, ProblemDetails, ProblemException } from '@tracklane/http-api';
import { CreateGoalDto } from './goals/goal.dto';
import { CreateOfferDto } from './offers/offer.dto';

const pipe = new ApiValidationPipe({ transform: true });

async function problems(metatype: ArgumentMetadata['metatype'], body: unknown): Promise<ProblemDetails | null> {
  try {
    await pipe.transform(body, { type: 'body', metatype });
  } catch (error) {
    return (error as ProblemException).problem;
  }
  return null;
}

describe('request validation of the management DTOs', () => {
  it('names every refused field with its reason', async () => {
    const answer = await problems(CreateOfferDto, { advertiserId: 1, name: 'x', destinationUrl: 'https://a.example/?c={cid}', currency: 'usd' });
    expect(answer).toMatchObject({ type: 'urn:tracklane:problem:invalid-request', status: 400 });
    expect(answer?.errors).toEqual([
      { field: 'destinationUrl', reason: expect.stringMatching(/^uses the unknown macro \{cid\}/) },
      { field: 'currency', reason: expect.stringMatching(/^must be an ISO 4217 currency code/) },
    ]);
    expect(answer?.detail).toMatch(/^destinationUrl: uses the unknown macro \{cid\}.*; currency: must be an ISO 4217/);
  });

  it('says a missing required field is required', async () => {
    expect((await problems(CreateOfferDto, { name: 'x' }))?.errors).toEqual([
      { field: 'advertiserId', reason: 'is required' },
      { field: 'destinationUrl', reason: 'is required' },
    ]);
  });

  it('names nested fields by their path, and refuses numbers where money belongs', async () => {
    const answer = await problems(CreateGoalDto, { code: 'sale', name: 'Sale', payout: { type: 'fixed', amount: 2.5 } });
    expect(answer?.errors).toEqual([{ field: 'payout.amount', reason: expect.stringMatching(/^must be a decimal string/) }]);
  });

  it('refuses unknown fields (a typo must not pass silently) and bodies that are not objects', async () => {
    expect((await problems(CreateGoalDto, { code: 'sale', name: 'Sale', isdefault: true }))?.errors).toEqual([
      { field: 'isdefault', reason: 'is not a known field' },
    ]);
    expect((await problems(CreateGoalDto, [1, 2]))?.errors).toEqual([{ field: 'body', reason: 'must be a JSON object' }]);
    expect((await problems(CreateGoalDto, undefined))?.errors).toEqual([{ field: 'body', reason: 'must be a JSON object' }]);
  });

  it('lets a valid body through as its class', async () => {
    const goal = await pipe.transform({ code: 'sale', name: 'Sale', revenue: { type: 'percent', percent: '12.5' } }, { type: 'body', metatype: CreateGoalDto });
    expect(goal).toBeInstanceOf(CreateGoalDto);
  });
});
