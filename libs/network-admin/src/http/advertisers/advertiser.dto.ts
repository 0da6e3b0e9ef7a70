import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ParamMapping } from '@tracklane/catalog';
import { AdvertiserStatus, AdvertiserView } from '../../advertisers/advertiser.view';
import { AdvertiserInput, AdvertiserPatch, AdvertiserPostbackUrlView, AdvertiserWithSecret } from '../../advertisers/advertisers.service';
import { IsIpAllowlist } from '../../validation/ip-allowlist';
import { IsParamMapping } from '../../validation/param-mapping';
import { Optional } from '../../validation/presence';
import { IsBoolean, IsIn, IsString, Length } from 'class-validator';
import { PageQueryDto } from '../queries';

const LIVE_STATUSES = ['active', 'paused'] as const;

const PARAM_MAPPING_EXAMPLE = { params: { txn: 'click_id', event: 'goal' }, values: { status: { sale: 'approved', chargeback: 'refunded' } } };

export class CreateAdvertiserDto implements AdvertiserInput {
  @ApiProperty({ example: 'Acme Shoes', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ enum: LIVE_STATUSES, default: 'active' })
  @Optional()
  @IsIn(LIVE_STATUSES)
  status?: 'active' | 'paused';

  @ApiPropertyOptional({ default: false, description: 'Refuse postbacks without a valid HMAC-SHA256 signature' })
  @Optional()
  @IsBoolean()
  requireSignature?: boolean;

  @ApiPropertyOptional({ type: [String], example: ['203.0.113.7', '198.51.100.0/24'], description: 'Empty: postbacks from anywhere' })
  @Optional()
  @IsIpAllowlist()
  ipAllowlist?: string[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: PARAM_MAPPING_EXAMPLE, description: "The partner's own postback names and values, mapped to ours" })
  @Optional()
  @IsParamMapping()
  paramMapping?: ParamMapping;
}

export class UpdateAdvertiserDto implements AdvertiserPatch {
  @ApiPropertyOptional({ maxLength: 200 })
  @Optional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ enum: LIVE_STATUSES, description: 'Also restores an archived advertiser' })
  @Optional()
  @IsIn(LIVE_STATUSES)
  status?: 'active' | 'paused';

  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  requireSignature?: boolean;

  @ApiPropertyOptional({ type: [String] })
  @Optional()
  @IsIpAllowlist()
  ipAllowlist?: string[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, example: PARAM_MAPPING_EXAMPLE })
  @Optional()
  @IsParamMapping()
  paramMapping?: ParamMapping;
}

export class AdvertiserListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['active', 'paused', 'archived'], description: 'Default: all but archived' })
  @Optional()
  @IsIn(['active', 'paused', 'archived'])
  status?: AdvertiserStatus;
}

export class AdvertiserResponse implements AdvertiserView {
  @ApiProperty() id!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['active', 'paused', 'archived'] }) status!: AdvertiserStatus;
  @ApiProperty({ description: 'Goes into every postback URL of this advertiser' }) postbackToken!: string;
  @ApiProperty() requireSignature!: boolean;
  @ApiProperty({ description: 'The secret is shown only when created or rotated' }) hasSigningSecret!: boolean;
  @ApiProperty({ type: [String] }) ipAllowlist!: string[];
  @ApiProperty({ type: 'object', additionalProperties: true }) paramMapping!: ParamMapping;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) archivedAt!: string | null;
}

export class CreatedAdvertiserResponse extends AdvertiserResponse implements AdvertiserWithSecret {
  @ApiProperty({ description: 'HMAC-SHA256 key for signed postbacks. Shown this once.' }) signingSecret!: string;
}

export class SigningSecretResponse {
  @ApiProperty() advertiserId!: number;
  @ApiProperty({ description: 'Shown this once' }) signingSecret!: string;
}

class PostbackGoalResponse {
  @ApiProperty() offerId!: number;
  @ApiProperty() offerName!: string;
  @ApiProperty({ example: 'sale' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() isDefault!: boolean;
}

export class PartnerPresetResponse {
  @ApiProperty({ example: 'appsflyer', description: 'What a mapping names as {"preset": …}' }) name!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: [String], description: "The vendor's documentation the format follows" }) sources!: string[];
  @ApiProperty({ description: 'How a later status or refund reaches us in this format' }) statusChanges!: string;
}

export class PresetPostbackRequestResponse extends PartnerPresetResponse {
  @ApiProperty({ enum: ['GET', 'POST'] }) method!: 'GET' | 'POST';
  @ApiProperty({ description: "The URL the partner's platform is given: our address and the token filled in, the partner's own macros left" }) url!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The body template of a POST format' }) body!: string | null;
}

export class AdvertiserPostbackUrlResponse implements AdvertiserPostbackUrlView {
  @ApiProperty() advertiserId!: number;
  @ApiProperty({
    example: 'http://127.0.0.1:8081/postback?click_id={click_id}&token=…&goal={goal}&amount={amount}&currency={currency}&order_id={order_id}&status={status}',
  })
  url!: string;
  @ApiProperty() requireSignature!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'What each placeholder stands for' })
  parameters!: Record<string, string>;
  @ApiProperty({ type: [PostbackGoalResponse], description: 'Goal codes the postback may name' })
  goals!: PostbackGoalResponse[];
  @ApiProperty({ type: PresetPostbackRequestResponse, nullable: true, description: "When the advertiser's mapping names a partner preset: the call in that partner's format" })
  preset!: PresetPostbackRequestResponse | null;
}
