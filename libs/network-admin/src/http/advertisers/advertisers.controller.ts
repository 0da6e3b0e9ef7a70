import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller, Roles } from '@tracklane/api-auth';
import { Principal } from '@tracklane/api-keys';
import { AdvertisersService } from '../../advertisers/advertisers.service';
import { PostbackDryRunService } from '../../advertisers/postback-dry-run';
import { IdParam } from '../id-param';
import { PageOf, RemovalResponse } from '../responses';
import {
  AdvertiserListQueryDto,
  AdvertiserPostbackUrlResponse,
  AdvertiserResponse,
  CreateAdvertiserDto,
  CreatedAdvertiserResponse,
  SigningSecretResponse,
  UpdateAdvertiserDto,
} from './advertiser.dto';
import { PostbackDryRunDto, PostbackDryRunResponse } from './postback-dry-run.dto';

@ApiTags('advertisers')
@Controller('v1/advertisers')
export class AdvertisersController {
  constructor(
    private readonly advertisers: AdvertisersService,
    private readonly dryRun: PostbackDryRunService,
  ) {}

  @Get()
  @Roles('admin', 'advertiser')
  @ApiOperation({ summary: 'List advertisers (an advertiser key sees itself)' })
  @ApiOkResponse({ type: PageOf(AdvertiserResponse) })
  list(@Caller() caller: Principal, @Query() query: AdvertiserListQueryDto) {
    return this.advertisers.list(caller, query);
  }

  @Post()
  @ApiOperation({ summary: 'Create an advertiser; its postback token and signing secret are generated' })
  @ApiCreatedResponse({ type: CreatedAdvertiserResponse })
  create(@Caller() caller: Principal, @Body() body: CreateAdvertiserDto) {
    return this.advertisers.create(caller, body);
  }

  @Get(':advertiserId')
  @Roles('admin', 'advertiser')
  @ApiOkResponse({ type: AdvertiserResponse })
  get(@Caller() caller: Principal, @IdParam('advertiserId') id: number) {
    return this.advertisers.get(caller, id);
  }

  @Patch(':advertiserId')
  @Roles('admin', 'advertiser')
  @ApiOperation({ summary: 'Change an advertiser (an advertiser key: its postback settings only)' })
  @ApiOkResponse({ type: AdvertiserResponse })
  update(@Caller() caller: Principal, @IdParam('advertiserId') id: number, @Body() body: UpdateAdvertiserDto) {
    return this.advertisers.update(caller, id, body);
  }

  @Delete(':advertiserId')
  @ApiOperation({ summary: 'Delete an advertiser, or archive it (with its offers and keys) when it has history' })
  @ApiOkResponse({ type: RemovalResponse })
  remove(@Caller() caller: Principal, @IdParam('advertiserId') id: number) {
    return this.advertisers.remove(caller, id);
  }

  @Post(':advertiserId/postback-token')
  @HttpCode(200)
  @Roles('admin', 'advertiser')
  @ApiOperation({ summary: 'Replace the postback token; the old one stops working at once' })
  @ApiOkResponse({ type: AdvertiserResponse })
  rotateToken(@Caller() caller: Principal, @IdParam('advertiserId') id: number) {
    return this.advertisers.rotatePostbackToken(caller, id);
  }

  @Post(':advertiserId/signing-secret')
  @HttpCode(200)
  @Roles('admin', 'advertiser')
  @ApiOperation({ summary: 'Replace the signing secret and show the new one, once' })
  @ApiOkResponse({ type: SigningSecretResponse })
  rotateSigningSecret(@Caller() caller: Principal, @IdParam('advertiserId') id: number) {
    return this.advertisers.rotateSigningSecret(caller, id);
  }

  @Post(':advertiserId/postback-dry-run')
  @HttpCode(200)
  @Roles('admin', 'advertiser')
  @ApiOperation({
    summary: 'How a postback would be read and decided, without booking it',
    description:
      "Reads the URL (query) and/or body with postback-ingest's own code and the advertiser's partner mapping, and says what would be decided: accepted (a new conversion or a status change), a duplicate or replay of an earlier postback, or refused with the reason. Nothing is stored or published. The IP allowlist and signatures are not checked.",
  })
  @ApiOkResponse({ type: PostbackDryRunResponse })
  postbackDryRun(@Caller() caller: Principal, @IdParam('advertiserId') id: number, @Body() body: PostbackDryRunDto) {
    return this.dryRun.run(caller, id, body);
  }

  @Get(':advertiserId/postback-url')
  @Roles('admin', 'advertiser')
  @ApiOperation({ summary: "The postback URL template for the advertiser's server, with its token" })
  @ApiOkResponse({ type: AdvertiserPostbackUrlResponse })
  postbackUrl(@Caller() caller: Principal, @IdParam('advertiserId') id: number) {
    return this.advertisers.postbackUrl(caller, id);
  }
}
