import { SetMetadata } from '@nestjs/common';
import { ApiKeyRole } from '@tracklane/api-keys';

export const ROLES = Symbol('ROLES');
export const KEY_IN_QUERY = Symbol('KEY_IN_QUERY');

/**
 * The roles whose keys may call a route (on a controller or a handler; the
 * handler wins). Routes without it are for admin keys only, so a route
 * forgotten here is closed, not open.
 */
export const Roles = (...roles: ApiKeyRole[]) => SetMetadata(ROLES, roles);

/**
 * The route also takes the key as ?api_key= — only for GET endpoints that
 * BI tools and spreadsheets fetch by URL, since a key in a URL ends up in
 * logs and histories.
 */
export const AcceptsKeyInQuery = () => SetMetadata(KEY_IN_QUERY, true);
