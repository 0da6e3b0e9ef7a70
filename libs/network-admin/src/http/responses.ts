import { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MoneyRule, MoneyRuleType } from '@tracklane/catalog';
import { Removal } from '@tracklane/network-admin';

const RULE_TYPES: MoneyRuleType[] = ['fixed', 'percent', 'fixed_plus_percent'];

export class FieldProblemResponse {
  @ApiProperty({ example: 'destinationUrl' }) field!: string;
  @ApiProperty({ example: 'uses the unknown macro {clickid}' }) reason!: string;
}

export class ErrorResponse {
  @ApiProperty({ example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request' }) error!: string;
  @ApiProperty({ example: 'destinationUrl uses the unknown macro {clickid}' }) message!: string;
  @ApiPropertyOptional({ type: [FieldProblemResponse], description: 'Each field that was refused, for 400 and 409' })
  errors?: FieldProblemResponse[];
  @ApiPropertyOptional({ enum: ['missing', 'malformed', 'unknown', 'revoked'], description: 'Why the API key was refused (401)' })
  reason?: string;
}

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
