import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ID_PATTERN } from '@tracklane/contracts';
import { IsInt, IsString, Length, Matches, Min, ValidateIf } from 'class-validator';
import { ErasureResult } from '../../erasures/erasures.service';

/** Exactly one of: a click id, or an advertiser's order id. */
export class EraseVisitorDataDto {
  @ApiPropertyOptional({ description: 'The click whose visitor data is erased' })
  @ValidateIf((body: EraseVisitorDataDto) => body.orderId === undefined || body.clickId !== undefined)
  @Matches(ID_PATTERN, { message: 'clickId must be a click id (30 characters), or leave it out and name advertiserId and orderId' })
  clickId?: string;

  @ApiPropertyOptional({ description: 'With orderId: the advertiser whose order it is' })
  @ValidateIf((body: EraseVisitorDataDto) => body.clickId === undefined)
  @IsInt()
  @Min(1)
  advertiserId?: number;

  @ApiPropertyOptional({ description: "With advertiserId: the order whose clicks' visitor data is erased" })
  @ValidateIf((body: EraseVisitorDataDto) => body.clickId === undefined)
  @IsString()
  @Length(1, 512)
  orderId?: string;
}

export class ErasureResponse implements ErasureResult {
  @ApiProperty({ type: [String] }) clickIds!: string[];
  @ApiProperty({ description: "Rows of attribution's clicks changed" }) clicks!: number;
  @ApiProperty({ description: "Rows of reporting's rep_clicks changed" }) reportClicks!: number;
  @ApiProperty({ description: 'Rows of the inbound postback log changed' }) inboundPostbacks!: number;
  @ApiProperty({ description: 'Conversions whose raw postback parameters were emptied' }) conversions!: number;
}
