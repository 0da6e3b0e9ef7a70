import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AcceptsKeyInQuery, Caller, Roles } from '@tracklane/api-auth';
import { Principal } from '@tracklane/api-keys';
import { LOGGER, Logger } from '@tracklane/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TimeZones } from '../read-model/time-zones';
import { RawParameter } from '../query/filters';
import { LogReports, parseLogRequest } from '../query/log-reports';
import { CLICK_LOG, CONVERSION_LOG, INBOUND_POSTBACK_LOG, LogDefinition, POSTBACK_LOG } from '../query/logs';
import { REPORT_OPTIONS, ReportOptions } from '../query/report-options';
import { StatsReports } from '../query/stats-reports';
import { parseStatsRequest } from '../query/stats-request';
import { CallerVisibility } from './caller-visibility';
import { ReportResponses, STATS_SCHEMA, rowsSchema } from './openapi-responses';
import { ClickLogQuery, ConversionLogQuery, InboundPostbackLogQuery, PostbackLogQuery, StatsQuery } from './query-parameters';
import { responseFormat, sendCsv, sendJson } from './respond';

const LOG_PAGE = { defaultLimit: 100, maxLimit: 10_000 };
const EVERY_ROW = { defaultLimit: null, maxLimit: null };

const fileName = (report: string, params: Record<string, RawParameter>) => `${report}_${params.from}_${params.to}.csv`;

@ApiTags('reports')
@Controller('v1/reports')
@Roles('admin', 'advertiser', 'affiliate')
@AcceptsKeyInQuery()
export class ReportsController {
  constructor(
    private readonly stats: StatsReports,
    private readonly logs: LogReports,
    private readonly timeZones: TimeZones,
    private readonly visibility: CallerVisibility,
    @Inject(REPORT_OPTIONS) private readonly options: ReportOptions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  private readonly isKnownZone = (zone: string) => this.timeZones.isKnown(zone);

  @Get('stats')
  @ApiOperation({
    summary: 'Aggregated statistics',
    description:
      'Clicks, conversions and money grouped by time and dimensions, filtered, sorted and paged, with totals. Reads rollups, so long ranges stay fast; numbers are exact and only the key’s own.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ReportResponses('Statistics', STATS_SCHEMA)
  async statsReport(@Query() query: StatsQuery, @Caller() caller: Principal, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const params = query as unknown as Record<string, RawParameter>;
    const format = responseFormat(query.format, request.headers.accept);
    const paging = format === 'csv' ? EVERY_ROW : { defaultLimit: this.options.defaultPageRows, maxLimit: this.options.maxPageRows };
    const parsed = parseStatsRequest(params, await this.visibility.of(caller), this.isKnownZone, paging);
    await this.visibility.checkFilters(parsed.visibility, parsed.filters);
    if (format === 'json') return sendJson(reply, await this.stats.json(parsed));
    const { columns, cursor } = await this.stats.csv(parsed);
    sendCsv(reply, fileName('stats', params), columns, cursor, this.logger);
  }

  @Get('clicks')
  @ApiOperation({ summary: 'Click log', description: 'Every recorded click, newest first, with keyset pages.' })
  @ApiProduces('application/json', 'text/csv')
  @ReportResponses('Clicks', rowsSchema('One object per click.'))
  clickLog(@Query() query: ClickLogQuery, @Caller() caller: Principal, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.log(CLICK_LOG, query, caller, request, reply);
  }

  @Get('conversions')
  @ApiOperation({ summary: 'Conversion log', description: 'Every conversion in its current status, by conversion time, with keyset pages.' })
  @ApiProduces('application/json', 'text/csv')
  @ReportResponses('Conversions', rowsSchema('One object per conversion.'))
  conversionLog(@Query() query: ConversionLogQuery, @Caller() caller: Principal, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.log(CONVERSION_LOG, query, caller, request, reply);
  }

  @Get('postbacks')
  @ApiOperation({
    summary: 'Outbound postback log',
    description: 'Postbacks sent to affiliates: target (secrets masked), state, attempts, last answer. Admin and affiliate keys.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ReportResponses('Postback deliveries', rowsSchema('One object per delivery.'))
  postbackLog(@Query() query: PostbackLogQuery, @Caller() caller: Principal, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.log(POSTBACK_LOG, query, caller, request, reply);
  }

  @Get('inbound-postbacks')
  @Roles('admin', 'advertiser')
  @ApiOperation({
    summary: 'Inbound postback log',
    description:
      'Every postback received from advertisers, accepted or refused: parameters as received (secrets masked), the partner mapping applied, the fields read, and the outcome (accepted, duplicate, replay, with the conversion) or the refusal and its reason. Advertiser keys read their own; affiliate keys get 403. Kept for POSTBACK_LOG_RETENTION_DAYS.',
  })
  @ApiProduces('application/json', 'text/csv')
  @ReportResponses('Inbound postbacks', rowsSchema('One object per received postback.'))
  inboundPostbackLog(
    @Query() query: InboundPostbackLogQuery,
    @Caller() caller: Principal,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    return this.log(INBOUND_POSTBACK_LOG, query, caller, request, reply);
  }

  private async log(log: LogDefinition, query: { format?: string }, caller: Principal, request: FastifyRequest, reply: FastifyReply) {
    const params = query as unknown as Record<string, RawParameter>;
    const format = responseFormat(query.format, request.headers.accept);
    const parsed = parseLogRequest(log, params, await this.visibility.of(caller), this.isKnownZone, format === 'csv' ? EVERY_ROW : LOG_PAGE);
    await this.visibility.checkFilters(parsed.visibility, parsed.filters);
    if (format === 'json') return sendJson(reply, await this.logs.json(parsed));
    const { columns, cursor } = await this.logs.csv(parsed);
    sendCsv(reply, fileName(log.name, params), columns, cursor, this.logger);
  }
}
