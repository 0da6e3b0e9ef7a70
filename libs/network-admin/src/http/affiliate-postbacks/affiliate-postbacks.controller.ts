import { Body, Controller, Delete, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Roles } from '@tracklane/api-auth';
import { Principal } from '@tracklane/api-keys';
import { AffiliatePostbacksService } from '../../affiliate-postbacks/affiliate-postbacks.service';
import { IdParam } from '../id-param';
import { RemovalResponse } from '../responses';
import { AffiliatePostbackResponse, PutAffiliatePostbackDto } from './affiliate-postback.dto';

@ApiTags('affiliate postbacks')
@Roles('admin', 'affiliate')
@Controller('v1/affiliates/:affiliateId/postbacks')
export class AffiliatePostbacksController {
  constructor(private readonly postbacks: AffiliatePostbacksService) {}

  @Get()
  @ApiOperation({ summary: "An affiliate's per-offer postback URLs" })
  @ApiOkResponse({ type: [AffiliatePostbackResponse] })
  list(@Caller() caller: Principal, @IdParam('affiliateId') affiliateId: number) {
    return this.postbacks.list(caller, affiliateId);
  }

  @Get(':offerId')
  @ApiOkResponse({ type: AffiliatePostbackResponse })
  get(@Caller() caller: Principal, @IdParam('affiliateId') affiliateId: number, @IdParam('offerId') offerId: number) {
    return this.postbacks.get(caller, affiliateId, offerId);
  }

  @Put(':offerId')
  @ApiOperation({ summary: "Set the affiliate's postback URL for one offer (instead of its global one)" })
  @ApiOkResponse({ type: AffiliatePostbackResponse })
  put(
    @Caller() caller: Principal,
    @IdParam('affiliateId') affiliateId: number,
    @IdParam('offerId') offerId: number,
    @Body() body: PutAffiliatePostbackDto,
  ) {
    return this.postbacks.put(caller, affiliateId, offerId, body);
  }

  @Delete(':offerId')
  @ApiOkResponse({ type: RemovalResponse })
  remove(@Caller() caller: Principal, @IdParam('affiliateId') affiliateId: number, @IdParam('offerId') offerId: number) {
    return this.postbacks.remove(caller, affiliateId, offerId);
  }
}
