import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApprovalStatus } from '../../approvals/approval.view';
import { DirectLinkView } from '../../tracking-links/direct-link';
import { TrackingLinkView } from '../../tracking-links/tracking-links.service';
import { Optional } from '../../validation/presence';
import { IsString, MaxLength } from 'class-validator';
import { IdFilter } from '../queries';

const SubValue = (): PropertyDecorator => (target, property) => {
  Optional()(target, property);
  IsString()(target, property);
  MaxLength(512)(target, property);
};

export class TrackingLinkQueryDto {
  @IdFilter('Required with an admin key; an affiliate key gets its own link')
  affiliate_id?: number;

  @ApiPropertyOptional({ description: 'Filled in instead of the {sub1} placeholder' }) @SubValue() sub1?: string;
  @ApiPropertyOptional() @SubValue() sub2?: string;
  @ApiPropertyOptional() @SubValue() sub3?: string;
  @ApiPropertyOptional() @SubValue() sub4?: string;
  @ApiPropertyOptional() @SubValue() sub5?: string;
  @ApiPropertyOptional() @SubValue() source?: string;
  @ApiPropertyOptional() @SubValue() aff_click_id?: string;
}

export class TrackingLinkResponse implements TrackingLinkView {
  @ApiProperty() offerId!: number;
  @ApiProperty() affiliateId!: number;
  @ApiProperty({
    example: 'http://127.0.0.1:8080/c/12?aff_id=7&sub1=spring&sub2={sub2}&sub3={sub3}&sub4={sub4}&sub5={sub5}&source={source}&aff_click_id={aff_click_id}',
    description: "Values given are filled in; the others stay as {placeholders} for the affiliate's traffic source",
  })
  url!: string;
  @ApiProperty({ enum: ['approved', 'pending', 'rejected', 'blocked'], nullable: true, description: 'null: a public offer without an explicit approval' })
  approvalStatus!: ApprovalStatus | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) parameters!: Record<string, string>;
}

export class DirectLinkResponse implements DirectLinkView {
  @ApiProperty() offerId!: number;
  @ApiProperty({ example: 'http://127.0.0.1:8080/dl.js', description: "click-ingest's landing-page script, at the base URL tracking links start with" })
  scriptUrl!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'shop.example',
    description: "The host of the offer's destination (without www.): only its pages, and its subdomains', may record the offer's clicks",
  })
  landingHost!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: "The landing page's URL parameters an affiliate sends, and what each means" })
  parameters!: Record<string, string>;
}
