import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { GoalView } from '../../goals/goal.view';
import { GoalInput, GoalPatch } from '../../goals/goals.service';
import { Optional } from '../../validation/presence';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { MoneyRuleDto } from '../money-rule.dto';
import { MoneyRuleResponse } from '../responses';

const CODE = /^(?=.*[A-Za-z])[A-Za-z0-9_.-]{1,64}$/;
const CODE_RULE = 'code must be 1 to 64 letters, digits, "_", "." or "-" with at least one letter (a bare number would read as a goal id)';
const DEFAULT_STATUSES = ['approved', 'pending'] as const;

class GoalSettingsDto {
  @ApiPropertyOptional({ description: "Postbacks that name no goal count for the offer's default goal; the first goal becomes it unless told otherwise" })
  @Optional()
  @IsBoolean()
  isDefault?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Whether one click may convert on this goal more than once (e.g. repeat purchases)' })
  @Optional()
  @IsBoolean()
  allowMultiple?: boolean;

  @ApiPropertyOptional({ type: MoneyRuleDto, description: 'What the advertiser owes per conversion (replaced as a whole)' })
  @Optional()
  @ValidateNested()
  @Type(() => MoneyRuleDto)
  revenue?: MoneyRuleDto;

  @ApiPropertyOptional({ type: MoneyRuleDto, description: 'What the affiliate earns per conversion (replaced as a whole)' })
  @Optional()
  @ValidateNested()
  @Type(() => MoneyRuleDto)
  payout?: MoneyRuleDto;

  @ApiPropertyOptional({ enum: DEFAULT_STATUSES, default: 'approved', description: 'Status when the postback does not say' })
  @Optional()
  @IsIn(DEFAULT_STATUSES)
  defaultStatus?: 'approved' | 'pending';
}

export class CreateGoalDto extends GoalSettingsDto implements GoalInput {
  @ApiProperty({ example: 'sale', description: 'What postbacks send as goal=…; unique per offer, ignoring case' })
  @Matches(CODE, { message: CODE_RULE })
  code!: string;

  @ApiProperty({ example: 'Sale', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;
}

export class UpdateGoalDto extends GoalSettingsDto implements GoalPatch {
  @ApiPropertyOptional({ description: 'Changing it breaks postbacks that send the old code' })
  @Optional()
  @Matches(CODE, { message: CODE_RULE })
  code?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  @Optional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ enum: ['active'], description: 'Restores an archived goal' })
  @Optional()
  @IsIn(['active'])
  status?: 'active';
}

export class GoalResponse implements GoalView {
  @ApiProperty() id!: number;
  @ApiProperty() offerId!: number;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty() isDefault!: boolean;
  @ApiProperty() allowMultiple!: boolean;
  @ApiPropertyOptional({ type: MoneyRuleResponse, description: 'Not shown to affiliates' }) revenue?: MoneyRuleResponse;
  @ApiPropertyOptional({
    type: MoneyRuleResponse,
    description: "For an affiliate: its own payout, overrides applied. Shown to advertisers only if the network allows it",
  })
  payout?: MoneyRuleResponse;
  @ApiProperty({ enum: DEFAULT_STATUSES }) defaultStatus!: 'approved' | 'pending';
  @ApiProperty({ enum: ['active', 'archived'] }) status!: 'active' | 'archived';
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) archivedAt!: string | null;
}
