import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { FraudAction, OfferTargeting, TARGET_BROWSERS, TARGET_DEVICES, TARGET_OPERATING_SYSTEMS } from '@tracklane/catalog';
import { DESTINATION_MACRO_ALIASES } from '@tracklane/tracking';
import { CouponPrecedence, OfferStatus, OfferVisibility } from '../../offers/offer.view';
import { OfferInput, OfferPatch } from '../../offers/offers.service';
import { IsCurrencyCode } from '../../validation/currency';
import { IsAmountBound } from '../../validation/money';
import { IsInstant } from '../../validation/instant';
import { IsOfferTargeting } from '../../validation/offer-targeting';
import { Optional, OptionalNullable } from '../../validation/presence';
import { IsIanaTimeZone } from '../../validation/time-zone';
import { IsDestinationUrl } from '../../validation/url-template';
import { IsBoolean, IsIn, IsInt, IsString, Length, Max, Min } from 'class-validator';
import { BooleanFlag, IdFilter, PageQueryDto } from '../queries';

const LIVE_STATUSES = ['active', 'paused', 'expired'] as const;
const ALL_STATUSES = [...LIVE_STATUSES, 'archived'] as const;
const VISIBILITIES = ['public', 'approval_required'] as const;
const FRAUD_ACTIONS = ['allow', 'pending', 'reject'] as const;
const COUPON_PRECEDENCES: CouponPrecedence[] = ['click', 'coupon'];
const YEAR_SECONDS = 31_536_000;
const MAX_CAP = 2_147_483_647;
const MACROS = `Macros: ${Object.entries(DESTINATION_MACRO_ALIASES)
  .map(([macro, aliases]) => `{${macro}}${aliases.length > 0 ? ` (also ${aliases.map((alias) => `{${alias}}`).join(', ')})` : ''}`)
  .join(', ')}. Without {click_id} (or an alias) no postback can name the click: refused unless allowDestinationWithoutClickId is true`;

const TARGETING_SCHEMA: ApiPropertyOptions = {
  nullable: true,
  type: 'object',
  description:
    'Which visitors the offer takes; every list is optional and a list left out does not restrict. A visitor that does not match goes to the alternative offer (alternativeOfferId) when that offer takes it, else to the fallback, recorded as targeting_mismatch. ' +
    "A visitor of unknown country or device does not match a list of allowed ones; countries come from the trusted edge's country header (CLICK_COUNTRY_HEADER), else click-ingest's offline GeoIP database. null: every visitor",
  properties: {
    countries: { type: 'array', items: { type: 'string', example: 'DE' }, description: 'ISO 3166-1 alpha-2 codes the offer takes' },
    excludedCountries: { type: 'array', items: { type: 'string', example: 'RU' }, description: 'Codes it never takes' },
    devices: { type: 'array', items: { type: 'string', enum: [...TARGET_DEVICES] } },
    operatingSystems: { type: 'array', items: { type: 'string', enum: [...TARGET_OPERATING_SYSTEMS] } },
    browsers: { type: 'array', items: { type: 'string', enum: [...TARGET_BROWSERS] } },
  },
  additionalProperties: false,
  example: { countries: ['DE', 'AT'], devices: ['mobile'] },
};

/** The offer's settings, each optional, shared by creation and change. */
class OfferSettingsDto {
  @ApiPropertyOptional({ enum: LIVE_STATUSES, description: 'Also restores an archived offer' })
  @Optional()
  @IsIn(LIVE_STATUSES)
  status?: Exclude<OfferStatus, 'archived'>;

  @ApiPropertyOptional({ enum: VISIBILITIES, description: 'public: any active affiliate may run it; approval_required: only approved ones' })
  @Optional()
  @IsIn(VISIBILITIES)
  visibility?: OfferVisibility;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Where clicks go that the offer cannot take (paused, not approved…); same rules and macros as destinationUrl' })
  @OptionalNullable()
  @IsDestinationUrl()
  fallbackUrl?: string | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @OptionalNullable()
  @IsInstant()
  expiresAt?: string | null;

