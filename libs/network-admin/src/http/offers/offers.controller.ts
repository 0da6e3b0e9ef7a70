import { Body, Controller, Delete, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Roles } from '@tracklane/api-auth';
import { Principal } from '@tracklane/api-keys';
import { OffersService } from '../../offers/offers.service';
import { IdParam } from '../id-param';
import { PageOf, RemovalResponse } from '../responses';
import { CreateOfferDto, OfferListQueryDto, OfferResponse, UpdateOfferDto } from './offer.dto';

@ApiTags('offers')
@Controller('v1/offers')
export class OffersController {
  constructor(private readonly offers: OffersService) {}

  @Get()
  @Roles('admin', 'advertiser', 'affiliate')
  @ApiOperation({
    summary: 'List offers: all (admin), its own (advertiser), the ones it may run (affiliate)',
    description: '?missing_click_id=true lists the offers whose destination URL cannot hand the click id to the advertiser.',
  })
  @ApiOkResponse({ type: PageOf(OfferResponse) })
  list(@Caller() caller: Principal, @Query() query: OfferListQueryDto) {
    return this.offers.list(caller, {
      limit: query.limit,
      after: query.after,
      status: query.status,
      advertiserId: query.advertiser_id,
      missingClickId: query.missing_click_id,
    });
  }

  @Post()
  @ApiCreatedResponse({ type: OfferResponse })
  create(@Caller() caller: Principal, @Body() body: CreateOfferDto) {
    return this.offers.create(caller, body);
  }

  @Get(':offerId')
  @Roles('admin', 'advertiser', 'affiliate')
  @ApiOkResponse({ type: OfferResponse })
  get(@Caller() caller: Principal, @IdParam('offerId') id: number) {
    return this.offers.get(caller, id);
  }

  @Patch(':offerId')
  @Roles('admin', 'advertiser')
  @ApiOperation({
    summary: 'Change an offer',
    description: 'Advertiser keys may change destinationUrl, fallbackUrl, status, expiresAt, dailyCap and monthlyCap of their own offers.',
  })
  @ApiOkResponse({ type: OfferResponse })
  update(@Caller() caller: Principal, @IdParam('offerId') id: number, @Body() body: UpdateOfferDto) {
    return this.offers.update(caller, id, body);
  }

  @Delete(':offerId')
  @ApiOperation({ summary: 'Delete an offer, or archive it when it has history' })
  @ApiOkResponse({ type: RemovalResponse })
  remove(@Caller() caller: Principal, @IdParam('offerId') id: number) {
    return this.offers.remove(caller, id);
  }
}
