import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ConversionStatus, ConversionView } from '../../conversions/conversion.view';
import { IsInstant } from '../../validation/instant';
import { Optional } from '../../validation/presence';
import { IdFilter, PageQueryDto } from '../queries';

export class ConversionListQueryDto extends PageQueryDto {
  @IdFilter('One of the key’s own offers (advertiser) or offers it may run (affiliate); another tenant’s answers 403') offer_id?: number;
  @IdFilter('An affiliate key: its own only (another answers 403)') affiliate_id?: number;

  @ApiPropertyOptional({ format: 'date-time', description: 'Converted at or after' })
  @Optional()
  @IsInstant()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Converted before' })
  @Optional()
  @IsInstant()
  to?: string;
}

const STATUSES: ConversionStatus[] = ['approved', 'pending', 'rejected', 'refunded'];
const nullableString = { type: String, nullable: true } as const;

export class ConversionResponse implements ConversionView {
  @ApiProperty() conversionId!: string;
  @ApiProperty(nullableString) clickId!: string | null;
  @ApiPropertyOptional({ description: 'Not shown to affiliates' }) advertiserId?: number;
  @ApiProperty({ type: Number, nullable: true }) offerId!: number | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Ids only, never names; the same rules as the reporting API' }) affiliateId?: number | null;
  @ApiProperty({ type: Number, nullable: true }) goalId!: number | null;
  @ApiProperty(nullableString) goalCode!: string | null;
  @ApiPropertyOptional(nullableString) orderId?: string | null;
  @ApiProperty({ enum: STATUSES, description: 'Now: the last status change, else the first decision' }) status!: ConversionStatus;
  @ApiProperty() reason!: string;
  @ApiPropertyOptional({ ...nullableString, description: 'Not shown to affiliates' }) saleAmount?: string | null;
  @ApiPropertyOptional({ description: 'Not shown to affiliates' }) revenue?: string;
  @ApiPropertyOptional({ description: 'Shown to advertisers only if the network allows it' }) payout?: string;
  @ApiProperty() currency!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) clickedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) convertedAt!: string;
  @ApiProperty({ format: 'date-time' }) decidedAt!: string;
  @ApiPropertyOptional(nullableString) sub1?: string | null;
  @ApiPropertyOptional(nullableString) sub2?: string | null;
  @ApiPropertyOptional(nullableString) sub3?: string | null;
  @ApiPropertyOptional(nullableString) sub4?: string | null;
  @ApiPropertyOptional(nullableString) sub5?: string | null;
  @ApiPropertyOptional(nullableString) source?: string | null;
  @ApiPropertyOptional(nullableString) affClickId?: string | null;
  @ApiProperty(nullableString) country!: string | null;
  @ApiProperty(nullableString) device!: string | null;
  @ApiPropertyOptional(nullableString) advSub1?: string | null;
  @ApiPropertyOptional(nullableString) advSub2?: string | null;
  @ApiPropertyOptional(nullableString) advSub3?: string | null;
  @ApiPropertyOptional(nullableString) advSub4?: string | null;
  @ApiPropertyOptional(nullableString) advSub5?: string | null;
}
