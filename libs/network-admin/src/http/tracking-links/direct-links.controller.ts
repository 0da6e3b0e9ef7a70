import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Roles } from '@tracklane/api-auth';
import { Principal } from '@tracklane/api-keys';
import { TrackingLinksService } from '../../tracking-links/tracking-links.service';
import { IdParam } from '../id-param';
import { DirectLinkResponse } from './tracking-link.dto';

@ApiTags('tracking links')
@Controller('v1/offers/:offerId/direct-link')
export class DirectLinksController {
  constructor(private readonly links: TrackingLinksService) {}

  @Get()
  @Roles('admin', 'advertiser')
  @ApiOperation({ summary: "The script an offer's advertiser puts on its landing page, so that affiliates may link to that page directly" })
  @ApiOkResponse({ type: DirectLinkResponse })
  get(@Caller() caller: Principal, @IdParam('offerId') offerId: number) {
    return this.links.directLinkForOffer(caller, offerId);
  }
}
