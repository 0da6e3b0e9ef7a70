import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { TimeZones } from '../read-model/time-zones';
import { ParameterError } from '../query/parameter-error';
import { parseTimeInput } from '../query/time-input';
import { LedgerReconciliation, Reconciliation } from '../reconciliation/reconciliation';
import { ReconciliationQuery } from './query-parameters';

const BOOKS = {
  type: 'object',
  properties: Object.fromEntries([
    ...['approved_revenue', 'pending_revenue', 'approved_payout', 'pending_payout'].map((name) => [name, { type: 'string' }]),
    ...['approved_conversions', 'pending_conversions', 'rejected_conversions', 'refunded_conversions'].map((name) => [name, { type: 'integer' }]),
  ]),
};

@ApiTags('operations')
@Controller('v1/reconciliation')
// Admin keys only (ApiKeyGuard's default), the key in a header: not a URL for BI tools.
export class ReconciliationController {
  constructor(
    private readonly reconciliation: LedgerReconciliation,
    private readonly timeZones: TimeZones,
  ) {}

  @Get()
  @ApiSecurity('api_key_header')
  @ApiSecurity('bearer')
  @ApiOperation({
    summary: 'Rollups against the ledger',
    description:
      'For the conversions of a period (by conversion time): the rollups reports read against attribution’s ledger, by currency and status, and every conversion on which they disagree. Admin keys only.',
  })
  @ApiOkResponse({
    description: '`balanced` is true when every currency matches to the cent and no conversion disagrees.',
    schema: {
      type: 'object',
      required: ['from', 'to', 'balanced', 'currencies', 'mismatched_conversions', 'mismatches_truncated'],
      properties: {
        from: { type: 'string', format: 'date-time' },
        to: { type: 'string', format: 'date-time' },
        balanced: { type: 'boolean' },
        currencies: {
          type: 'array',
          items: {
            type: 'object',
            properties: { currency: { type: 'string' }, ledger: BOOKS, rollups: BOOKS, matches: { type: 'boolean' }, ledger_balanced: { type: 'boolean' } },
          },
        },
        mismatched_conversions: { type: 'array', items: { type: 'object', additionalProperties: true } },
        mismatches_truncated: { type: 'boolean' },
      },
    },
  })
  async reconcile(@Query() query: ReconciliationQuery): Promise<Reconciliation> {
    const zone = query.timezone ?? 'UTC';
    if (!this.timeZones.isKnown(zone)) throw new ParameterError('timezone', `"${zone}" is not an IANA time zone name`);
    return this.reconciliation.reconcile(parseTimeInput('from', query.from), parseTimeInput('to', query.to), zone);
  }
}
