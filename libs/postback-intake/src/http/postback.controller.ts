import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PostbackEndpoint } from './postback-endpoint';

/**
 * GET/POST /postback — the advertiser's server-to-server call (query string,
 * form or JSON body); GET /pixel — the same for partners that can only fire
 * an image, answered with a 1×1 GIF.
 */
@Controller()
export class PostbackController {
  constructor(private readonly endpoint: PostbackEndpoint) {}

  @Get('postback')
  getPostback(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.endpoint.handle(request, reply, 'postback');
  }

  @Post('postback')
  postPostback(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.endpoint.handle(request, reply, 'postback');
  }

  @Get('pixel')
  pixel(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.endpoint.handle(request, reply, 'pixel');
  }
}
