import { Catalog, CatalogAdvertiser, CatalogSnapshot } from '@tracklane/catalog';
import type { Logger } from '@tracklane/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Histogram, Registry } from 'prom-client';
import { AdvertiserAuthenticator, PostbackCredentials } from '../auth/advertiser-authenticator';
import { SIGNATURE_PARAM } from '../auth/canonical-request';
import { SignatureClaim, SignatureReplays } from '../auth/signature-replays';
import { InboundPostback } from '../inbound-log/inbound-postback';
import { InboundPostbackLog } from '../inbound-log/inbound-postback-log';
import { interpretPostback } from '../intake/interpret-postback';
import { Accepted, PostbackIntake } from '../intake/postback-intake';
import { RequestParam } from '../params/read-postback';
import { PostbackRefusal, PostbackUnavailable } from '../refusals';
import { AnswerFormat, answerFormat, sendAccepted, sendRefusal, sendUnavailable } from './answers';
import { ClientAddresses } from './client-address';
import { paramValue, requestParams } from './request-params';

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * One postback from request to answer: parameters → authentication →
 * aliases and partner mapping → validation → intake → JSON, text or pixel,
 * then into the inbound log (queued; written after the answer).
 * Every refusal is a 4xx naming its reason; Kafka or Postgres trouble is a
 * 503 with Retry-After. Tokens, secrets and signatures are never logged.
 */
export class PostbackEndpoint {
  private readonly outcomes: Counter<'endpoint' | 'outcome'>;
  private readonly duration: Histogram;

  constructor(
    private readonly catalog: Catalog,
    private readonly authenticator: AdvertiserAuthenticator,
    private readonly signatures: SignatureReplays,
    private readonly intake: PostbackIntake,
    private readonly clientAddresses: ClientAddresses,
    private readonly inboundLog: InboundPostbackLog,
    private readonly logger: Logger,
    metrics: Registry,
  ) {
    this.outcomes = new Counter({
      name: 'tracklane_postbacks_total',
      help: 'Postbacks by endpoint and outcome (accepted, replayed, or the refusal/unavailability class)',
      labelNames: ['endpoint', 'outcome'],
      registers: [metrics],
    });
    this.duration = new Histogram({
      name: 'tracklane_postback_duration_seconds',
      help: 'Time from request to answer of accepted postbacks (includes the Kafka acknowledgement)',
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [metrics],
    });
  }

  async handle(request: FastifyRequest, reply: FastifyReply, endpoint: 'postback' | 'pixel'): Promise<void> {
    const started = performance.now();
    let format: AnswerFormat = endpoint === 'pixel' ? 'pixel' : 'json';
    const contentType = header(request, 'content-type');
    const snapshot = this.catalog.current();
    const entry: InboundPostback = {
      receivedAt: new Date(),
      endpoint,
      method: request.method,
      contentType,
      size: request.url.length + (Number(request.headers['content-length']) || 0),
      query: request.query,
      body: request.body,
      snapshot,
      httpStatus: 500,
    };
    let signatureClaim: SignatureClaim | undefined;
    try {
      const jsonBody = contentType?.includes('json') === true;
      const params = requestParams(request.query, request.body, { jsonBody });
      entry.params = params;
      if (endpoint === 'postback') format = answerFormat(paramValue(params, 'format'), header(request, 'accept'));
      const { advertiser, mapping, signature } = this.authenticator.authenticate(snapshot, this.credentials(request, params), undefined, entry);
      entry.mapping = mapping;
      if (signature) {
        const use = await this.signatures.claim(advertiser.id, signature);
        if (use.kind === 'replay') {
          this.logger.info({ advertiserId: advertiser.id, endpoint, conversionId: use.answer.conversionId }, 'signed postback replayed; answered, not booked');
          const replayed: Accepted = { answer: use.answer, replayed: true };
          sendAccepted(reply, format, replayed);
          entry.accepted = replayed;
          entry.httpStatus = 200;
          this.outcomes.inc({ endpoint, outcome: 'replayed' });
          return;
        }
        signatureClaim = use.claim;
      }
      const postback = interpretPostback(
        { params, jsonBody: jsonBody ? request.body : undefined, idempotencyKey: header(request, 'idempotency-key') },
        mapping,
        snapshot.advertiserAmountLimit(advertiser.id),
        entry,
      );
      const accepted = await this.intake.accept(advertiser.id, postback, {
        replayWindowSeconds: snapshot.settings.postbackReplayWindowSeconds,
      });
      if (signatureClaim) await this.signatures.settle(signatureClaim, accepted.answer);
      sendAccepted(reply, format, accepted);
      entry.accepted = accepted;
      entry.httpStatus = 200;
      this.outcomes.inc({ endpoint, outcome: accepted.replayed ? 'replayed' : 'accepted' });
      this.duration.observe((performance.now() - started) / 1000);
    } catch (error) {
      if (signatureClaim) await this.signatures.release(signatureClaim);
      if (error instanceof PostbackRefusal) {
        this.logger.info(
          { advertiserId: entry.advertiser?.id, endpoint, status: error.status, error: error.error, reason: error.reason, problems: error.problems },
          'postback refused',
        );
        this.outcomes.inc({ endpoint, outcome: error.error });
        sendRefusal(reply, format, error, header(request, 'accept'));
        entry.refusal = error;
        entry.httpStatus = error.status;
        // Parameters that could not be read still show whose they are in the log, when their token says.
        if (!entry.params) entry.advertiser = this.advertiserNamedBy(request, snapshot);
      } else if (error instanceof PostbackUnavailable) {
        this.logger.warn({ advertiserId: entry.advertiser?.id, endpoint, reason: error.reason, err: error.cause }, 'postback not recorded; asked to retry');
        this.outcomes.inc({ endpoint, outcome: 'unavailable' });
        sendUnavailable(reply, format, error, header(request, 'accept'));
        entry.refusal = error;
        entry.httpStatus = 503;
      } else {
        throw error;
      }
    } finally {
      // After the answer: the log only queues it here and writes it later, in a batch.
      this.inboundLog.record(entry);
    }
  }

  private advertiserNamedBy(request: FastifyRequest, snapshot: CatalogSnapshot): CatalogAdvertiser | undefined {
    for (const source of [request.query, request.body]) {
      if (source === null || typeof source !== 'object') continue;
      for (const name of ['token', 'security_token']) {
        const token = (source as Record<string, unknown>)[name];
        if (typeof token === 'string' && token !== '') return snapshot.advertiserByToken(token);
      }
    }
    const token = header(request, 'x-tracklane-token');
    return token ? snapshot.advertiserByToken(token) : undefined;
  }

  private credentials(request: FastifyRequest, params: readonly RequestParam[]): PostbackCredentials {
    const url = request.url;
    const query = url.indexOf('?');
    return {
      token: header(request, 'x-tracklane-token') ?? paramValue(params, 'token') ?? paramValue(params, 'security_token'),
      signature: header(request, 'x-tracklane-signature') ?? paramValue(params, SIGNATURE_PARAM),
      timestamp: header(request, 'x-tracklane-timestamp') ?? paramValue(params, 'timestamp'),
      clientAddress: this.clientAddresses.of(request.socket.remoteAddress, request.headers['x-forwarded-for']),
      method: request.method,
      path: query === -1 ? url : url.slice(0, query),
      params,
    };
  }
}
