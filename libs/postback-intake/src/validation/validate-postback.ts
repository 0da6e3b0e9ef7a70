import { couponCodeOf, normaliseId, PostbackStatus } from '@tracklane/contracts';
import { ConversionIdentity, PostbackParams } from '../params/read-postback';
import { FieldProblem, PostbackRefusal } from '../refusals';
import { PostbackField, POSTBACK_RULES } from './postback.rules';

/** A postback that passed validation, in the shape of a conversions.v1 event. */
export interface ValidPostback {
  /** Normalised (lower case): partners may hand it back upper-cased. null when a promo code stands in for it. */
  clickId: string | null;
  /** The promo code as posted (trimmed, NFC); codes match case-insensitively downstream. */
  couponCode: string | null;
  goal: string | null;
  amount: string | null;
  /** Upper case. */
  currency: string | null;
  orderId: string | null;
  status: PostbackStatus | null;
  advSub1: string | null;
  advSub2: string | null;
  advSub3: string | null;
  advSub4: string | null;
  advSub5: string | null;
  raw: Record<string, string>;
  idempotencyKey: string | null;
  /**
   * What identifies the conversion when no order id is sent, as the partner
   * mapping says ("click_id:<click>" or "param:<name>=<value>"); null when
   * only an order id does, or one was sent.
   */
  conversionKey: string | null;
}

type FieldValues = Record<PostbackField, string | undefined>;

/** Every rule of every field, in order; the problems name the field (and the parameter it came in as). */
function problemsOf(values: FieldValues, params: PostbackParams): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const field of Object.keys(POSTBACK_RULES) as PostbackField[]) {
    const { required, rules } = POSTBACK_RULES[field];
    const value = values[field];
    const name = field === 'idempotency_key' ? 'Idempotency-Key' : field;
    const param = field === 'idempotency_key' ? undefined : params.fields[field]?.param;
    const problem = (rule: string, reason: string) =>
      problems.push({ field: name, ...(param && param !== name ? { param } : {}), rule, reason });
    if (value === undefined) {
      if (required) problem('isDefined', required.reason);
      continue;
    }
    for (const rule of rules) if (!rule.holds(value)) problem(rule.name, rule.reason);
  }
  return problems;
}

/** Checks every field (POSTBACK_RULES) and returns the event fields; throws a 400 refusal naming every bad field. */
export function validatePostback(params: PostbackParams, idempotencyKey: string | undefined): ValidPostback {
  const { fields } = params;
  const values: FieldValues = {
    click_id: fields.click_id?.value,
    goal: fields.goal?.value,
    amount: fields.amount?.value,
    currency: fields.currency?.value.toUpperCase(),
    order_id: fields.order_id?.value,
    status: fields.status?.value.toLowerCase(),
    adv_sub1: fields.adv_sub1?.value,
    adv_sub2: fields.adv_sub2?.value,
    adv_sub3: fields.adv_sub3?.value,
    adv_sub4: fields.adv_sub4?.value,
    adv_sub5: fields.adv_sub5?.value,
    coupon_code: fields.coupon_code?.value,
    idempotency_key: idempotencyKey,
  };

  const found = problemsOf(values, params);
  const couponRefused = found.some((problem) => problem.field === 'coupon_code');
  const clickAbsent = values.click_id === undefined;
  // A code may stand in for a missing click id. Beside a good click id, a code that is no code (a partner's
  // "coupon" meaning something else) is kept as a raw parameter rather than refusing the sale.
  const raw = !clickAbsent && couponRefused && !found.some((problem) => problem.field === 'click_id') ? withRawCoupon(params) : params.raw;
  const problems = found.filter(
    (problem) =>
      !(problem.field === 'click_id' && problem.rule === 'isDefined' && values.coupon_code !== undefined) &&
      !(problem.field === 'coupon_code' && raw !== params.raw),
  );
  // Without a click, only the order (or the mapping's own key) tells a copy from a second sale.
  if (clickAbsent && values.coupon_code !== undefined && values.order_id === undefined && params.identity?.source !== 'param') {
    problems.push({ field: 'order_id', rule: 'isDefined', reason: 'order_id is required when a promo code stands in for the click id' });
  }
  if (problems.length > 0) throw PostbackRefusal.invalid(problems);

  const clickId = values.click_id === undefined ? null : normaliseId(values.click_id);
  return {
    clickId,
    couponCode: values.coupon_code === undefined || raw !== params.raw ? null : (couponCodeOf(values.coupon_code)?.code ?? null),
    goal: values.goal ?? null,
    amount: values.amount ?? null,
    currency: values.currency ?? null,
    orderId: values.order_id ?? null,
    status: (values.status as PostbackStatus | undefined) ?? null,
    advSub1: values.adv_sub1 ?? null,
    advSub2: values.adv_sub2 ?? null,
    advSub3: values.adv_sub3 ?? null,
    advSub4: values.adv_sub4 ?? null,
    advSub5: values.adv_sub5 ?? null,
    raw,
    idempotencyKey: values.idempotency_key ?? null,
    conversionKey: conversionKeyOf(params.identity, clickId),
  };
}

/** The raw parameters with the unusable code kept under the name it came as. */
function withRawCoupon(params: PostbackParams): Record<string, string> {
  const coupon = params.fields.coupon_code as { value: string; param: string };
  return { ...params.raw, [coupon.param]: coupon.value };
}

function conversionKeyOf(identity: ConversionIdentity | null, clickId: string | null): string | null {
  if (identity === null || (identity.source === 'click_id' && clickId === null)) return null;
  return identity.source === 'click_id' ? `click_id:${clickId}` : `param:${identity.name}=${identity.value}`;
}
