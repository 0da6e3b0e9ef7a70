import { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { MoneyRule, MoneyRuleType } from '@tracklane/catalog';
import { Removal } from '../changes/removal';

const RULE_TYPES: MoneyRuleType[] = ['fixed', 'percent', 'fixed_plus_percent'];

export class MoneyRuleResponse implements MoneyRule {
  @ApiProperty({ enum: RULE_TYPES }) type!: MoneyRuleType;
  @ApiProperty({ example: '2.5000', description: 'Fixed part, decimal string with 4 places' }) amount!: string;
  @ApiProperty({ example: '0.0000', description: 'Percentage of the sale amount (7.5 means 7.5 %)' }) percent!: string;
}

export class RemovalResponse implements Removal {
  @ApiProperty({ oneOf: [{ type: 'integer' }, { type: 'string' }], example: 12 }) id!: number | string;
  @ApiProperty({ enum: ['deleted', 'archived'], description: 'Objects with history are archived, not deleted' })
  outcome!: 'deleted' | 'archived';
  @ApiProperty({ type: String, nullable: true, example: 'it has conversions' }) reason!: string | null;
}

/** The response class of a page of items (one per item type, so each has its own schema name). */
export function PageOf<T>(item: Type<T>): Type<{ data: T[]; nextCursor: string | null }> {
  class Page {
    @ApiProperty({ type: [item] }) data!: T[];
    @ApiProperty({ type: String, nullable: true, description: 'Pass as "after" for the next page; null on the last page' })
    nextCursor!: string | null;
  }
  Object.defineProperty(Page, 'name', { value: `${item.name.replace(/Response$/, '')}Page` });
  return Page;
}
