import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AuditEntryView } from '../../audit-log/audit-log.service';
import { Optional } from '../../validation/presence';
import { IsIn, IsString, MaxLength } from 'class-validator';
import { IdFilter, PageQueryDto } from '../queries';

const ENTITIES = ['advertiser', 'offer', 'goal', 'affiliate', 'offer_affiliate', 'payout_override', 'affiliate_postback', 'coupon_code', 'network_settings', 'api_key', 'visitor_data'];

export class AuditLogQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ENTITIES })
  @Optional()
  @IsIn(ENTITIES)
  entity?: string;

  @ApiPropertyOptional({ description: 'Id of the object (offerId:affiliateId for approvals)' })
  @Optional()
  @IsString()
  @MaxLength(64)
  entity_id?: string;

  @IdFilter('Changes made with this API key')
  actor_key_id?: number;
}

export class AuditEntryResponse implements AuditEntryView {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ type: Number, nullable: true, description: 'null: the seed or another operator tool' }) actorKeyId!: number | null;
  @ApiProperty({ enum: ['admin', 'advertiser', 'affiliate', 'system'] }) actorRole!: string;
  @ApiProperty({ example: 'update', description: 'create, update, delete, archive, restore, revoke, rotate_…' }) action!: string;
  @ApiProperty({ enum: ENTITIES }) entity!: string;
  @ApiProperty() entityId!: string;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true, description: 'The row before; credentials redacted' })
  before!: Record<string, unknown> | null;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true, description: 'The row after; credentials redacted' })
  after!: Record<string, unknown> | null;
}
