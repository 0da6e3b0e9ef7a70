import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Caller, Roles } from '@tracklane/api-auth';
import { ApiKeyRole, Principal } from '@tracklane/api-keys';

class PrincipalResponse implements Principal {
  @ApiProperty() keyId!: number;
  @ApiProperty({ enum: ['admin', 'advertiser', 'affiliate'] }) role!: ApiKeyRole;
  @ApiProperty({ type: Number, nullable: true }) advertiserId!: number | null;
  @ApiProperty({ type: Number, nullable: true }) affiliateId!: number | null;
  @ApiProperty() readOnly!: boolean;
}

@ApiTags('api keys')
@Controller('v1/me')
export class MeController {
  @Get()
  @Roles('admin', 'advertiser', 'affiliate')
  @ApiOperation({ summary: 'Who the presented API key belongs to' })
  @ApiOkResponse({ type: PrincipalResponse })
  get(@Caller() caller: Principal): Principal {
    return caller;
  }
}
