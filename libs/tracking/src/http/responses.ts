import { asksForJson, FieldProblem, problem, PROBLEM_CONTENT_TYPE, ProblemDetails } from '@tracklane/http-api';
import type { FastifyReply } from 'fastify';

/**
 * What a visitor sees when it is not redirected: a short plain-text page for
 * a browser; the same as problem details (RFC 9457) for a client that asks
 * for JSON in Accept. Never cached (every visit is a new click) and never
 * sniffed as HTML (the 400 page repeats a parameter name from the request).
 * Only refusals look at Accept: the redirect pays nothing for it.
 */
function page(reply: FastifyReply, accept: string | undefined, text: string, details: ProblemDetails): FastifyReply {
  reply.code(details.status).header('cache-control', 'no-store').header('x-content-type-options', 'nosniff');
  if (asksForJson(accept)) return reply.type(`${PROBLEM_CONTENT_TYPE}; charset=utf-8`).send(JSON.stringify(details));
  return reply.type('text/plain; charset=utf-8').send(`${text}\n`);
}

/** Every answer to a landing page's script: readable by that page (CORS, no credentials), never cached. */
function forPage(reply: FastifyReply, origin: string | undefined): FastifyReply {
  return reply.header('access-control-allow-origin', origin ?? '*').header('vary', 'origin');
}

export const respond = {
  redirect: (reply: FastifyReply, location: string) =>
    reply.code(302).header('location', location).header('cache-control', 'no-store').send(),
  /** A HEAD request the GET of which would redirect: answered, not counted, no click id handed out. */
  wouldRedirect: (reply: FastifyReply) => reply.code(200).header('cache-control', 'no-store').send(),
  badLink: (reply: FastifyReply, accept: string | undefined, field: string, reason: string) =>
    page(reply, accept, `Bad tracking link: ${field}: ${reason}`, problem('invalidRequest', `${field}: ${reason}`, { errors: [{ field, reason }] })),
  unknownOffer: (reply: FastifyReply, accept: string | undefined) =>
    page(reply, accept, 'Offer not found.', problem('notFound', 'offer not found')),
  /** For a client that asks for JSON, the link's field behind the refusal, when the link is what is wrong. */
  offerUnavailable: (reply: FastifyReply, accept: string | undefined, cause: FieldProblem | null) =>
    page(reply, accept, 'This offer is not available.', problem('notFound', 'this offer is not available', cause ? { errors: [cause] } : {})),
  /** The script for landing pages (direct linking): cached for an hour, the same for every page. */
  directLinkScript: (reply: FastifyReply, script: string) =>
    reply
      .code(200)
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .header('x-content-type-options', 'nosniff')
      .header('access-control-allow-origin', '*')
      .send(script),
  /** A direct click recorded and durable: its id for the page to keep. */
  directClick: (reply: FastifyReply, origin: string | undefined, clickId: string, disposition: string) =>
    forPage(reply, origin).code(200).header('cache-control', 'no-store').type('application/json').send(JSON.stringify({ click_id: clickId, disposition })),
  /** A visitor referred by a site that is no affiliate's: nothing recorded, nothing wrong. */
  noDirectClick: (reply: FastifyReply, origin: string | undefined) => forPage(reply, origin).code(204).header('cache-control', 'no-store').send(),
  /** A cross-origin POST with a JSON body: the browser asks first. */
  directClickPreflight: (reply: FastifyReply, origin: string | undefined) =>
    forPage(reply, origin)
      .code(204)
      .header('access-control-allow-methods', 'POST')
      .header('access-control-allow-headers', 'content-type')
      .header('access-control-max-age', '86400')
      .send(),
  /** A refusal of a direct click, as problem details the page's script (or its developer) can read. */
  directRefusal: (reply: FastifyReply, origin: string | undefined, details: ProblemDetails) =>
    forPage(reply, origin)
      .code(details.status)
      .header('cache-control', 'no-store')
      .type(`${PROBLEM_CONTENT_TYPE}; charset=utf-8`)
      .send(JSON.stringify(details)),
  notRecorded: (reply: FastifyReply, accept: string | undefined) =>
    page(
      reply.header('retry-after', '1'),
      accept,
      'The click could not be recorded; please try again.',
      problem('unavailable', 'the click could not be recorded; please try again', { retryAfterSeconds: 1 }),
    ),
};
