import { ApiHideProperty, ApiProperty, ApiPropertyOptional, ApiPropertyOptions, IntersectionType, OmitType } from '@nestjs/swagger';
import { ATTRIBUTION_STATUSES } from '@tracklane/contracts';
import { IsDefined, IsIn, IsOptional, IsString } from 'class-validator';
import { GROUP_BY_NAMES } from '../query/dimensions';
import { METRICS } from '../query/metrics';

const INBOUND_OUTCOMES = ['accepted', 'duplicate', 'replay', 'refused', 'unavailable', 'failed'];

/**
 * The query parameters of each endpoint: what OpenAPI documents, and the
 * whitelist (a parameter not listed here is refused, naming it). Values are
 * checked in depth by the request parsers, which know the caller's key.
 */
const required = { message: 'is required' };
const once = { message: 'may be given once' };
const many = { each: true, message: 'must be text' };
// Arrays in the query are form-style and exploded (?sub1=a&sub1=b), OpenAPI's default.
const ids = (what: string): ApiPropertyOptions => ({ type: [String], description: `Only these ${what} ids (comma-separated or repeated).` });
const texts = (what: string): ApiPropertyOptions => ({
  type: [String],
  description: `Only rows whose ${what} is one of these (repeat the parameter for several).`,
});

export class WindowQuery {
  @ApiProperty({
    description:
      'Start, inclusive. An instant (2025-03-01T00:00:00Z, 2025-03-01T00:00:00-05:00), a local date-time (2025-03-01T06:00) or a date (2025-03-01), the last two read in `timezone`.',
    example: '2025-03-01',
  })
  @IsDefined(required)
  @IsString(once)
  from!: string;

  @ApiProperty({
    description: 'End: exclusive for instants and date-times; a date includes that whole day (to=2025-03-31 ends at April 1st, 00:00).',
    example: '2025-03-31',
  })
  @IsDefined(required)
  @IsString(once)
  to!: string;

  @ApiPropertyOptional({ description: 'IANA time zone for dates, local times and buckets.', default: 'UTC', example: 'America/New_York' })
  @IsOptional()
  @IsString(once)
  timezone?: string;

  @ApiPropertyOptional({ description: 'Response format; `Accept: text/csv` also asks for CSV.', enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'must be json or csv' })
  format?: string;

  // Documented as the api_key_query security scheme.
  @ApiHideProperty()
  @IsOptional()
  @IsString(once)
  api_key?: string;
}

export class ConversionFilterQuery extends WindowQuery {
  @ApiPropertyOptional(ids('advertiser'))
  @IsOptional()
  @IsString(many)
  advertiser_id?: string | string[];

  @ApiPropertyOptional(ids('offer'))
  @IsOptional()
  @IsString(many)
  offer_id?: string | string[];

  @ApiPropertyOptional(ids('affiliate'))
  @IsOptional()
  @IsString(many)
  affiliate_id?: string | string[];

  @ApiPropertyOptional(ids('goal'))
  @IsOptional()
  @IsString(many)
  goal_id?: string | string[];

  @ApiPropertyOptional(texts('sub1'))
  @IsOptional()
  @IsString(many)
  sub1?: string | string[];

  @ApiPropertyOptional(texts('sub2'))
  @IsOptional()
  @IsString(many)
  sub2?: string | string[];

  @ApiPropertyOptional(texts('sub3'))
  @IsOptional()
  @IsString(many)
  sub3?: string | string[];

  @ApiPropertyOptional(texts('sub4'))
  @IsOptional()
  @IsString(many)
  sub4?: string | string[];

  @ApiPropertyOptional(texts('sub5'))
  @IsOptional()
  @IsString(many)
  sub5?: string | string[];

  @ApiPropertyOptional(texts('traffic source'))
  @IsOptional()
  @IsString(many)
  source?: string | string[];

  @ApiPropertyOptional({ ...texts('country (ISO 3166-1 alpha-2)'), description: 'Only these countries (ISO 3166-1 alpha-2, comma-separated or repeated).' })
  @IsOptional()
  @IsString(many)
  country?: string | string[];

  @ApiPropertyOptional(texts('device'))
  @IsOptional()
  @IsString(many)
  device?: string | string[];

  @ApiPropertyOptional({ ...texts('currency'), description: 'Only these currencies (ISO 4217, comma-separated or repeated).' })
  @IsOptional()
  @IsString(many)
  currency?: string | string[];

  @ApiPropertyOptional({
    type: [String],
    enum: ATTRIBUTION_STATUSES,
    description: 'Only conversions in these statuses (comma-separated or repeated).',
  })
  @IsOptional()
  @IsString(many)
  status?: string | string[];

