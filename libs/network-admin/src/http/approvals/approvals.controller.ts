import { Body, Controller, Delete, Get, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Roles } from '@tracklane/api-auth';
import { Principal } from '@tracklane/api-keys';
import { ApprovalsService } from '../../approvals/approvals.service';
import { IdParam } from '../id-param';
import { PageOf, RemovalResponse } from '../responses';
import { ApprovalListQueryDto, ApprovalResponse, PutApprovalDto } from './approval.dto';

@ApiTags('approvals')
@Controller('v1/approvals')
export class ApprovalsController {
  constructor(private readonly approvals: ApprovalsService) {}

  @Get()
  @Roles('admin', 'affiliate')
  @ApiOperation({ summary: 'Offer × affiliate approvals (an affiliate key sees its own)' })
  @ApiOkResponse({ type: PageOf(ApprovalResponse) })
  list(@Caller() caller: Principal, @Query() query: ApprovalListQueryDto) {
    return this.approvals.list(caller, {
      limit: query.limit,
      after: query.after,
      offerId: query.offer_id,
      affiliateId: query.affiliate_id,
      status: query.status,
    });
  }

  @Get(':offerId/:affiliateId')
  @Roles('admin', 'affiliate')
  @ApiOkResponse({ type: ApprovalResponse })
  get(@Caller() caller: Principal, @IdParam('offerId') offerId: number, @IdParam('affiliateId') affiliateId: number) {
    return this.approvals.get(caller, offerId, affiliateId);
  }

  @Put(':offerId/:affiliateId')
  @ApiOperation({ summary: "Set an affiliate's standing and caps on an offer" })
  @ApiOkResponse({ type: ApprovalResponse })
  put(
    @Caller() caller: Principal,
    @IdParam('offerId') offerId: number,
    @IdParam('affiliateId') affiliateId: number,
    @Body() body: PutApprovalDto,
  ) {
    return this.approvals.put(caller, offerId, affiliateId, body);
  }

  @Delete(':offerId/:affiliateId')
  @ApiOkResponse({ type: RemovalResponse })
  remove(@Caller() caller: Principal, @IdParam('offerId') offerId: number, @IdParam('affiliateId') affiliateId: number) {
    return this.approvals.remove(caller, offerId, affiliateId);
  }
}
