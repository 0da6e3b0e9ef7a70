import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NetworkSettingsPatch, NetworkSettingsView } from '../../network-settings/network-settings.service';
import { Optional, OptionalNullable } from '../../validation/presence';
import { IsDestinationUrl } from '../../validation/url-template';
import { IsBoolean, IsString, Length } from 'class-validator';

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
}

export class NetworkSettingsResponse implements NetworkSettingsView {
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) defaultFallbackUrl!: string | null;
  @ApiProperty() advertisersSeePayouts!: boolean;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
