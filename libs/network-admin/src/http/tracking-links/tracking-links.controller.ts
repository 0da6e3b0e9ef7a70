import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Roles } from '@tracklane/api-auth';
import { Principal } from '@tracklane/api-keys';
import { TrackingLinksService } from '../../tracking-links/tracking-links.service';
import { IdParam } from '../id-param';
import { TrackingLinkQueryDto, TrackingLinkResponse } from './tracking-link.dto';

@ApiTags('tracking links')
@Controller('v1/offers/:offerId/tracking-link')
export class TrackingLinksController {
  constructor(private readonly links: TrackingLinksService) {}

  @Get()
  @Roles('admin', 'affiliate')
  @ApiOperation({ summary: "An affiliate's tracking link for an offer, with its sub-id placeholders" })
  @ApiOkResponse({ type: TrackingLinkResponse })
  get(@Caller() caller: Principal, @IdParam('offerId') offerId: number, @Query() query: TrackingLinkQueryDto) {
    const { affiliate_id, ...values } = query;
    const given = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
    return this.links.forOffer(caller, offerId, affiliate_id, given);
  }
}
