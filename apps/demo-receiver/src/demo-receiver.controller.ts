import { All, Controller, Get, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ReceivedPostback, ReceivedPostbacks } from './received-postbacks';

const SHOWN_HEADERS = ['idempotency-key', 'x-tracklane-signature', 'x-tracklane-delivery-attempt', 'content-type', 'user-agent'];

/**
 * Stands in for an affiliate's server in demo mode: accepts any outbound
 * postback on /postback and shows what arrived on /received.
 */
@Controller()
export class DemoReceiverController {
  constructor(private readonly received: ReceivedPostbacks) {}

  @All('postback')
  receive(@Req() request: FastifyRequest): { ok: true } {
    const headers: Record<string, string> = {};
    for (const name of SHOWN_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    this.received.record({
      receivedAt: new Date().toISOString(),
      method: request.method,
      url: request.url,
      query: request.query as Record<string, unknown>,
      headers,
      body: request.body ?? null,
    });
    return { ok: true };
  }

  @Get('received')
  list(): ReceivedPostback[] {
    return this.received.list();
  }
}
