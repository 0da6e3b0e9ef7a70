import { Body, Controller, Delete, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@tracklane/api-auth';
import { Principal } from '@tracklane/api-keys';
import { PayoutOverridesService } from '../../payout-overrides/payout-overrides.service';
import { IdParam } from '../id-param';
import { PageOf, RemovalResponse } from '../responses';
import { CreatePayoutOverrideDto, PayoutOverrideListQueryDto, PayoutOverrideResponse, UpdatePayoutOverrideDto } from './payout-override.dto';

@ApiTags('payout overrides')
@Controller('v1/payout-overrides')
export class PayoutOverridesController {
  constructor(private readonly overrides: PayoutOverridesService) {}

  @Get()
  @ApiOkResponse({ type: PageOf(PayoutOverrideResponse) })
  list(@Caller() caller: Principal, @Query() query: PayoutOverrideListQueryDto) {
    return this.overrides.list(caller, { limit: query.limit, after: query.after, offerId: query.offer_id, affiliateId: query.affiliate_id });
  }

  @Post()
  @ApiOperation({ summary: 'Pay one affiliate differently on an offer (one goal, or all of them)' })
  @ApiCreatedResponse({ type: PayoutOverrideResponse })
  create(@Caller() caller: Principal, @Body() body: CreatePayoutOverrideDto) {
    return this.overrides.create(caller, body);
  }

  @Get(':overrideId')
  @ApiOkResponse({ type: PayoutOverrideResponse })
  get(@Caller() caller: Principal, @IdParam('overrideId') id: number) {
    return this.overrides.get(caller, id);
  }

  @Patch(':overrideId')
  @ApiOkResponse({ type: PayoutOverrideResponse })
  update(@Caller() caller: Principal, @IdParam('overrideId') id: number, @Body() body: UpdatePayoutOverrideDto) {
    return this.overrides.update(caller, id, body);
  }

  @Delete(':overrideId')
  @ApiOkResponse({ type: RemovalResponse })
  remove(@Caller() caller: Principal, @IdParam('overrideId') id: number) {
    return this.overrides.remove(caller, id);
  }
}
