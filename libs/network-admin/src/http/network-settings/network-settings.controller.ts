import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Caller } from '@tracklane/api-auth';
import { Principal } from '@tracklane/api-keys';
import { NetworkSettingsService } from '../../network-settings/network-settings.service';
import { NetworkSettingsResponse, UpdateNetworkSettingsDto } from './network-settings.dto';

@ApiTags('network settings')
@Controller('v1/network-settings')
export class NetworkSettingsController {
  constructor(private readonly settings: NetworkSettingsService) {}

  @Get()
  @ApiOkResponse({ type: NetworkSettingsResponse })
  get(@Caller() caller: Principal) {
    return this.settings.get(caller);
  }

  @Patch()
  @ApiOkResponse({ type: NetworkSettingsResponse })
  update(@Caller() caller: Principal, @Body() body: UpdateNetworkSettingsDto) {
    return this.settings.update(caller, body);
  }
}
