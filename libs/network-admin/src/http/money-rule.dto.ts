import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MoneyRuleType } from '@tracklane/catalog';
import { MoneyRuleInput } from '../goals/money-rule';
import { IsMoney, IsPercent } from '../validation/money';
import { Optional } from '../validation/presence';
import { IsIn } from 'class-validator';

const RULE_TYPES: MoneyRuleType[] = ['fixed', 'percent', 'fixed_plus_percent'];

/** A revenue or payout rule. Money is a decimal string: a JSON number is refused, it cannot be exact. */
export class MoneyRuleDto implements MoneyRuleInput {
  @ApiProperty({ enum: RULE_TYPES, description: 'fixed amount, percentage of the sale amount, or both' })
  @IsIn(RULE_TYPES)
  type!: MoneyRuleType;

  @ApiPropertyOptional({ example: '2.50', description: 'Fixed part: decimal string, at most 4 places; 0 or absent for type percent' })
  @Optional()
  @IsMoney()
  amount?: string;

  @ApiPropertyOptional({ example: '7.5', description: 'Percentage of the sale amount (0–100, at most 4 places); 0 or absent for type fixed' })
  @Optional()
  @IsPercent()
  percent?: string;
}
