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
      "Erases a visitor's IP, user agent, referrer and extra parameters from their clicks (by click id, or by an advertiser's order id), " +
      "the parameters of the postbacks that named them and their conversions' raw parameters; ids, sub ids and money stay. " +
      'Kafka keeps its events until their retention ends. Audited',
  })
  @ApiOkResponse({ type: ErasureResponse })
  erase(@Caller() caller: Principal, @Body() body: EraseVisitorDataDto) {
    if (body.clickId !== undefined && (body.advertiserId !== undefined || body.orderId !== undefined)) {
      throw invalid('clickId', 'name either clickId, or advertiserId and orderId, not both');
    }
    return body.clickId !== undefined
      ? this.erasures.erase(caller, { clickId: body.clickId })
      : this.erasures.erase(caller, { advertiserId: body.advertiserId as number, orderId: body.orderId as string });
  }
}
