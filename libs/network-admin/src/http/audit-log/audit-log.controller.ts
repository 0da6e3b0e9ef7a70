import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Caller } from '@tracklane/api-auth';
import { Principal } from '@tracklane/api-keys';
import { AuditLogService } from '../../audit-log/audit-log.service';
import { PageOf } from '../responses';
import { AuditEntryResponse, AuditLogQueryDto } from './audit-log.dto';

@ApiTags('audit log')
@Controller('v1/audit-log')
export class AuditLogController {
  constructor(private readonly auditLog: AuditLogService) {}

  @Get()
  @ApiOperation({ summary: 'Who changed what, newest first' })
  @ApiOkResponse({ type: PageOf(AuditEntryResponse) })
  list(@Caller() caller: Principal, @Query() query: AuditLogQueryDto) {
    return this.auditLog.list(caller, {
      limit: query.limit,
      after: query.after,
      entity: query.entity,
      entityId: query.entity_id,
      actorKeyId: query.actor_key_id,
    });
  }
}
