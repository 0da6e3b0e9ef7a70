import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApiKeyRole } from '@tracklane/api-keys';
import { ApiKeyView, IssuedApiKeyView } from '../../api-keys/api-key.view';
import { ApiKeyInput } from '../../api-keys/api-keys.service';
import { Optional, OptionalNullable } from '../../validation/presence';
import { IsBoolean, IsIn, IsInt, IsString, Length, Min } from 'class-validator';
import { BooleanFlag, IdFilter, PageQueryDto } from '../queries';

const ROLES: ApiKeyRole[] = ['admin', 'advertiser', 'affiliate'];

export class CreateApiKeyDto implements ApiKeyInput {
  @ApiProperty({ example: 'Looker read-only', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ enum: ROLES, description: 'Required for admin keys; advertiser and affiliate keys create keys of their own kind' })
  @Optional()
  @IsIn(ROLES)
  role?: ApiKeyRole;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'The advertiser of an advertiser key' })
  @OptionalNullable()
  @IsInt()
  @Min(1)
  advertiserId?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'The affiliate of an affiliate key' })
  @OptionalNullable()
  @IsInt()
  @Min(1)
  affiliateId?: number | null;

  @ApiPropertyOptional({ default: false, description: 'A read-only key may only read (GET)' })
  @Optional()
  @IsBoolean()
  readOnly?: boolean;
}

export class ApiKeyListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ROLES })
  @Optional()
  @IsIn(ROLES)
  role?: ApiKeyRole;

  @IdFilter() advertiser_id?: number;
  @IdFilter() affiliate_id?: number;
  @BooleanFlag() include_revoked?: boolean;
}

export class ApiKeyResponse implements ApiKeyView {
  @ApiProperty() id!: number;
  @ApiProperty({ description: 'Recognises the key (tl_<prefix>_…); cannot be used as one' }) prefix!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: ApiKeyRole;
  @ApiProperty({ type: Number, nullable: true }) advertiserId!: number | null;
  @ApiProperty({ type: Number, nullable: true }) affiliateId!: number | null;
  @ApiProperty() readOnly!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Updated at most once a minute' }) lastUsedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) revokedAt!: string | null;
}

export class IssuedApiKeyResponse extends ApiKeyResponse implements IssuedApiKeyView {
  @ApiProperty({ example: 'tl_3f9a1c2b_…', description: 'The key. Shown this once; only its hash is stored.' }) key!: string;
}
