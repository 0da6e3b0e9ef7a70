import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Catalog } from '@tracklane/catalog';
import type { ClickDisposition } from '@tracklane/contracts';
import type { FieldProblem } from '@tracklane/http-api';
import { LOGGER, Logger } from '@tracklane/observability';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BadTrackingLink, parseTrackingLink, RawQuery, TrackingLink } from '../link/tracking-link';
import { ClickRecorder, RecordedClick } from '../recording/click-recorder';
import { DestinationTemplates } from '../redirect/destination-template';
import { decideRedirect } from '../redirect/redirect-decision';
import { VisitorReader } from '../visitor/visitor';
import { respond } from './responses';
import { TrackingMetrics } from './tracking-metrics';

type TrackingRequest = FastifyRequest<{ Params: { offerId?: string }; Querystring: RawQuery }>;

/**
 * The tracking links, registered straight on Fastify rather than as a Nest
 * controller: the redirect is the hot path, so it skips Nest's per-request
 * execution context and parameter resolution, and stays outside any global
 * pipe, guard or interceptor the service may gain (a global ValidationPipe
 * would put class-validator on it). Input is checked by hand
 * (parseTrackingLink).
 */
@Injectable()
export class TrackingRoutes implements OnModuleInit {
  private readonly templates = new DestinationTemplates();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly catalog: Catalog,
    private readonly recorder: ClickRecorder,
    private readonly visitors: VisitorReader,
    private readonly metrics: TrackingMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const server = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const click = (request: TrackingRequest, reply: FastifyReply) => this.handle(request, reply, true);
    const preview = (request: TrackingRequest, reply: FastifyReply) => this.handle(request, reply, false);
    for (const url of ['/c/:offerId', '/click']) {
      server.route({ method: 'GET', url, exposeHeadRoute: false, handler: click });
      server.route({ method: 'HEAD', url, handler: preview });
    }
  }

  private async handle(request: TrackingRequest, reply: FastifyReply, counted: boolean): Promise<FastifyReply> {
    let link: TrackingLink;
    try {
      link = parseTrackingLink(request.query, request.params.offerId);
    } catch (error) {
      if (!(error instanceof BadTrackingLink)) throw error;
      this.metrics.request('bad_request');
      return respond.badLink(reply, request.headers.accept, error.field, error.reason);
    }

    const nowMs = Date.now();
    const catalog = this.catalog.current();
    const visitor = this.visitors.read(request.headers, request.socket.remoteAddress);
    const decision = decideRedirect(catalog, link, visitor, nowMs);
    if (decision.kind === 'unknown_offer') {
      this.metrics.request('unknown_offer');
      return respond.unknownOffer(reply, request.headers.accept);
    }
    if (!counted) {
      this.metrics.request('head');
      return decision.template === null ? respond.offerUnavailable(reply, request.headers.accept, linkFieldBehind(decision.disposition)) : respond.wouldRedirect(reply);
    }

    let recorded: RecordedClick;
    try {
      recorded = await this.recorder.record(link, visitor, decision.offer, decision.disposition, nowMs, catalog.settings);
    } catch (error) {
      // Neither Kafka nor the spool took the click: do not send the visitor on with an id that does not exist.
      this.logger.error({ err: error, offerId: link.offerId, affiliateId: link.affiliateId }, 'click not recorded');
      this.metrics.request('not_recorded');
      return respond.notRecorded(reply, request.headers.accept);
    }
    const { click, durability } = recorded;
    this.metrics.click(decision.disposition, durability);
    if (this.logger.isLevelEnabled('debug')) {
      this.logger.debug(
        { clickId: click.clickId, offerId: click.offerId, affiliateId: click.affiliateId, disposition: click.disposition, durability },
        'click',
      );
    }
    if (decision.template === null) {
      this.metrics.request('unavailable');
      return respond.offerUnavailable(reply, request.headers.accept, linkFieldBehind(decision.disposition));
    }
    this.metrics.request('redirected');
    return respond.redirect(reply, this.templates.render(decision.template, click, nowMs));
  }
}

/** The link's field that sent a click away, when the link is what is wrong (not the visitor, for targeting). */
function linkFieldBehind(disposition: ClickDisposition): FieldProblem | null {
  switch (disposition) {
    case 'offer_paused':
      return { field: 'offer_id', reason: 'the offer is paused' };
    case 'offer_expired':
      return { field: 'offer_id', reason: 'the offer has expired' };
    case 'affiliate_not_approved':
      return { field: 'aff_id', reason: 'names no affiliate approved for this offer' };
    case 'affiliate_inactive':
      return { field: 'aff_id', reason: 'the affiliate is not active' };
    default:
      return null;
  }
}
