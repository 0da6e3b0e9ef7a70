import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Principal } from '@tracklane/api-keys';

export interface AuthenticatedRequest {
  principal?: Principal;
}

/** The principal the guard established for this request. */
export const Caller = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('Caller used on a route without ApiKeyGuard');
  return principal;
});
