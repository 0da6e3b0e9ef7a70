import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PayoutOverrideView } from '../../payout-overrides/payout-override.view';
import { PayoutOverrideInput } from '../../payout-overrides/payout-overrides.service';
import { OptionalNullable } from '../../validation/presence';
import { Type } from 'class-transformer';
import { IsInt, Min, ValidateNested } from 'class-validator';
import { MoneyRuleDto } from '../money-rule.dto';
import { IdFilter, PageQueryDto } from '../queries';
import { MoneyRuleResponse } from '../responses';

export class UpdatePayoutOverrideDto {
  @ApiProperty({ type: MoneyRuleDto })
  @ValidateNested()
  @Type(() => MoneyRuleDto)
  payout!: MoneyRuleDto;
}

export class CreatePayoutOverrideDto extends UpdatePayoutOverrideDto implements PayoutOverrideInput {
  @ApiProperty()
  @IsInt()
  @Min(1)
  offerId!: number;

  @ApiProperty()
  @IsInt()
  @Min(1)
  affiliateId!: number;

  @ApiPropertyOptional({ type: Number, nullable: true, description: 'A goal of the offer; absent or null: every goal without its own override' })
  @OptionalNullable()
  @IsInt()
  @Min(1)
  goalId?: number | null;
}

export class PayoutOverrideListQueryDto extends PageQueryDto {
  @IdFilter() offer_id?: number;
  @IdFilter() affiliate_id?: number;
}

export class PayoutOverrideResponse implements PayoutOverrideView {
  @ApiProperty() id!: number;
  @ApiProperty() offerId!: number;
  @ApiProperty() affiliateId!: number;
  @ApiProperty({ type: Number, nullable: true }) goalId!: number | null;
  @ApiProperty({ type: MoneyRuleResponse }) payout!: MoneyRuleResponse;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
