import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Roles } from '@tracklane/api-auth';
import { Principal } from '@tracklane/api-keys';
import { AffiliatesService } from '../../affiliates/affiliates.service';
import { IdParam } from '../id-param';
import { PageOf, RemovalResponse } from '../responses';
import {
  AffiliateListQueryDto,
  AffiliateResponse,
  CreateAffiliateDto,
  CreatedAffiliateResponse,
  PostbackSecretResponse,
  UpdateAffiliateDto,
} from './affiliate.dto';

@ApiTags('affiliates')
@Controller('v1/affiliates')
export class AffiliatesController {
  constructor(private readonly affiliates: AffiliatesService) {}

  @Get()
  @Roles('admin', 'affiliate')
  @ApiOperation({ summary: 'List affiliates (an affiliate key sees itself)' })
  @ApiOkResponse({ type: PageOf(AffiliateResponse) })
  list(@Caller() caller: Principal, @Query() query: AffiliateListQueryDto) {
    return this.affiliates.list(caller, query);
  }

  @Post()
  @ApiOperation({ summary: 'Create an affiliate; its postback secret is generated' })
  @ApiCreatedResponse({ type: CreatedAffiliateResponse })
  create(@Caller() caller: Principal, @Body() body: CreateAffiliateDto) {
    return this.affiliates.create(caller, body);
  }

  @Get(':affiliateId')
  @Roles('admin', 'affiliate')
  @ApiOkResponse({ type: AffiliateResponse })
  get(@Caller() caller: Principal, @IdParam('affiliateId') id: number) {
    return this.affiliates.get(caller, id);
  }

  @Patch(':affiliateId')
  @Roles('admin', 'affiliate')
  @ApiOperation({ summary: 'Change an affiliate (an affiliate key: its postback settings only)' })
  @ApiOkResponse({ type: AffiliateResponse })
  update(@Caller() caller: Principal, @IdParam('affiliateId') id: number, @Body() body: UpdateAffiliateDto) {
    return this.affiliates.update(caller, id, body);
  }

  @Delete(':affiliateId')
  @ApiOperation({ summary: 'Delete an affiliate, or archive it (and revoke its keys) when it has history' })
  @ApiOkResponse({ type: RemovalResponse })
  remove(@Caller() caller: Principal, @IdParam('affiliateId') id: number) {
    return this.affiliates.remove(caller, id);
  }

  @Post(':affiliateId/postback-secret')
  @HttpCode(200)
  @Roles('admin', 'affiliate')
  @ApiOperation({ summary: 'Replace the postback signing secret and show the new one, once' })
  @ApiOkResponse({ type: PostbackSecretResponse })
  rotatePostbackSecret(@Caller() caller: Principal, @IdParam('affiliateId') id: number) {
    return this.affiliates.rotatePostbackSecret(caller, id);
  }
}
