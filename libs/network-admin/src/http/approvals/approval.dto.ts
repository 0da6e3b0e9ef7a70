import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ApprovalStatus, ApprovalView } from '../../approvals/approval.view';
import { ApprovalInput } from '../../approvals/approvals.service';
import { Optional, OptionalNullable } from '../../validation/presence';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { IdFilter, PageQueryDto } from '../queries';

const STATUSES = ['approved', 'pending', 'rejected', 'blocked'] as const;
const MAX_CAP = 2_147_483_647;

export class PutApprovalDto implements ApprovalInput {
  @ApiProperty({ enum: STATUSES, description: 'approved: may run the offer; blocked/rejected: may not, even a public one' })
  @IsIn(STATUSES)
  status!: ApprovalStatus;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0, description: "This affiliate's daily cap; absent or null: the offer's default" })
  @OptionalNullable()
  @IsInt()
  @Min(0)
  @Max(MAX_CAP)
  dailyCap?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0 })
  @OptionalNullable()
  @IsInt()
  @Min(0)
  @Max(MAX_CAP)
  monthlyCap?: number | null;
}

export class ApprovalListQueryDto extends PageQueryDto {
  @IdFilter() offer_id?: number;
  @IdFilter() affiliate_id?: number;

  @ApiPropertyOptional({ enum: STATUSES })
  @Optional()
  @IsIn(STATUSES)
  status?: ApprovalStatus;
}

export class ApprovalResponse implements ApprovalView {
  @ApiProperty() offerId!: number;
  @ApiProperty() affiliateId!: number;
  @ApiProperty({ enum: STATUSES }) status!: ApprovalStatus;
  @ApiProperty({ type: Number, nullable: true }) dailyCap!: number | null;
  @ApiProperty({ type: Number, nullable: true }) monthlyCap!: number | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
