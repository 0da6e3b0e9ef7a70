import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiOkResponse, ApiSecurity, ApiServiceUnavailableResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';

const ROW = { type: 'object', additionalProperties: true };

export const PAGE_META = {
  type: 'object',
  additionalProperties: true,
  properties: {
    limit: { type: 'integer', nullable: true },
    next_cursor: { type: 'string', nullable: true, description: 'Pass as `cursor` for the next page; null on the last page.' },
  },
};

/** 200 as JSON or CSV, and the errors every report can answer with (as problem details: see declareProblemDetails). */
export function ReportResponses(description: string, json: Record<string, unknown>) {
  return applyDecorators(
    ApiSecurity('api_key_header'),
    ApiSecurity('api_key_query'),
    ApiSecurity('bearer'),
    ApiOkResponse({
      description,
      content: {
        'application/json': { schema: json },
        'text/csv': { schema: { type: 'string', description: 'A header line, then one line per row (RFC 4180). Free text that could run as a spreadsheet formula starts with an apostrophe.' } },
      },
    }),
    ApiBadRequestResponse({ description: 'A parameter is malformed or out of range; `parameter` names it.' }),
    ApiUnauthorizedResponse({ description: 'No API key, or not a live one.' }),
    ApiForbiddenResponse({ description: 'The key may not ask for this (another tenant, a hidden metric).' }),
    ApiServiceUnavailableResponse({ description: 'The report took too long.' }),
  );
}

export function rowsSchema(rowDescription: string, meta: Record<string, unknown> = PAGE_META): Record<string, unknown> {
  return {
    type: 'object',
    required: ['rows', 'meta'],
    properties: {
      rows: { type: 'array', description: rowDescription, items: ROW },
      meta,
    },
  };
}

export const STATS_SCHEMA = {
  type: 'object',
  required: ['rows', 'totals', 'meta'],
  properties: {
    rows: {
      type: 'array',
      description:
        'One object per group: the time bucket (hour as local time with offset, day/week/month as the local date it starts), each dimension (ids with names), currency, then the metrics. Money is a decimal string with 4 places.',
      items: ROW,
    },
    totals: { type: 'array', description: 'The metrics over every row (not just this page), one object per currency.', items: ROW },
    meta: {
      type: 'object',
      properties: {
        from: { type: 'string', format: 'date-time' },
        to: { type: 'string', format: 'date-time' },
        timezone: { type: 'string' },
        group_by: { type: 'array', items: { type: 'string' } },
        metrics: { type: 'array', items: { type: 'string' } },
        total_rows: { type: 'integer' },
        limit: { type: 'integer', nullable: true },
        offset: { type: 'integer' },
        next_cursor: { type: 'string', nullable: true },
        read_from: { type: 'object', additionalProperties: true, description: 'Which rollup answered and how the range was split.' },
      },
    },
  },
};
