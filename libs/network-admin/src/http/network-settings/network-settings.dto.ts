import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NetworkSettingsPatch, NetworkSettingsView } from '../../network-settings/network-settings.service';
import { IsAmountBound } from '../../validation/money';
import { Optional, OptionalNullable } from '../../validation/presence';
import { IsDestinationUrl } from '../../validation/url-template';
import { IsBoolean, IsIn, IsInt, IsString, Length, Max, Min } from 'class-validator';

const IP_STORAGE = ['full', 'truncated', 'hashed'] as const;
const USER_AGENT_STORAGE = ['full', 'normalised'] as const;

/** 30 days: a replay window longer than partners retry only swallows real conversions. */
const MAX_REPLAY_WINDOW_SECONDS = 2_592_000;

export class UpdateNetworkSettingsDto implements NetworkSettingsPatch {
  @ApiPropertyOptional({ maxLength: 200 })
  @Optional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'Where clicks go that their offer cannot take and that has no fallback URL' })
  @OptionalNullable()
  @IsDestinationUrl()
  defaultFallbackUrl?: string | null;

  @ApiPropertyOptional({ description: 'Whether advertiser keys see affiliate payouts' })
  @Optional()
  @IsBoolean()
  advertisersSeePayouts?: boolean;

  @ApiPropertyOptional({
    minimum: 0,
    maximum: MAX_REPLAY_WINDOW_SECONDS,
    default: 86400,
    description:
      'How long an identical postback (same advertiser, same fields) without order id or Idempotency-Key gets the first answer again ' +
      'instead of counting as a new conversion; 0 turns it off',
  })
  @Optional()
  @IsInt()
  @Min(0)
  @Max(MAX_REPLAY_WINDOW_SECONDS)
  postbackReplayWindowSeconds?: number;

  @ApiPropertyOptional({
    example: '1000000.00',
    default: '1000000.0000',
    description: "The largest amount one postback may carry, in its offer's currency; offers may set their own (maxPostbackAmount)",
  })
  @Optional()
  @IsAmountBound()
  maxPostbackAmount?: string;

  @ApiPropertyOptional({
    enum: IP_STORAGE,
    default: 'full',
    description:
      'How a visitor IP is stored with new clicks (Kafka, the clicks table, reports and their logs): full; truncated to its /24 (IPv4) or /48 (IPv6); ' +
      'or hashed with a key of the network (the same IP hashes alike, so per-IP review still works, but the address is not kept). ' +
      'Uniqueness, rate limits and bot flags are decided on the full address before it is stored; clicks stored earlier keep what they have',
  })
  @Optional()
  @IsIn(IP_STORAGE)
  visitorIpStorage?: NetworkSettingsPatch['visitorIpStorage'];

  @ApiPropertyOptional({
    enum: USER_AGENT_STORAGE,
    default: 'full',
    description: 'How a visitor user agent is stored with new clicks: full, or normalised to browser and major version, system and device ("chrome/131 android mobile")',
  })
  @Optional()
  @IsIn(USER_AGENT_STORAGE)
  userAgentStorage?: NetworkSettingsPatch['userAgentStorage'];

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: 3650,
    description:
      'Days of clicks kept (attribution drops older day partitions; null: its CLICK_RETENTION_DAYS). Refused when shorter than the longest ' +
      "attribution window of an offer needs; an offer's window cannot then grow past it. A conversion of a click no longer kept is click_expired",
  })
  @OptionalNullable()
  @IsInt()
  @Min(1)
  @Max(3650)
  clickRetentionDays?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 30,
    maximum: 3650,
    description:
      'Days postback receipts are kept (null: for ever). They are how a copy of a postback, and a later status change (a refund) of an order, are ' +
      'recognised: past them, a copy with an order id is still never booked twice (attribution refuses the order again), but one known only by ' +
      "its Idempotency-Key, conversion key or content may be, and a refund of an older order is no longer applied to it. Keep it above your " +
      "advertisers' refund and retry periods; at least 30 days, the longest replay window",
  })
  @OptionalNullable()
  @IsInt()
  @Min(30)
  @Max(3650)
  receiptRetentionDays?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: 3650, description: "Days of the inbound postback log (null: postback-ingest's POSTBACK_LOG_RETENTION_DAYS)" })
  @OptionalNullable()
  @IsInt()
  @Min(1)
  @Max(3650)
  postbackLogRetentionDays?: number | null;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    minimum: 1,
    maximum: 120,
    description:
      'Months of raw clicks and attribution events in the reporting read model (click log, sub-hour report edges; null: REPORTING_RAW_RETENTION_MONTHS). ' +
      'Rollups and raw conversions are kept whatever is set, so reports stay exact for every month',
  })
  @OptionalNullable()
  @IsInt()
  @Min(1)
  @Max(120)
  rawReportRetentionMonths?: number | null;
}

export class NetworkSettingsResponse implements NetworkSettingsView {
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) defaultFallbackUrl!: string | null;
  @ApiProperty() advertisersSeePayouts!: boolean;
  @ApiProperty() postbackReplayWindowSeconds!: number;
  @ApiProperty({ example: '1000000.0000' }) maxPostbackAmount!: string;
  @ApiProperty({ enum: IP_STORAGE }) visitorIpStorage!: NetworkSettingsView['visitorIpStorage'];
  @ApiProperty({ enum: USER_AGENT_STORAGE }) userAgentStorage!: NetworkSettingsView['userAgentStorage'];
  @ApiProperty({ type: Number, nullable: true }) clickRetentionDays!: number | null;
  @ApiProperty({ type: Number, nullable: true }) receiptRetentionDays!: number | null;
  @ApiProperty({ type: Number, nullable: true }) postbackLogRetentionDays!: number | null;
  @ApiProperty({ type: Number, nullable: true }) rawReportRetentionMonths!: number | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
