import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Roles } from '@tracklane/api-auth';
import { Principal } from '@tracklane/api-keys';
import { invalid } from '../../access';
import { ErasuresService } from '../../erasures/erasures.service';
import { EraseVisitorDataDto, ErasureResponse } from './erasure.dto';

@ApiTags('privacy')
@Roles('admin')
@Controller('v1/erasures')
export class ErasuresController {
  constructor(private readonly erasures: ErasuresService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Erases a visitor's IP, user agent, referrer and extra parameters from their clicks (by click id, by an advertiser's order id, " +
      "or by an affiliate's sub id or aff_click_id for the visitor), " +
      "the parameters of the postbacks that named them and their conversions' raw parameters; ids, sub ids and money stay. " +
      'Kafka keeps its events until their retention ends. Audited',
  })
  @ApiOkResponse({ type: ErasureResponse })
  erase(@Caller() caller: Principal, @Body() body: EraseVisitorDataDto) {
    const named = [body.clickId !== undefined, body.orderId !== undefined || body.advertiserId !== undefined, body.subId !== undefined || body.affiliateId !== undefined];
    if (named.filter(Boolean).length !== 1) {
      throw invalid('clickId', 'name exactly one of: clickId; advertiserId and orderId; affiliateId and subId');
    }
    if (body.clickId !== undefined) return this.erasures.erase(caller, { clickId: body.clickId });
    if (body.orderId !== undefined) return this.erasures.erase(caller, { advertiserId: body.advertiserId as number, orderId: body.orderId });
    return this.erasures.erase(caller, { affiliateId: body.affiliateId as number, subId: body.subId as string });
  }
}
