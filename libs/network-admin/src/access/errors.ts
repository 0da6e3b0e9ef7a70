import { FieldProblem, forbidden, notFound as notFoundProblem, problem, ProblemException } from '@tracklane/http-api';

export { conflict, forbidden, invalid, invalidFields } from '@tracklane/http-api';

/** 404 — also what another tenant's object answers, so its existence is not revealed. */
export function notFound(entity: string, id: string | number): ProblemException {
  return notFoundProblem(`${entity} ${id} not found`);
}

/** 409 naming every field whose value clashes (conflict names one), as invalidFields does for a 400. */
export function conflicts(errors: FieldProblem[]): ProblemException {
  return new ProblemException(problem('conflict', errors.map(({ field, reason }) => `${field}: ${reason}`).join('; '), { errors }));
}

/** Refuses a change to fields the caller's role may not touch, naming the first one. */
export function onlyFields(patch: object, allowed: readonly string[], who: string): void {
  const refused = Object.entries(patch).find(([field, value]) => value !== undefined && !allowed.includes(field))?.[0];
  if (refused) throw forbidden(`${who} may not change ${refused}; they may change ${allowed.join(', ')}`);
}
