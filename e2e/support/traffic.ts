import { Agent, request } from 'node:http';
import { LoadNetwork } from './network';

const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

interface Answer {
  status: number;
  location: string | null;
  body: string;
}

function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { agent, headers, method, timeout: 10_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, location: response.headers.location ?? null, body }),
      );
      response.on('error', reject);
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error('timeout')));
    outgoing.on('error', reject);
    outgoing.end();
  });
}

export interface TrafficOptions {
  clickIngestUrl: string;
  postbackIngestUrl: string;
  network: LoadNetwork;
  /** Requests in flight at once. */
  concurrency: number;
  /** One conversion per this many clicks (default 100). */
  clicksPerConversion?: number;
  /** Share of postbacks the advertiser sends twice (default 0.05). */
  duplicateRate?: number;
  /** Share of requests that are malformed on purpose (default 0.01). */
  badInputRate?: number;
}

export interface AcceptedPostback {
  orderId: string;
  advertiserId: number;
  clickId: string;
  conversionId: string;
  /** When the 2xx arrived (epoch ms). */
  ackedAt: number;
}

/** What the traffic was promised: every 302 and every 2xx is a promise the platform must keep. */
export interface TrafficResult {
  seconds: number;
  clicks: { sent: number; redirected: string[]; badInput: number; refused: number; failed: number; wrongAnswers: string[] };
  postbacks: {
    sent: number;
    accepted: Map<string, AcceptedPostback>;
    duplicatesAnswered: number;
    badInput: number;
    /** 503s and connection errors: the advertiser retried those later. */
    retried: number;
    /** Of those, the 503s. */
    unavailable: number;
    wrongAnswers: string[];
  };
}

/**
 * Waits until both ingresses know the whole network. Each service hears of a
 * catalogue change by an announcement after the commit and reloads, so a link
 * tried the moment it was created may still be unknown there. A HEAD of a
 * tracking link answers 200 once click-ingest would redirect it (and counts
 * nothing); a postback without a click id answers 400, not 401, once
 * postback-ingest knows the advertiser's token.
 */
