import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '@tracklane/api-auth';
import { partnerPresets } from '../../advertisers/postback-url';
import { PartnerPresetResponse } from './advertiser.dto';

@ApiTags('advertisers')
@Controller('v1/partner-presets')
export class PartnerPresetsController {
  @Get()
  @Roles('admin', 'advertiser')
  @ApiOperation({
    summary: 'The partner formats an advertiser’s mapping may name',
    description: 'Each is chosen with paramMapping {"preset": name} (and overridden field by field); the postback URL answer then gives the call in that format.',
  })
  @ApiOkResponse({ type: [PartnerPresetResponse] })
  list(): PartnerPresetResponse[] {
    return partnerPresets();
  }
}
