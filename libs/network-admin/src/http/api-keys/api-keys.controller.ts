import { Body, Controller, Delete, Get, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Roles } from '@tracklane/api-auth';
import { Principal } from '@tracklane/api-keys';
import { ApiKeysService } from '../../api-keys/api-keys.service';
import { IdParam } from '../id-param';
import { PageOf } from '../responses';
import { ApiKeyListQueryDto, ApiKeyResponse, CreateApiKeyDto, IssuedApiKeyResponse } from './api-key.dto';

@ApiTags('api keys')
@Roles('admin', 'advertiser', 'affiliate')
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  @Get()
  @ApiOperation({ summary: 'API keys: all (admin) or those of the caller’s own advertiser or affiliate' })
  @ApiOkResponse({ type: PageOf(ApiKeyResponse) })
  list(@Caller() caller: Principal, @Query() query: ApiKeyListQueryDto) {
    return this.keys.list(caller, {
      limit: query.limit,
      after: query.after,
      role: query.role,
      advertiserId: query.advertiser_id,
      affiliateId: query.affiliate_id,
      includeRevoked: query.include_revoked,
    });
  }

  @Post()
  @ApiOperation({ summary: 'Issue a key. The key is in this response only; store it now' })
  @ApiCreatedResponse({ type: IssuedApiKeyResponse })
  create(@Caller() caller: Principal, @Body() body: CreateApiKeyDto) {
    return this.keys.create(caller, body);
  }

  @Get(':keyId')
  @ApiOkResponse({ type: ApiKeyResponse })
  get(@Caller() caller: Principal, @IdParam('keyId') id: number) {
    return this.keys.get(caller, id);
  }

  @Delete(':keyId')
  @ApiOperation({ summary: 'Revoke a key: the next request made with it gets 401' })
  @ApiOkResponse({ type: ApiKeyResponse })
  revoke(@Caller() caller: Principal, @IdParam('keyId') id: number) {
    return this.keys.revoke(caller, id);
  }
}
