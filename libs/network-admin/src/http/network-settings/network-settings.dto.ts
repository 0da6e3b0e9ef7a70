import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NetworkSettingsPatch, NetworkSettingsView } from '../../network-settings/network-settings.service';
import { IsAmountBound } from '../../validation/money';
import { Optional, OptionalNullable } from '../../validation/presence';
import { IsDestinationUrl } from '../../validation/url-template';
import { IsBoolean, IsInt, IsString, Length, Max, Min } from 'class-validator';

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
}

export class NetworkSettingsResponse implements NetworkSettingsView {
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) defaultFallbackUrl!: string | null;
  @ApiProperty() advertisersSeePayouts!: boolean;
  @ApiProperty() postbackReplayWindowSeconds!: number;
  @ApiProperty({ example: '1000000.0000' }) maxPostbackAmount!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