  @ApiPropertyOptional({ example: 'Europe/Berlin', description: 'IANA time zone of caps and the day boundaries in its reports' })
  @Optional()
  @IsIanaTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ example: 'EUR', description: 'ISO 4217' })
  @Optional()
  @IsCurrencyCode()
  currency?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: YEAR_SECONDS, default: 2_592_000, description: 'How long after a click a conversion is still attributed' })
  @Optional()
  @IsInt()
  @Min(1)
  @Max(YEAR_SECONDS)
  attributionWindowSeconds?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'Conversions sooner than this after the click are held for review' })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(YEAR_SECONDS)
  minClickToConversionSeconds?: number;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, description: 'Conversions per day in the offer time zone; null: no cap' })
  @OptionalNullable()
  @IsInt()
  @Min(0)
  @Max(MAX_CAP)
  dailyCap?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0 })
  @OptionalNullable()
  @IsInt()
  @Min(0)
  @Max(MAX_CAP)
  monthlyCap?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, description: 'Default daily cap of each affiliate (approvals may override it)' })
  @OptionalNullable()
  @IsInt()
  @Min(0)
  @Max(MAX_CAP)
  affiliateDailyCap?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0 })
  @OptionalNullable()
  @IsInt()
  @Min(0)
  @Max(MAX_CAP)
  affiliateMonthlyCap?: number | null;

  @ApiPropertyOptional({ enum: FRAUD_ACTIONS, default: 'reject', description: 'What a conversion from a bot-flagged click becomes' })
  @Optional()
  @IsIn(FRAUD_ACTIONS)
  onBot?: FraudAction;

  @ApiPropertyOptional({ enum: FRAUD_ACTIONS, default: 'pending', description: 'What a conversion from a rate-limited click becomes' })
  @Optional()
  @IsIn(FRAUD_ACTIONS)
  onRateLimited?: FraudAction;

  @ApiPropertyOptional({ enum: FRAUD_ACTIONS, default: 'allow', description: 'What a conversion from a non-unique click becomes' })
  @Optional()
  @IsIn(FRAUD_ACTIONS)
  onNonUnique?: FraudAction;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: '50000.00',
    description: "The largest amount one postback may carry for this offer, in its currency; null: the network's maxPostbackAmount",
  })
  @OptionalNullable()
  @IsAmountBound()
  maxPostbackAmount?: string | null;

  @ApiPropertyOptional(TARGETING_SCHEMA)
  @OptionalNullable()
  @IsOfferTargeting()
  targeting?: OfferTargeting | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description:
      "Admin keys only. Another offer for the visitors this offer's targeting does not take: they are sent there as that offer's own clicks when it is live, the affiliate may run it and they match its targeting (one step: its own alternative is not followed); otherwise to the fallback, recorded as targeting_mismatch. Not the offer itself, not an archived offer. null: the fallback",
  })
  @OptionalNullable()
  @IsInt()
  @Min(1)
  alternativeOfferId?: number | null;

  @ApiPropertyOptional({
    default: false,
    description:
      'Admin keys only. true: the operator accepts a destinationUrl without {click_id} (or an alias), although no postback can name such clicks; recorded in the audit log with the change',
  })
  @Optional()
  @IsBoolean()
  allowDestinationWithoutClickId?: boolean;

  @ApiPropertyOptional({
    enum: COUPON_PRECEDENCES,
    default: 'click',
    description:
      "Admin keys only. Who a conversion posted with both a click id and a promo code of this offer goes to: click, the click's affiliate (the code's only when the click cannot be found); coupon, the code's affiliate",
  })
  @Optional()
  @IsIn(COUPON_PRECEDENCES)
  couponPrecedence?: CouponPrecedence;
}

export class CreateOfferDto extends OfferSettingsDto implements OfferInput {
  @ApiProperty()
  @IsInt()
  @Min(1)
  advertiserId!: number;

  @ApiProperty({ maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'https://shop.example/landing?cid={click_id}&pub={aff_id}', description: `http(s) only. ${MACROS}` })
  @IsDestinationUrl()
  destinationUrl!: string;
}

/** Every field but the advertiser may change. */
export class UpdateOfferDto extends OfferSettingsDto implements OfferPatch {
  @ApiPropertyOptional({ maxLength: 200 })
  @Optional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ example: 'https://shop.example/landing?cid={click_id}&pub={aff_id}', description: `http(s) only. ${MACROS}` })
  @Optional()
  @IsDestinationUrl()
  destinationUrl?: string;
}

export class OfferListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ALL_STATUSES, description: 'Default: all but archived' })
  @Optional()
  @IsIn(ALL_STATUSES)
  status?: OfferStatus;

  @IdFilter("Offers of this advertiser (an advertiser key: its own only; affiliate keys may not filter by advertiser: 403)")
  advertiser_id?: number;

  @BooleanFlag()
  @ApiPropertyOptional({
    type: Boolean,
    default: false,
    description: 'true: only offers whose destinationUrl has no {click_id} (nor an alias): the check of existing offers. Not for affiliate keys',
  })
  missing_click_id?: boolean;
}

export class OfferResponse {
  @ApiProperty() id!: number;
  @ApiPropertyOptional({ description: 'Not shown to affiliates' }) advertiserId?: number;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ALL_STATUSES }) status!: OfferStatus;
  @ApiProperty({ enum: VISIBILITIES }) visibility!: OfferVisibility;
  @ApiPropertyOptional({ description: 'Not shown to affiliates' }) destinationUrl?: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Not shown to affiliates' }) fallbackUrl?: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) expiresAt!: string | null;
  @ApiProperty() timeZone!: string;
  @ApiProperty() currency!: string;
  @ApiProperty() attributionWindowSeconds!: number;
  @ApiPropertyOptional() minClickToConversionSeconds?: number;
  @ApiProperty({ type: Number, nullable: true, description: "For affiliates: their own cap" }) dailyCap!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: "For affiliates: their own cap" }) monthlyCap!: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) affiliateDailyCap?: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true }) affiliateMonthlyCap?: number | null;
  @ApiPropertyOptional({ enum: FRAUD_ACTIONS }) onBot?: FraudAction;
  @ApiPropertyOptional({ enum: FRAUD_ACTIONS }) onRateLimited?: FraudAction;
  @ApiPropertyOptional({ enum: FRAUD_ACTIONS }) onNonUnique?: FraudAction;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Not shown to affiliates' }) maxPostbackAmount?: string | null;
  @ApiProperty(TARGETING_SCHEMA) targeting!: OfferTargeting | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Not shown to affiliates' }) alternativeOfferId?: number | null;
  @ApiPropertyOptional({ description: 'Not shown to affiliates' }) allowDestinationWithoutClickId?: boolean;
  @ApiPropertyOptional({ enum: COUPON_PRECEDENCES, description: 'Not shown to affiliates' }) couponPrecedence?: CouponPrecedence;
  @ApiPropertyOptional({ enum: ['approved', 'pending', 'rejected', 'blocked'], nullable: true, description: "Affiliates only: their standing on the offer" })
  approvalStatus?: string | null;
  @ApiPropertyOptional({ format: 'date-time' }) createdAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) updatedAt?: string;
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true }) archivedAt?: string | null;
}
