import { BadRequestException, ConflictException, ForbiddenException, NotFoundException } from '@nestjs/common';

/** 400 naming the field and what is wrong with it ("field reason"). */
export function invalid(field: string, reason: string): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: `${field} ${reason}`,
    errors: [{ field, reason }],
  });
}

/** 404 — also what another tenant's object answers, so its existence is not revealed. */
export function notFound(entity: string, id: string | number): NotFoundException {
  return new NotFoundException({ statusCode: 404, error: 'Not Found', message: `${entity} ${id} not found` });
}

export function forbidden(message: string): ForbiddenException {
  return new ForbiddenException({ statusCode: 403, error: 'Forbidden', message });
}

export function conflict(field: string, reason: string): ConflictException {
  return new ConflictException({
    statusCode: 409,
    error: 'Conflict',
    message: `${field} ${reason}`,
    errors: [{ field, reason }],
  });
}

/** Refuses a change to fields the caller's role may not touch, naming the first one. */
export function onlyFields(patch: object, allowed: readonly string[], who: string): void {
  const refused = Object.entries(patch).find(([field, value]) => value !== undefined && !allowed.includes(field))?.[0];
  if (refused) throw forbidden(`${who} may not change ${refused}; they may change ${allowed.join(', ')}`);
}