  @ApiPropertyOptional({
    ...texts('promo code'),
    description: 'Only conversions posted with these promo codes (as the catalogue spells them; comma-separated or repeated). Reads raw conversions.',
  })
  @IsOptional()
  @IsString(many)
  coupon_code?: string | string[];
}

export class StatsQuery extends ConversionFilterQuery {
  @ApiPropertyOptional({
    description: `Comma-separated dimensions, at most one of them a time bucket: ${GROUP_BY_NAMES.join(', ')}.`,
    example: 'day,offer',
  })
  @IsOptional()
  @IsString(once)
  group_by?: string;

  @ApiPropertyOptional({
    description: `Comma-separated metrics; default: every metric the key may see. ${METRICS.map((metric) => metric.name).join(', ')}.`,
    example: 'clicks,conversions,revenue,payout,profit,cr,epc',
  })
  @IsOptional()
  @IsString(once)
  metrics?: string;

  @ApiPropertyOptional({ description: 'Comma-separated group_by dimensions, currency or metrics; a leading - sorts descending.', example: '-revenue,day' })
  @IsOptional()
  @IsString(once)
  sort?: string;

  @ApiPropertyOptional({ description: 'Rows per page (JSON default 1000, at most 10000; CSV: every row unless given).' })
  @IsOptional()
  @IsString(once)
  limit?: string;

  @ApiPropertyOptional({ description: 'Rows to skip.' })
  @IsOptional()
  @IsString(once)
  offset?: string;

  @ApiPropertyOptional({ description: "The previous page's meta.next_cursor (instead of offset)." })
  @IsOptional()
  @IsString(once)
  cursor?: string;
}

export class LogPagingQuery {
  @ApiPropertyOptional({ enum: ['desc', 'asc'], default: 'desc', description: 'Newest first (desc) or oldest first (asc).' })
  @IsOptional()
  @IsIn(['asc', 'desc'], { message: 'must be asc or desc' })
  order?: string;

  @ApiPropertyOptional({ description: 'Rows per page (JSON default 100, at most 10000; CSV: every row unless given).' })
  @IsOptional()
  @IsString(once)
  limit?: string;

  @ApiPropertyOptional({ description: "The previous page's meta.next_cursor." })
  @IsOptional()
  @IsString(once)
  cursor?: string;
}

export class ConversionLogQuery extends IntersectionType(ConversionFilterQuery, LogPagingQuery) {}

export class ClickLogQuery extends OmitType(ConversionLogQuery, ['goal_id', 'status', 'coupon_code'] as const) {}

class PostbackFilterQuery extends WindowQuery {
  @ApiPropertyOptional(ids('affiliate'))
  @IsOptional()
  @IsString(many)
  affiliate_id?: string | string[];

  @ApiPropertyOptional(ids('offer'))
  @IsOptional()
  @IsString(many)
  offer_id?: string | string[];

  @ApiPropertyOptional(texts('conversion id'))
  @IsOptional()
  @IsString(many)
  conversion_id?: string | string[];

  @ApiPropertyOptional({ ...texts('delivery state'), description: 'Only deliveries in these states: pending, delivered, failed, dead_lettered, refused.' })
  @IsOptional()
  @IsString(many)
  state?: string | string[];

  @ApiPropertyOptional({ ...texts('conversion status'), enum: ATTRIBUTION_STATUSES })
  @IsOptional()
  @IsString(many)
  status?: string | string[];
}

export class PostbackLogQuery extends IntersectionType(PostbackFilterQuery, LogPagingQuery) {}

class InboundPostbackFilterQuery extends WindowQuery {
  @ApiPropertyOptional({ ...ids('advertiser'), description: 'Admin keys: only these advertisers (an advertiser key reads its own only).' })
  @IsOptional()
  @IsString(many)
  advertiser_id?: string | string[];

  @ApiPropertyOptional({
    type: [String],
    enum: INBOUND_OUTCOMES,
    description: 'Only postbacks with these outcomes (repeat the parameter for several).',
  })
  @IsOptional()
  @IsString(many)
  outcome?: string | string[];

  @ApiPropertyOptional(texts('click id'))
  @IsOptional()
  @IsString(many)
  click_id?: string | string[];

  @ApiPropertyOptional(texts('order id'))
  @IsOptional()
  @IsString(many)
  order_id?: string | string[];
}

export class InboundPostbackLogQuery extends IntersectionType(InboundPostbackFilterQuery, LogPagingQuery) {}

export class ReconciliationQuery extends OmitType(WindowQuery, ['format', 'api_key'] as const) {}
