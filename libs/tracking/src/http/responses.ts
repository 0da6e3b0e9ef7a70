import type { FastifyReply } from 'fastify';

/**
 * What a browser sees when it is not redirected: a short plain-text page.
 * Never cached (every visit is a new click) and never sniffed as HTML (the
 * 400 page repeats a parameter name from the request).
 */
function page(reply: FastifyReply, status: number, text: string): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .type('text/plain; charset=utf-8')
    .send(`${text}\n`);
}

export const respond = {
  redirect: (reply: FastifyReply, location: string) =>
    reply.code(302).header('location', location).header('cache-control', 'no-store').send(),
  /** A HEAD request the GET of which would redirect: answered, not counted, no click id handed out. */
  wouldRedirect: (reply: FastifyReply) => reply.code(200).header('cache-control', 'no-store').send(),
  badLink: (reply: FastifyReply, field: string, reason: string) => page(reply, 400, `Bad tracking link: ${field}: ${reason}`),
  unknownOffer: (reply: FastifyReply) => page(reply, 404, 'Offer not found.'),
  offerUnavailable: (reply: FastifyReply) => page(reply, 404, 'This offer is not available.'),
  notRecorded: (reply: FastifyReply) =>
    page(reply.header('retry-after', '1'), 503, 'The click could not be recorded; please try again.'),
};
