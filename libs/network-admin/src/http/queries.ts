import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { MAX_PAGE_SIZE } from '../lists/page';
import { Optional } from '../validation/presence';

/** limit and after, shared by every list. */
export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 100 })
  @Optional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @Optional()
  @IsString()
  @MaxLength(64)
  after?: string;
}

/** An optional numeric id filter from the query string. */
export function IdFilter(description?: string): PropertyDecorator {
  return (target, property) => {
    ApiPropertyOptional({ type: 'integer', minimum: 1, description })(target, property);
    Optional()(target, property);
    Type(() => Number)(target, property);
    IsInt({ message: `${String(property)} must be an integer id` })(target, property);
    Min(1, { message: `${String(property)} must be an integer id` })(target, property);
  };
}

/** "true" or "false" in a query string. */
export function BooleanFlag(): PropertyDecorator {
  return (target, property) => {
    ApiPropertyOptional({ type: Boolean, default: false })(target, property);
    Optional()(target, property);
    Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))(target, property);
    IsBoolean({ message: `${String(property)} must be true or false` })(target, property);
  };
}
