import { CatalogAdvertiser, CatalogSnapshot } from '@tracklane/catalog';
import type { Logger } from '@tracklane/observability';
import { timingSafeEqual } from 'node:crypto';
import { compilePartnerMapping, PartnerMapping } from '../params/partner-mapping';
import { RequestParam } from '../params/read-postback';
import { PostbackRefusal } from '../refusals';
import { signPostback } from './canonical-request';
import { IpAllowlist } from './ip-allowlist';
import { VerifiedSignature } from './signature-replays';

/** What a request offers as proof of who sent it. Never logged. */
export interface PostbackCredentials {
  token: string | undefined;
  signature: string | undefined;
  timestamp: string | undefined;
  clientAddress: string;
  method: string;
  path: string;
  params: readonly RequestParam[];
}

export interface AuthenticatedAdvertiser {
  advertiser: CatalogAdvertiser;
  mapping: PartnerMapping;
  /** The signature the postback carried, when it was checked: it may be used once. */
  signature: VerifiedSignature | null;
}

/** An advertiser's settings in the form the hot path needs, built once per catalogue snapshot. */
interface PreparedAdvertiser {
  token: Buffer;
  allowlist: IpAllowlist;
  mapping: PartnerMapping;
}

const TIMESTAMP = /^\d{1,12}$/;
const SIGNATURE = /^(?:sha256=)?([0-9a-fA-F]{64})$/;

/**
 * Decides which advertiser sent a postback, or refuses it (401/403 with a
 * machine-readable reason): the security token, the IP allowlist, then the
 * HMAC signature when the advertiser requires one (or sent one anyway).
 * Tokens and signatures are compared in constant time.
 */
export class AdvertiserAuthenticator {
  // Snapshots are immutable and replaced on reload, so their advertisers key this cache.
  private readonly prepared = new WeakMap<CatalogAdvertiser, PreparedAdvertiser>();

  constructor(
    private readonly signatureWindowSeconds: number,
    private readonly logger: Logger,
  ) {}

  /**
   * `known` learns the advertiser (and its mapping) as soon as the token
   * names one, so that a refusal after that (IP, signature) is logged for it.
   */
  authenticate(
    snapshot: CatalogSnapshot,
    credentials: PostbackCredentials,
    now = Date.now(),
    known: { advertiser?: CatalogAdvertiser; mapping?: PartnerMapping } = {},
  ): AuthenticatedAdvertiser {
    const { advertiser, token } = credentials.token
      ? { advertiser: snapshot.advertiserByToken(credentials.token), token: credentials.token }
      : this.byPartnerTokenName(snapshot, credentials.params);
    if (!token) throw PostbackRefusal.unauthorized('missing_token');
    if (!advertiser) throw PostbackRefusal.unauthorized('unknown_token');
    const prepared = this.prepare(advertiser);
    // The map lookup matched the exact string; the constant-time comparison is what the decision rests on.
    const given = Buffer.from(token);
    if (given.length !== prepared.token.length || !timingSafeEqual(given, prepared.token)) {
      throw PostbackRefusal.unauthorized('unknown_token');
    }
    known.advertiser = advertiser;
    known.mapping = prepared.mapping;

    if (!prepared.allowlist.allows(credentials.clientAddress)) throw PostbackRefusal.forbidden('ip_not_allowed');

    const signature =
      advertiser.signingSecret && (advertiser.requireSignature || credentials.signature !== undefined)
        ? this.verifySignature(advertiser.signingSecret, credentials, now)
        : null;
    return { advertiser, mapping: prepared.mapping, signature };
  }

  /**
   * A partner that sends the token under its own name (param_mapping maps it
   * to "token"): the advertiser whose token a parameter holds, if its own
   * mapping names that parameter.
   */
  private byPartnerTokenName(
    snapshot: CatalogSnapshot,
    params: readonly RequestParam[],
  ): { advertiser?: CatalogAdvertiser; token?: string } {
    for (const [name, value] of params) {
      const advertiser = value ? snapshot.advertiserByToken(value) : undefined;
      if (advertiser && this.prepare(advertiser).mapping.isToken(name)) return { advertiser, token: value };
    }
    return {};
  }

  private verifySignature(secret: string, credentials: PostbackCredentials, now: number): VerifiedSignature {
    const { signature, timestamp } = credentials;
    if (!signature) throw PostbackRefusal.unauthorized('missing_signature');
    if (!timestamp) throw PostbackRefusal.unauthorized('missing_timestamp');
    if (!TIMESTAMP.test(timestamp)) throw PostbackRefusal.unauthorized('malformed_timestamp');
    if (Math.abs(now / 1000 - Number(timestamp)) > this.signatureWindowSeconds) {
      throw PostbackRefusal.unauthorized('stale_timestamp');
    }
    const given = SIGNATURE.exec(signature)?.[1].toLowerCase();
    const { method, path, params } = credentials;
    const expected = signPostback(secret, { method, path, params, timestamp });
    if (!given || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
      throw PostbackRefusal.unauthorized('bad_signature');
    }
    return { value: given, timestamp: Number(timestamp) };
  }

  private prepare(advertiser: CatalogAdvertiser): PreparedAdvertiser {
    let prepared = this.prepared.get(advertiser);
    if (!prepared) {
      prepared = {
        token: Buffer.from(advertiser.postbackToken),
        allowlist: IpAllowlist.of(advertiser.ipAllowlist),
        mapping: compilePartnerMapping(advertiser.paramMapping),
      };
      const problems = [
        ...prepared.allowlist.invalidEntries.map((entry) => `ip_allowlist: ${JSON.stringify(entry)} is not an address or CIDR range`),
        ...prepared.mapping.problems.map((problem) => `param_mapping.${problem}`),
      ];
      if (problems.length > 0) {
        this.logger.warn({ advertiserId: advertiser.id, problems }, 'advertiser settings partly unusable; ignoring those entries');
      }
      this.prepared.set(advertiser, prepared);
    }
    return prepared;
  }
}
