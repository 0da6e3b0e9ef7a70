import { SetMetadata } from '@nestjs/common';
import { ApiKeyRole } from '@tracklane/api-keys';

export const ROLES = Symbol('ROLES');

/**
 * The roles whose keys may call a route (on a controller or a handler; the
 * handler wins). Routes without it are for admin keys only, so a route
 * forgotten here is closed, not open.
 */
export const Roles = (...roles: ApiKeyRole[]) => SetMetadata(ROLES, roles);
