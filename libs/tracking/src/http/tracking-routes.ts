import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Catalog, CatalogSnapshot } from '@tracklane/catalog';
import type { ClickDisposition, ClickV1 } from '@tracklane/contracts';
import { FieldProblem, problem, ProblemDetails } from '@tracklane/http-api';
import { LOGGER, Logger } from '@tracklane/observability';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BadTrackingLink, parseOfferId, parseTrackingLink, RawQuery, TrackingLink } from '../link/tracking-link';
import { ClickRecorder, RecordedClick } from '../recording/click-recorder';
import { DestinationTemplates } from '../redirect/destination-template';
import { decideRedirect, RedirectDecision } from '../redirect/redirect-decision';
import { Visitor, VisitorReader } from '../visitor/visitor';
import { DIRECT_CLICK_BODY_LIMIT, DIRECT_LINK_SCRIPT, DirectClickRequest, hasAffiliate, mayRecordFor, readDirectClick } from '../direct/direct-link';
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
    // Direct linking (direct/direct-link.ts): the landing page's script, and the clicks it records.
    server.route({ method: 'GET', url: '/dl.js', handler: (_request, reply) => respond.directLinkScript(reply, DIRECT_LINK_SCRIPT) });
    server.route({
      method: 'POST',
      url: '/v1/direct-clicks',
      bodyLimit: DIRECT_CLICK_BODY_LIMIT,
      handler: (request: FastifyRequest, reply: FastifyReply) => this.direct(request, reply),
    });
    server.route({
      method: 'OPTIONS',
      url: '/v1/direct-clicks',
      handler: (request: FastifyRequest, reply: FastifyReply) => respond.directClickPreflight(reply, request.headers.origin),
    });
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
      this.catalog.reloadOnMiss();
      return respond.unknownOffer(reply, request.headers.accept);
    }
    // An approval a moment old may not have reached the catalogue either.
    if (decision.disposition === 'affiliate_not_approved') this.catalog.reloadOnMiss();
    if (!counted) {
      this.metrics.request('head');
      return decision.template === null ? respond.offerUnavailable(reply, request.headers.accept, linkFieldBehind(decision.disposition)) : respond.wouldRedirect(reply);
    }

    const click = await this.record(link, visitor, decision, nowMs, catalog);
    // Neither Kafka nor the spool took the click: do not send the visitor on with an id that does not exist.
    if (click === null) return respond.notRecorded(reply, request.headers.accept);
    if (decision.template === null) {
      this.metrics.request('unavailable');
      return respond.offerUnavailable(reply, request.headers.accept, linkFieldBehind(decision.disposition));
    }
    this.metrics.request(decision.insteadOf === undefined ? 'redirected' : 'alternative_offer');
    return respond.redirect(reply, this.templates.render(decision.template, click, nowMs));
  }

  /**
   * A click the landing page's script reports (direct linking): decided by the same rules as a tracking link's
   * (the visitor is the browser that runs the script; its referrer the page before the landing page), recorded
   * the same way, and answered with the click id once it is durable. Only the offer's own landing page may ask.
   */
  private async direct(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const origin = request.headers.origin;
    const catalog = this.catalog.current();
    const refuse = (details: ProblemDetails) => respond.directRefusal(reply, origin, details);
    let direct: DirectClickRequest;
    let offerId: number;
    try {
      direct = readDirectClick(request.body);
      offerId = parseOfferId(direct.link);
    } catch (error) {
      if (!(error instanceof BadTrackingLink)) throw error;
      this.metrics.request('bad_request');
      return refuse(invalidLink(error));
    }
    const offer = catalog.offer(offerId);
    if (!offer) {
      this.metrics.request('unknown_offer');
      return refuse(problem('notFound', 'offer not found', { errors: [{ field: 'offer_id', reason: 'names no offer' }] }));
    }
    // Before anything else is looked up: another site's page learns nothing, not even which referrers count.
    if (!mayRecordFor(origin, offer.destinationUrl)) {
      this.metrics.request('foreign_origin');
      return refuse(problem('forbidden', `${FOREIGN_ORIGIN.field}: ${FOREIGN_ORIGIN.reason}`, { errors: [FOREIGN_ORIGIN] }));
    }
    let link: TrackingLink;
    try {
      if (!hasAffiliate(direct.link)) {
        if (direct.referrer === null) throw new BadTrackingLink('aff_id', "is required: the landing page's URL names no affiliate, and no referrer was given");
        const referredBy = catalog.affiliateByReferrer(direct.referrer);
        if (!referredBy) {
          // A visitor from a site that is no affiliate's: not an affiliate's visit, nothing to record.
          this.metrics.request('not_referred');
          return respond.noDirectClick(reply, origin);
        }
        direct.link.aff_id = String(referredBy.id);
      }
      link = parseTrackingLink(direct.link);
    } catch (error) {
      if (!(error instanceof BadTrackingLink)) throw error;
      this.metrics.request('bad_request');
      return refuse(invalidLink(error));
    }
    const nowMs = Date.now();
    const visitor = { ...this.visitors.read(request.headers, request.socket.remoteAddress), referrer: direct.referrer };
    const decision = decideRedirect(catalog, link, visitor, nowMs);
    if (decision.kind === 'unknown_offer') throw new Error(`offer ${link.offerId} vanished from one catalogue snapshot`);
    const click = await this.record(link, visitor, decision, nowMs, catalog);
    if (click === null) {
      reply.header('retry-after', '1');
      return refuse(problem('unavailable', 'the click could not be recorded; please try again', { retryAfterSeconds: 1 }));
    }
    this.metrics.request('direct');
    return respond.directClick(reply, origin, click.clickId, click.disposition);
  }

  /** Records a decided click (Kafka or the spool) and counts it; null when neither took it. */
  private async record(
    link: TrackingLink,
    visitor: Visitor,
    decision: Extract<RedirectDecision, { kind: 'click' }>,
    nowMs: number,
    catalog: CatalogSnapshot,
  ): Promise<ClickV1 | null> {
    let recorded: RecordedClick;
    try {
      recorded = await this.recorder.record(link, visitor, decision.offer, decision.disposition, nowMs, catalog.settings);
    } catch (error) {
      this.logger.error({ err: error, offerId: link.offerId, affiliateId: link.affiliateId }, 'click not recorded');
      this.metrics.request('not_recorded');
      return null;
    }
    const { click, durability } = recorded;
    this.metrics.click(decision.disposition, durability);
    if (this.logger.isLevelEnabled('debug')) {
      this.logger.debug(
        { clickId: click.clickId, offerId: click.offerId, affiliateId: click.affiliateId, disposition: click.disposition, durability },
        'click',
      );
    }
    return click;
  }
}

const invalidLink = (error: BadTrackingLink) => problem('invalidRequest', `${error.field}: ${error.reason}`, { errors: [{ field: error.field, reason: error.reason }] });

/** A page that is not the offer's landing page may not record its clicks. */
const FOREIGN_ORIGIN: FieldProblem = { field: 'Origin', reason: "must be the offer's landing page (the host of its destination URL, or a subdomain)" };

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
