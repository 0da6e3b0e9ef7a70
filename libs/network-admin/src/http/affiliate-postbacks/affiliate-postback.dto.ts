import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AffiliatePostbackView } from '../../affiliate-postbacks/affiliate-postback.view';
import { AffiliatePostbackInput } from '../../affiliate-postbacks/affiliate-postbacks.service';
import { Optional } from '../../validation/presence';
import { IsAffiliatePostbackUrl } from '../../validation/url-template';
import { IsIn } from 'class-validator';
import { POSTBACK_MACROS } from '../affiliates/affiliate.dto';

export class PutAffiliatePostbackDto implements AffiliatePostbackInput {
  @ApiProperty({ example: 'https://tracker.example/pb?cid={aff_click_id}&goal={goal}', description: `http(s). ${POSTBACK_MACROS}` })
  @IsAffiliatePostbackUrl()
  url!: string;

  @ApiPropertyOptional({ enum: ['GET', 'POST'], default: 'GET' })
  @Optional()
  @IsIn(['GET', 'POST'])
  method?: 'GET' | 'POST';
}

export class AffiliatePostbackResponse implements AffiliatePostbackView {
  @ApiProperty() affiliateId!: number;
  @ApiProperty() offerId!: number;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: ['GET', 'POST'] }) method!: 'GET' | 'POST';
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
