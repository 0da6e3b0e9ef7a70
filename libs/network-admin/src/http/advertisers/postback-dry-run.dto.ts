import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsString, MaxLength } from 'class-validator';
import { PostbackDryRunInput, PostbackDryRunView } from '../../advertisers/postback-dry-run';
import { Optional } from '../../validation/presence';

export class PostbackDryRunDto implements PostbackDryRunInput {
  @ApiPropertyOptional({
    example: 'https://postback.example/postback?token=…&click_id=01jb…&amount=19.99&currency=USD&order_id=A-1',
    description: 'The postback URL as the advertiser’s server would call it, or just its query string',
  })
  @Optional()
  @IsString()
  @MaxLength(16_384)
  url?: string;

  @ApiPropertyOptional({ example: '{"data":{"object":{"amount":1999,"currency":"usd"}}}', description: 'A POST body, as the partner sends it' })
  @Optional()
  @IsString()
  @MaxLength(65_536)
  body?: string;

  @ApiPropertyOptional({ example: 'application/json', description: 'The body’s media type: application/json or application/x-www-form-urlencoded' })
  @Optional()
  @IsString()
  @MaxLength(200)
  contentType?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'Idempotency-Key': 'evt_123' },
    description: 'Headers postback-ingest reads: X-Tracklane-Token, Idempotency-Key',
  })
  @Optional()
  @IsObject()
  headers?: Record<string, string>;
}

const object = { type: 'object', additionalProperties: true } as const;

export class PostbackDryRunResponse implements PostbackDryRunView {
  @ApiProperty() advertiserId!: number;
  @ApiProperty({ ...object, description: 'preset, document (as stored), problems (entries that cannot be used)' })
  mapping!: PostbackDryRunView['mapping'];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'The parameters as read (query, form or JSON paths), secrets masked' })
  params!: Record<string, string>;
  @ApiProperty({ ...object, description: 'token: matches, missing or does_not_match; notChecked: what only the real request can show (IP allowlist, signature)' })
  authentication!: PostbackDryRunView['authentication'];
  @ApiProperty({ ...object, nullable: true, description: 'Each field read: value, param (the parameter it came from), received (as sent, when translated or scaled), fromDefault' })
  fields!: PostbackDryRunView['fields'];
  @ApiProperty({ type: String, nullable: true, description: 'What identifies the conversion without an order id, as the mapping says' })
  conversionKey!: string | null;
  @ApiProperty({ ...object, nullable: true, description: 'The conversion event it would become: clickId (null when a promo code stands in), couponCode, goal, amount, currency, orderId, status, advSubs, raw' })
  postback!: PostbackDryRunView['postback'];
  @ApiProperty({
    ...object,
    description:
      'outcome: accepted (kind conversion or status_change), duplicate or replay (the earlier answer again; conversionId), or refused (httpStatus and refusal: error, reason, problems)',
  })
  decision!: PostbackDryRunView['decision'];
}
