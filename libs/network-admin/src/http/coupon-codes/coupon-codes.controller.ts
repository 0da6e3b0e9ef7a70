import { Body, Controller, Delete, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Roles } from '@tracklane/api-auth';
import { Principal } from '@tracklane/api-keys';
import { COUPON_CODE_BATCH_MAX, CouponCodesService } from '../../coupon-codes/coupon-codes.service';
import { IdParam } from '../id-param';
import { PageOf, RemovalResponse } from '../responses';
import { CouponCodeListQueryDto, CouponCodeResponse, CreateCouponCodeDto, CreateCouponCodesDto } from './coupon-code.dto';

@ApiTags('coupon codes')
@Controller('v1/coupon-codes')
export class CouponCodesController {
  constructor(private readonly codes: CouponCodesService) {}

  @Get()
  @Roles('admin', 'advertiser', 'affiliate')
  @ApiOperation({ summary: 'List promo codes: all (admin), those of its offers (advertiser, not network-wide ones), its own (affiliate)' })
  @ApiOkResponse({ type: PageOf(CouponCodeResponse) })
  list(@Caller() caller: Principal, @Query() query: CouponCodeListQueryDto) {
    return this.codes.list(caller, { limit: query.limit, after: query.after, offerId: query.offer_id, affiliateId: query.affiliate_id, code: query.code });
  }

  @Post()
  @ApiOperation({
    summary: 'Give an affiliate a promo code, on one offer or network-wide',
    description: 'A postback carrying the code is attributed to the affiliate (see the offer’s couponPrecedence). No change: delete and create',
  })
  @ApiCreatedResponse({ type: CouponCodeResponse })
  create(@Caller() caller: Principal, @Body() body: CreateCouponCodeDto) {
    return this.codes.create(caller, body);
  }

  @Post('bulk')
  @ApiOperation({ summary: `Give an affiliate up to ${COUPON_CODE_BATCH_MAX} promo codes at once, all or nothing` })
  @ApiCreatedResponse({ type: [CouponCodeResponse] })
  createBatch(@Caller() caller: Principal, @Body() body: CreateCouponCodesDto) {
    return this.codes.createBatch(caller, body);
  }

  @Get(':couponId')
  @Roles('admin', 'advertiser', 'affiliate')
  @ApiOkResponse({ type: CouponCodeResponse })
  get(@Caller() caller: Principal, @IdParam('couponId') id: number) {
    return this.codes.get(caller, id);
  }

  @Delete(':couponId')
  @ApiOkResponse({ type: RemovalResponse })
  remove(@Caller() caller: Principal, @IdParam('couponId') id: number) {
    return this.codes.remove(caller, id);
  }
}
