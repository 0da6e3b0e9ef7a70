import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { POSTBACK_STATUSES, PostbackStatus } from '@tracklane/contracts';
import { AffiliateStatus, AffiliateView } from '../../affiliates/affiliate.view';
import { AffiliateInput, AffiliatePatch, AffiliateWithSecret } from '../../affiliates/affiliates.service';
import { Optional, OptionalNullable } from '../../validation/presence';
import { IsAffiliatePostbackUrl } from '../../validation/url-template';
import { ArrayMaxSize, IsArray, IsIn, IsString, Length, Matches } from 'class-validator';
import { PageQueryDto } from '../queries';

const LIVE_STATUSES = ['active', 'pending', 'suspended'] as const;
const ALL_STATUSES = [...LIVE_STATUSES, 'archived'] as const;
const METHODS = ['GET', 'POST'] as const;
export const POSTBACK_MACROS =
  'Macros: {click_id}, {aff_click_id}, {sub1}..{sub5}, {source}, {offer_id}, {goal}, {status}, {payout}, {currency}, {conversion_id}, {coupon_code}, {timestamp}';

/** The affiliate's own postback settings (what an affiliate key may change about itself). */
class AffiliatePostbackSettingsDto {
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'https://tracker.example/pb?cid={aff_click_id}&payout={payout}&status={status}',
    description: `Global postback URL, http(s). ${POSTBACK_MACROS}. null: no postbacks`,
  })
  @OptionalNullable()
  @IsAffiliatePostbackUrl()
  postbackUrl?: string | null;

  @ApiPropertyOptional({ enum: METHODS, default: 'GET', description: 'POST sends a JSON body as well' })
  @Optional()
  @IsIn(METHODS)
  postbackMethod?: 'GET' | 'POST';

  @ApiPropertyOptional({ enum: POSTBACK_STATUSES, isArray: true, default: ['approved'], description: 'Which decisions are sent' })
  @Optional()
  @IsArray()
  @ArrayMaxSize(POSTBACK_STATUSES.length)
  @IsIn(POSTBACK_STATUSES, { each: true })
  postbackStatuses?: PostbackStatus[];
}

/** A host name with at least one dot, as a browser reports a referrer's. */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;

/** Admins only: which sites' visitors count as the affiliate's on a direct link. */
class AffiliateAdminSettingsDto extends AffiliatePostbackSettingsDto {
  @ApiPropertyOptional({
    type: [String],
    example: ['coupons.example', 'blog.coupons.example'],
    description:
      'Sites the affiliate sends visitors from without a tracking link (direct linking): a direct click referred from one of them, ' +
      'or a subdomain, is its own. One affiliate per domain. Admin keys only',
  })
  @Optional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(HOST_NAME, { each: true, message: 'referrerDomains must hold host names such as coupons.example' })
  referrerDomains?: string[];
}

export class CreateAffiliateDto extends AffiliateAdminSettingsDto implements AffiliateInput {
  @ApiProperty({ example: 'Coupon Heroes', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiPropertyOptional({ enum: LIVE_STATUSES, default: 'active' })
  @Optional()
  @IsIn(LIVE_STATUSES)
  status?: 'active' | 'pending' | 'suspended';
}

export class UpdateAffiliateDto extends AffiliateAdminSettingsDto implements AffiliatePatch {
  @ApiPropertyOptional({ maxLength: 200 })
  @Optional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ enum: LIVE_STATUSES, description: 'Also restores an archived affiliate' })
  @Optional()
  @IsIn(LIVE_STATUSES)
  status?: 'active' | 'pending' | 'suspended';
}

export class AffiliateListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ALL_STATUSES, description: 'Default: all but archived' })
  @Optional()
  @IsIn(ALL_STATUSES)
  status?: AffiliateStatus;
}

export class AffiliateResponse implements AffiliateView {
  @ApiProperty() id!: number;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ALL_STATUSES }) status!: AffiliateStatus;
  @ApiProperty({ type: String, nullable: true }) postbackUrl!: string | null;
  @ApiProperty({ enum: METHODS }) postbackMethod!: 'GET' | 'POST';
  @ApiProperty({ enum: POSTBACK_STATUSES, isArray: true }) postbackStatuses!: PostbackStatus[];
  @ApiProperty({ description: 'The secret is shown only when created or rotated' }) hasPostbackSecret!: boolean;
  @ApiProperty({ type: [String], description: 'Sites whose visitors count as its own on a direct link' }) referrerDomains!: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) archivedAt!: string | null;
}

export class CreatedAffiliateResponse extends AffiliateResponse implements AffiliateWithSecret {
  @ApiProperty({ description: 'HMAC key of the signature header on its postbacks. Shown this once.' }) postbackSecret!: string;
}

export class PostbackSecretResponse {
  @ApiProperty() affiliateId!: number;
  @ApiProperty({ description: 'Shown this once' }) postbackSecret!: string;
}
