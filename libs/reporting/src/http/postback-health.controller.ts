import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { Caller, Roles } from '@tracklane/api-auth';
import { Principal } from '@tracklane/api-keys';
import { Pool } from 'pg';

export interface PostbackHealthRow {
  affiliate_id: number;
  affiliate_name: string | null;
  state: 'active' | 'paused';
  consecutive_failures: number;
  pauses: number;
  paused_at: string | null;
  paused_until: string | null;
  last_error: string | null;
  updated_at: string;
}

/** More affiliates than this failing at once is an outage, not a list to read. */
const MAX_ROWS = 1000;

@ApiTags('operations')
@Controller('v1/postback-health')
@Roles('admin', 'affiliate')
export class PostbackHealthController {
  constructor(private readonly pool: Pool) {}

  @Get()
  @ApiSecurity('api_key_header')
  @ApiSecurity('bearer')
  @ApiOperation({
    summary: 'Affiliates whose postback endpoint is failing or paused',
    description:
      'postback-dispatch pauses an affiliate whose endpoint keeps failing, then probes it with one postback when the pause ends (success resumes it, failure pauses it again for longer); its other postbacks wait, none is dropped. Paused first, then by the last change. Admin keys see every affiliate; an affiliate key its own.',
  })
  @ApiOkResponse({
    schema: {
      type: 'object',
      required: ['rows'],
      properties: {
        rows: {
          type: 'array',
          items: {
            type: 'object',
            required: ['affiliate_id', 'affiliate_name', 'state', 'consecutive_failures', 'pauses', 'paused_at', 'paused_until', 'last_error', 'updated_at'],
            properties: {
              affiliate_id: { type: 'integer' },
              affiliate_name: { type: 'string', nullable: true },
              state: { type: 'string', enum: ['active', 'paused'] },
              consecutive_failures: { type: 'integer' },
              pauses: { type: 'integer', description: 'Pauses in a row; each lengthens the next' },
              paused_at: { type: 'string', format: 'date-time', nullable: true },
              paused_until: { type: 'string', format: 'date-time', nullable: true, description: 'When the next probe may go' },
              last_error: { type: 'string', nullable: true, description: 'The last failure, by class (no secrets)' },
              updated_at: { type: 'string', format: 'date-time' },
            },
          },
        },
      },
    },
  })
  async health(@Caller() caller: Principal): Promise<{ rows: PostbackHealthRow[] }> {
    // An affiliate key always names its affiliate; -1 matches nothing should one ever not.
    const own = caller.role === 'affiliate' ? (caller.affiliateId ?? -1) : null;
    const { rows } = await this.pool.query<PostbackHealthRow>(
      `SELECT h.affiliate_id, a.name AS affiliate_name, h.state, h.consecutive_failures, h.pauses,
              to_char(h.paused_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS paused_at,
              to_char(h.paused_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS paused_until,
              h.last_error,
              to_char(h.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at
         FROM postback_affiliate_health h
         LEFT JOIN affiliates a ON a.id = h.affiliate_id
        WHERE (h.state = 'paused' OR h.consecutive_failures > 0)
          AND ($1::int IS NULL OR h.affiliate_id = $1)
        ORDER BY h.state = 'paused' DESC, h.updated_at DESC
        LIMIT ${MAX_ROWS}`,
      [own],
    );
    return { rows };
  }
}