export async function untilServed(
  options: Pick<TrafficOptions, 'clickIngestUrl' | 'postbackIngestUrl' | 'network'>,
  timeoutMs = 60_000,
): Promise<void> {
  const { offers, affiliateIds } = options.network;
  const probes = [
    ...offers.flatMap((offer) =>
      affiliateIds.map((affiliateId) => ({ url: `${options.clickIngestUrl}/c/${offer.id}?aff_id=${affiliateId}`, method: 'HEAD', served: 200 })),
    ),
    ...offers.map((offer) => ({ url: `${options.postbackIngestUrl}/postback?token=${offer.token}`, method: 'GET', served: 400 })),
  ];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answers = await Promise.all(probes.map((probe) => get(probe.url, {}, probe.method).catch((error: Error) => error)));
    const waiting = probes.flatMap((probe, index) => {
      const answer = answers[index];
      if (!(answer instanceof Error) && answer.status === probe.served) return [];
      return [`${probe.method} ${probe.url} (${answer instanceof Error ? answer.message : `answered ${answer.status}`})`];
    });
    if (waiting.length === 0) return;
    if (Date.now() > deadline) throw new Error(`the network is not served after ${timeoutMs} ms: ${waiting.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const randomIp = () => `10.${(Math.random() * 255) | 0}.${(Math.random() * 255) | 0}.${1 + ((Math.random() * 250) | 0)}`;

/**
 * A realistic mix through the real HTTP endpoints: clicks from many
 * visitors, a conversion per hundred clicks, advertisers that repeat some
 * postbacks and retry the ones that got a 503 or no answer, and a little
 * malformed input. Starts once both ingresses serve the network, runs until
 * `stop()` resolves, then drains the advertiser retries (bounded) so every
 * conversion either got a 2xx or is reported.
 */
export async function runTraffic(options: TrafficOptions, stop: Promise<void>): Promise<TrafficResult> {
  await untilServed(options);
  const clicksPerConversion = options.clicksPerConversion ?? 100;
  const duplicateRate = options.duplicateRate ?? 0.05;
  const badInputRate = options.badInputRate ?? 0.01;
  const result: TrafficResult = {
    seconds: 0,
    clicks: { sent: 0, redirected: [], badInput: 0, refused: 0, failed: 0, wrongAnswers: [] },
    postbacks: { sent: 0, accepted: new Map(), duplicatesAnswered: 0, badInput: 0, retried: 0, unavailable: 0, wrongAnswers: [] },
  };
  const retries: { url: string; orderId: string; advertiserId: number; clickId: string }[] = [];
  let stopped = false;
  void stop.then(() => (stopped = true));
  const started = Date.now();
  let orderSequence = 0;

  const postback = async (url: string, orderId: string, advertiserId: number, clickId: string): Promise<void> => {
    result.postbacks.sent++;
    let answer: Answer;
    try {
      answer = await get(url);
    } catch {
      result.postbacks.retried++;
      retries.push({ url, orderId, advertiserId, clickId });
      return;
    }
    if (answer.status === 503) {
      result.postbacks.retried++;
      result.postbacks.unavailable++;
      retries.push({ url, orderId, advertiserId, clickId });
      return;
    }
    if (answer.status !== 200) {
      result.postbacks.wrongAnswers.push(`${answer.status} ${answer.body.slice(0, 200)}`);
      return;
    }
    const { conversionId } = JSON.parse(answer.body) as { conversionId: string };
    const earlier = result.postbacks.accepted.get(orderId);
    if (earlier) {
      result.postbacks.duplicatesAnswered++;
      if (earlier.conversionId !== conversionId) {
        result.postbacks.wrongAnswers.push(`order ${orderId} answered ${conversionId}, first ${earlier.conversionId}`);
      }
      return;
    }
    result.postbacks.accepted.set(orderId, { orderId, advertiserId, clickId, conversionId, ackedAt: Date.now() });
  };

  const visit = async (): Promise<void> => {
    const { offers, affiliateIds } = options.network;
    const offer = offers[(Math.random() * offers.length) | 0];
    const affiliateId = affiliateIds[(Math.random() * affiliateIds.length) | 0];
    result.clicks.sent++;
    const malformed = Math.random() < badInputRate;
    let answer: Answer;
    try {
      answer = await get(
        `${options.clickIngestUrl}/c/${offer.id}?aff_id=${malformed ? 'x1' : affiliateId}&sub1=load`,
        { 'user-agent': BROWSER, 'x-forwarded-for': randomIp() },
      );
    } catch {
      result.clicks.failed++; // no answer: the browser saw an error, nothing was promised
      return;
    }
    if (malformed) {
      if (answer.status === 400) result.clicks.badInput++;
      else result.clicks.wrongAnswers.push(`malformed click answered ${answer.status}`);
      return;
    }
    if (answer.status === 503) {
      result.clicks.refused++;
      return;
    }
    const clickId = answer.location ? new URL(answer.location).searchParams.get('cid') : null;
    if (answer.status !== 302 || !clickId) {
      result.clicks.wrongAnswers.push(`click answered ${answer.status} ${answer.location ?? answer.body.slice(0, 120)}`);
      return;
    }
    result.clicks.redirected.push(clickId);
    if (Math.random() >= 1 / clicksPerConversion) return;

    const badPostback = Math.random() < badInputRate;
    const orderId = `load-${process.pid}-${++orderSequence}`;
    const url =
      `${options.postbackIngestUrl}/postback?token=${offer.token}&click_id=${clickId}&order_id=${orderId}` +
      `&amount=${badPostback ? '-5' : '25.00'}&currency=USD&goal=sale`;
    if (badPostback) {
      result.postbacks.sent++;
      const bad = await get(url).catch(() => null);
      if (bad?.status === 400) result.postbacks.badInput++;
      else if (bad) result.postbacks.wrongAnswers.push(`malformed postback answered ${bad.status}`);
      return;
    }
    await postback(url, orderId, offer.advertiserId, clickId);
    if (Math.random() < duplicateRate) await postback(url, orderId, offer.advertiserId, clickId);
  };

  const worker = async () => {
    while (!stopped) await visit();
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  result.seconds = (Date.now() - started) / 1000;

  // Advertisers retry what got a 503 or no answer, with a pause between rounds.
  for (let round = 0; round < 30 && retries.length > 0; round++) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const due = retries.splice(0, retries.length);
    await Promise.all(due.map((retry) => postback(retry.url, retry.orderId, retry.advertiserId, retry.clickId)));
  }
  if (retries.length > 0) result.postbacks.wrongAnswers.push(`${retries.length} postbacks never got a 2xx after 30 retries`);
  return result;
}

/**
 * Runs `work` (kills, restarts, outages) while the traffic of runTraffic flows, then stops the traffic, also
 * when `work` throws: traffic left running would hammer the services afterAll stops and keep Jest from
 * exiting. Resolves with what the traffic saw once its retries have drained. `work` starts once both
 * ingresses serve the network, so that its pauses and faults fall in flowing traffic, not in the wait for a
 * catalogue reload.
 */
export async function withTraffic(options: TrafficOptions, work: () => Promise<void>): Promise<TrafficResult> {
  await untilServed(options);
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const traffic = runTraffic(options, stopped);
  traffic.catch(() => undefined); // a failure is seen by the await below, or dropped when `work` failed first
  try {
    await work();
  } catch (error) {
    stop();
    await traffic.catch(() => undefined);
    throw error;
  }
  stop();
  return traffic;
}
