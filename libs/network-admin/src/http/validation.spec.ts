import { ArgumentMetadata, BadRequestException } from '@nestjs/common';
import { CreateGoalDto } from '../goals/goal.dto';
import { CreateOfferDto } from '../offers/offer.dto';
import { validationPipe } from './validation';

async function problems(metatype: ArgumentMetadata['metatype'], body: unknown) {
  try {
    await validationPipe().transform(body, { type: 'body', metatype });
  } catch (error) {
    return (error as BadRequestException).getResponse() as { message: string; errors: Array<{ field: string; reason: string }> };
  }
  return null;
}

describe('request validation', () => {
  it('names every refused field with its reason', async () => {
    const answer = await problems(CreateOfferDto, { advertiserId: 1, name: 'x', destinationUrl: 'https://a.example/?c={cid}', currency: 'usd' });
    expect(answer?.errors).toEqual([
      { field: 'destinationUrl', reason: expect.stringMatching(/^uses the unknown macro \{cid\}/) },
      { field: 'currency', reason: expect.stringMatching(/^must be an ISO 4217 currency code/) },
    ]);
    expect(answer?.message).toMatch(/^destinationUrl uses the unknown macro \{cid\}/);
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
    const goal = await validationPipe().transform(
      { code: 'sale', name: 'Sale', revenue: { type: 'percent', percent: '12.5' } },
      { type: 'body', metatype: CreateGoalDto },
    );
    expect(goal).toBeInstanceOf(CreateGoalDto);
  });
});
