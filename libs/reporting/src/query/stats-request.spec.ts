import { HttpStatus } from '@nestjs/common';
import { ParameterError } from './parameter-error';
import { parseStatsRequest } from './stats-request';
import { Visibility, visibilityOf } from './visibility';
import { ProblemException } from '@tracklane/http-api';

const admin: Visibility = visibilityOf({ role: 'admin', advertiserId: null, affiliateId: null }, { advertisersSeePayouts: false });
const affiliate: Visibility = visibilityOf({ role: 'affiliate', advertiserId: null, affiliateId: 7 }, { advertisersSeePayouts: false });
const advertiser: Visibility = visibilityOf({ role: 'advertiser', advertiserId: 1, affiliateId: null }, { advertisersSeePayouts: false });
const limits = { defaultLimit: 1000, maxLimit: 10_000 };
const parse = (params: Record<string, string | string[]>, visibility = admin) =>
  parseStatsRequest({ from: '2025-03-01', to: '2025-03-02', ...params }, visibility, (zone) => ['UTC', 'Europe/Berlin'].includes(zone), limits);

function refusal(params: Record<string, string | string[]>, visibility = admin): { parameter: string; status: number } {
  try {
    parse(params, visibility);
  } catch (error) {
    // Parameters are refused here (ParameterError) or by the shared tenancy policy (libs/api-auth); both name the parameter.
    if (error instanceof ParameterError) return { parameter: error.parameter, status: error.getStatus() };
    if (error instanceof ProblemException) return { parameter: String(error.problem.errors?.[0]?.field), status: error.getStatus() };
    throw error;
  }
  throw new Error('accepted');
}

describe('parseStatsRequest', () => {
  it('reads dimensions, filters, metrics and sort', () => {
    const request = parse({ group_by: 'day,offer,sub1', offer_id: '10,11', sub1: ['a,b', 'c'], metrics: 'clicks,revenue', sort: '-revenue,day' });
    expect(request.grain).toBe('day');
    expect(request.dimensions.map((dimension) => dimension.name)).toEqual(['offer', 'sub1']);
    expect([...request.filters].map(([filter, values]) => [filter.parameter, values])).toEqual([
      ['offer_id', [10, 11]],
      ['sub1', ['a,b', 'c']],
    ]);
    expect(request.metrics.map((metric) => metric.name)).toEqual(['clicks', 'revenue']);
    expect(request.sort).toEqual([
      { key: 'revenue', descending: true },
      { key: 'day', descending: false },
    ]);
    expect(request.conversionsOnly).toBe(false);
  });

  it('scopes an affiliate key to itself and defaults to the metrics it may see', () => {
    const request = parse({}, affiliate);
    expect([...request.filters].map(([filter, values]) => [filter.parameter, values])).toEqual([['affiliate_id', [7]]]);
    const names = request.metrics.map((metric) => metric.name);
    expect(names).toContain('payout');
    expect(names).toContain('epc');
    for (const hidden of ['revenue', 'pending_revenue', 'profit', 'rpc']) expect(names).not.toContain(hidden);
  });

  it('hides payouts from advertisers unless the network allows it', () => {
    const names = parse({}, advertiser).metrics.map((metric) => metric.name);
    for (const hidden of ['payout', 'pending_payout', 'profit', 'epc']) expect(names).not.toContain(hidden);
    expect(refusal({ metrics: 'epc' }, advertiser)).toEqual({ parameter: 'metrics', status: HttpStatus.FORBIDDEN });
    expect(refusal({ advertiser_id: '2' }, advertiser)).toEqual({ parameter: 'advertiser_id', status: HttpStatus.FORBIDDEN });
  });

  it('leaves click metrics out of conversion-only splits', () => {
    const request = parse({ group_by: 'status' });
    expect(request.conversionsOnly).toBe(true);
    expect(request.metrics.some((metric) => metric.perClick)).toBe(false);
    expect(parse({ goal_id: '100' }).conversionsOnly).toBe(true);
  });

  it.each([
    [{ group_by: 'day,week' }, 'group_by'],
    [{ group_by: 'offer,offer' }, 'group_by'],
    [{ group_by: 'campaign' }, 'group_by'],
    [{ metrics: 'visits' }, 'metrics'],
    [{ sort: 'sub1' }, 'sort'],
    [{ timezone: 'EST' }, 'timezone'],
    [{ timezone: ['UTC', 'UTC'] }, 'timezone'],
    [{ affiliate_id: '0' }, 'affiliate_id'],
    [{ currency: 'dollars' }, 'currency'],
    [{ offset: '5', cursor: 'x' }, 'cursor'],
    [{ cursor: 'not-a-cursor' }, 'cursor'],
  ] as [Record<string, string | string[]>, string][])('refuses %j naming %s', (params, parameter) => {
    expect(refusal(params)).toEqual({ parameter, status: HttpStatus.BAD_REQUEST });
  });
});
