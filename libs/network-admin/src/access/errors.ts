import { forbidden, notFound as notFoundProblem, ProblemException } from '@tracklane/http-api';

export { conflict, forbidden, invalid } from '@tracklane/http-api';

/** 404 — also what another tenant's object answers, so its existence is not revealed. */
export function notFound(entity: string, id: string | number): ProblemException {
  return notFoundProblem(`${entity} ${id} not found`);
}

/** Refuses a change to fields the caller's role may not touch, naming the first one. */
export function onlyFields(patch: object, allowed: readonly string[], who: string): void {
  const refused = Object.entries(patch).find(([field, value]) => value !== undefined && !allowed.includes(field))?.[0];
  if (refused) throw forbidden(`${who} may not change ${refused}; they may change ${allowed.join(', ')}`);
}
