import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Roles } from '@tracklane/api-auth';
import { Principal } from '@tracklane/api-keys';
import { ConversionsService } from '../../conversions/conversions.service';
import { PageOf } from '../responses';
import { ConversionListQueryDto, ConversionResponse } from './conversion.dto';

@ApiTags('conversions')
@Roles('admin', 'advertiser', 'affiliate')
@Controller('v1/conversions')
export class ConversionsController {
  constructor(private readonly conversions: ConversionsService) {}

  @Get()
  @ApiOperation({ summary: "Conversions, newest first; each key sees its own advertiser's or affiliate's only" })
  @ApiOkResponse({ type: PageOf(ConversionResponse) })
  list(@Caller() caller: Principal, @Query() query: ConversionListQueryDto) {
    return this.conversions.list(caller, {
      limit: query.limit,
      after: query.after,
      offerId: query.offer_id,
      affiliateId: query.affiliate_id,
      from: query.from,
      to: query.to,
    });
  }

  @Get(':conversionId')
  @ApiOkResponse({ type: ConversionResponse })
  get(@Caller() caller: Principal, @Param('conversionId') conversionId: string) {
    return this.conversions.get(caller, conversionId);
  }
}
