import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { COUPON_CODE_MAX, COUPON_CODE_REASON } from '@tracklane/contracts';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsString, Min } from 'class-validator';
import { CouponCodeView } from '../../coupon-codes/coupon-code.view';
import { COUPON_CODE_BATCH_MAX, CouponCodeBatchInput, CouponCodeInput } from '../../coupon-codes/coupon-codes.service';
import { Optional, OptionalNullable } from '../../validation/presence';
import { IdFilter, PageQueryDto } from '../queries';

const CODE_RULE = `Trimmed and kept as entered, matched regardless of case; ${COUPON_CODE_REASON}`;

/** Whose codes, and where they count. */
class CouponScopeDto {
  @ApiProperty()
  @IsInt()
  @Min(1)
  affiliateId!: number;

  @ApiPropertyOptional({
    type: Number,
    nullable: true,
    description:
      "The offer the code counts for (unique among its advertiser's codes); absent or null: network-wide, for the posting advertiser's only offer the affiliate may run (unique among network-wide codes)",
  })
  @OptionalNullable()
  @IsInt()
  @Min(1)
  offerId?: number | null;
}

export class CreateCouponCodeDto extends CouponScopeDto implements CouponCodeInput {
  @ApiProperty({ example: 'SAVE10', maxLength: COUPON_CODE_MAX, description: CODE_RULE })
  @IsString()
  code!: string;
}

export class CreateCouponCodesDto extends CouponScopeDto implements CouponCodeBatchInput {
  @ApiProperty({
    type: [String],
    minItems: 1,
    maxItems: COUPON_CODE_BATCH_MAX,
    example: ['SAVE10', 'SAVE20'],
    description: `${CODE_RULE}. All or nothing: a refused code (400) or a taken or repeated one (409) is named as codes[i], and nothing is created`,
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(COUPON_CODE_BATCH_MAX)
  @IsString({ each: true })
  codes!: string[];
}

export class CouponCodeListQueryDto extends PageQueryDto {
  @IdFilter('Codes of this offer (an advertiser key: its own offers only)') offer_id?: number;
  @IdFilter('Codes of this affiliate (an affiliate key: itself only)') affiliate_id?: number;

  @ApiPropertyOptional({ example: 'save10', description: 'This code, matched regardless of case' })
  @Optional()
  @IsString()
  code?: string;
}

export class CouponCodeResponse implements CouponCodeView {
  @ApiProperty() id!: number;
  @ApiProperty({ example: 'SAVE10', description: 'As entered (trimmed)' }) code!: string;
  @ApiProperty() affiliateId!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'null: network-wide' }) offerId!: number | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}
