import { AddressPolicy, targetOf } from '@tracklane/address-policy';
import { invalid } from '../access';
import { concreteUrl } from './url-template';

/**
 * Refuses an affiliate postback URL whose host, as written in any spelling,
 * is a special-purpose address (loopback, private, metadata, …) or a
 * local-only name, unless the operator allowed exactly that target: a 400
 * naming the field. What a name resolves to is checked again when each
 * postback is sent, as DNS answers change.
 */
export function checkPostbackTarget(policy: AddressPolicy, field: string, template: string | null | undefined): void {
  if (!template) return;
  const target = targetOf(concreteUrl(template));
  if (!target) return; // not a URL at all: the DTO's validation has said so already
  const refusal = policy.hostRefusal(target);
  if (refusal) {
    throw invalid(field, `${refusal}; postbacks go only to public hosts, or to internal targets the operator allows (POSTBACK_ALLOWED_TARGETS)`);
  }
}
