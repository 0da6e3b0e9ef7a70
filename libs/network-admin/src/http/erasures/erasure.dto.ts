import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ID_PATTERN } from '@tracklane/contracts';
import { IsInt, IsString, Length, Matches, Min, ValidateIf } from 'class-validator';
import { ErasureResult } from '../../erasures/erasures.service';

/** How many of the three forms a body names; a pair's fields are checked only when it is the one form named. */
const forms = (body: EraseVisitorDataDto) =>
  [body.clickId, body.advertiserId ?? body.orderId, body.affiliateId ?? body.subId].filter((value) => value !== undefined).length;
const byOrder = (body: EraseVisitorDataDto) => forms(body) === 1 && (body.advertiserId !== undefined || body.orderId !== undefined);
const bySubId = (body: EraseVisitorDataDto) => forms(body) === 1 && (body.affiliateId !== undefined || body.subId !== undefined);

/** Exactly one of: a click id; an advertiser's order id; an affiliate's sub id. The controller checks that one is named. */
export class EraseVisitorDataDto {
  @ApiPropertyOptional({ description: 'The click whose visitor data is erased' })
  @ValidateIf((body: EraseVisitorDataDto) => body.clickId !== undefined)
  @Matches(ID_PATTERN, { message: 'clickId must be a click id (30 characters), or leave it out and name advertiserId and orderId, or affiliateId and subId' })
  clickId?: string;

  @ApiPropertyOptional({ description: 'With orderId: the advertiser whose order it is' })
  @ValidateIf(byOrder)
  @IsInt()
  @Min(1)
  advertiserId?: number;

  @ApiPropertyOptional({ description: "With advertiserId: the order whose clicks' visitor data is erased" })
  @ValidateIf(byOrder)
  @IsString()
  @Length(1, 512)
  orderId?: string;

  @ApiPropertyOptional({ description: 'With subId: the affiliate whose id for the visitor it is' })
  @ValidateIf(bySubId)
  @IsInt()
  @Min(1)
  affiliateId?: number;

  @ApiPropertyOptional({
    description:
      "With affiliateId: the affiliate's own id for the visitor, as its links carried it in sub1–sub5 or aff_click_id; " +
      'every click of that affiliate carrying it is erased, and the value itself becomes "(erased)" in clicks, conversions and reports ' +
      '(affiliate postbacks already sent keep their URL). Not written to the audit log; "(erased)" itself is refused',
  })
  @ValidateIf(bySubId)
  @IsString()
  @Length(1, 512)
  subId?: string;
}

export class ErasureResponse implements ErasureResult {
  @ApiProperty({ type: [String] }) clickIds!: string[];
  @ApiProperty({ description: "Rows of attribution's clicks changed" }) clicks!: number;
  @ApiProperty({ description: "Rows of reporting's rep_clicks changed" }) reportClicks!: number;
  @ApiProperty({ description: 'Rows of the inbound postback log changed' }) inboundPostbacks!: number;
  @ApiProperty({ description: 'Conversions whose raw postback parameters were emptied' }) conversions!: number;
  @ApiProperty({
    description:
      'By sub id: rows where the value itself became "(erased)" (clicks, conversions, raw report rows, full rollup rows whose measures moved; totals unchanged); 0 otherwise',
  })
  subIdRows!: number;
}
