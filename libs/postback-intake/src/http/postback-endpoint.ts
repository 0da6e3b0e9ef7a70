import { Catalog } from '@tracklane/catalog';
import type { Logger } from '@tracklane/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Histogram, Registry } from 'prom-client';
import { AdvertiserAuthenticator, PostbackCredentials } from '../auth/advertiser-authenticator';
import { SIGNATURE_PARAM } from '../auth/canonical-request';
import { SignatureClaim, SignatureReplays } from '../auth/signature-replays';
import { PostbackIntake } from '../intake/postback-intake';
import { readPostback, RequestParam } from '../params/read-postback';
import { PostbackRefusal, PostbackUnavailable } from '../refusals';
import { checkAmountBound } from '../validation/amount-bound';
import { validatePostback } from '../validation/validate-postback';
import { AnswerFormat, answerFormat, sendAccepted, sendRefusal, sendUnavailable } from './answers';
import { ClientAddresses } from './client-address';
import { firstNestedName } from './json-paths';
import { paramValue, requestParams } from './request-params';

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * One postback from request to answer: parameters → authentication →
 * aliases and partner mapping → validation → intake → JSON, text or pixel.
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
    let advertiserId: number | undefined;
    let signatureClaim: SignatureClaim | undefined;
    try {
      const jsonBody = header(request, 'content-type')?.includes('json') === true;
      const params = requestParams(request.query, request.body, { jsonBody });
      if (endpoint === 'postback') format = answerFormat(paramValue(params, 'format'), header(request, 'accept'));
      const snapshot = this.catalog.current();
      const { advertiser, mapping, signature } = this.authenticator.authenticate(snapshot, this.credentials(request, params));
      advertiserId = advertiser.id;
      if (signature) {
        const use = await this.signatures.claim(advertiser.id, signature);
        if (use.kind === 'replay') {
          this.logger.info({ advertiserId, endpoint, conversionId: use.answer.conversionId }, 'signed postback replayed; answered, not booked');
          sendAccepted(reply, format, { answer: use.answer, replayed: true });
          this.outcomes.inc({ endpoint, outcome: 'replayed' });
          return;
        }
        signatureClaim = use.claim;
      }
      const nested = jsonBody && !mapping.readsJsonPaths ? firstNestedName(request.body) : undefined;
      if (nested !== undefined) {
        throw PostbackRefusal.invalid([{ field: nested, rule: 'scalar', reason: `${nested} must be a string or a number` }]);
      }
      const read = readPostback(params, mapping);
      const postback = validatePostback(read, header(request, 'idempotency-key'));
      checkAmountBound(postback, read, snapshot.advertiserAmountLimit(advertiser.id));
      const accepted = await this.intake.accept(advertiser.id, postback, {
        replayWindowSeconds: snapshot.settings.postbackReplayWindowSeconds,
      });
      if (signatureClaim) await this.signatures.settle(signatureClaim, accepted.answer);
      sendAccepted(reply, format, accepted);
      this.outcomes.inc({ endpoint, outcome: accepted.replayed ? 'replayed' : 'accepted' });
      this.duration.observe((performance.now() - started) / 1000);
    } catch (error) {
      if (signatureClaim) await this.signatures.release(signatureClaim);
      if (error instanceof PostbackRefusal) {
        this.logger.info(
          { advertiserId, endpoint, status: error.status, error: error.error, reason: error.reason, problems: error.problems },
          'postback refused',
        );
        this.outcomes.inc({ endpoint, outcome: error.error });
        sendRefusal(reply, format, error, header(request, 'accept'));
      } else if (error instanceof PostbackUnavailable) {
        this.logger.warn({ advertiserId, endpoint, reason: error.reason, err: error.cause }, 'postback not recorded; asked to retry');
        this.outcomes.inc({ endpoint, outcome: 'unavailable' });
        sendUnavailable(reply, format, error, header(request, 'accept'));
      } else {
        throw error;
      }
    }
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
