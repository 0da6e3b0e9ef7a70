import { normaliseId, PostbackStatus } from '@tracklane/contracts';
import { validateSync, ValidatorOptions } from 'class-validator';
import { PostbackParams } from '../params/read-postback';
import { FieldProblem, PostbackRefusal } from '../refusals';
import { PostbackDto } from './postback.dto';

/** A postback that passed validation, in the shape of a conversions.v1 event. */
export interface ValidPostback {
  /** Normalised (lower case): partners may hand it back upper-cased. */
  clickId: string;
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
}

const OPTIONS: ValidatorOptions = {
  validationError: { target: false, value: false },
  forbidUnknownValues: true,
};

/** Validates with class-validator and returns the event fields; throws a 400 refusal naming every bad field. */
export function validatePostback(params: PostbackParams, idempotencyKey: string | undefined): ValidPostback {
  const { fields } = params;
  const dto = new PostbackDto();
  dto.click_id = fields.click_id?.value;
  dto.goal = fields.goal?.value;
  dto.amount = fields.amount?.value;
  dto.currency = fields.currency?.value.toUpperCase();
  dto.order_id = fields.order_id?.value;
  dto.status = fields.status?.value.toLowerCase();
  dto.adv_sub1 = fields.adv_sub1?.value;
  dto.adv_sub2 = fields.adv_sub2?.value;
  dto.adv_sub3 = fields.adv_sub3?.value;
  dto.adv_sub4 = fields.adv_sub4?.value;
  dto.adv_sub5 = fields.adv_sub5?.value;
  dto.idempotency_key = idempotencyKey;

  const errors = validateSync(dto, OPTIONS);
  if (errors.length > 0) {
    const problems: FieldProblem[] = errors.flatMap((error) => {
      const field = error.property === 'idempotency_key' ? 'Idempotency-Key' : error.property;
      const param = fields[error.property as keyof typeof fields]?.param;
      // class-validator lists a property's constraints bottom-up; report them in declaration order.
      return Object.entries(error.constraints ?? {}).reverse().map(([rule, reason]) => ({
        field,
        ...(param && param !== field ? { param } : {}),
        rule,
        reason,
      }));
    });
    throw PostbackRefusal.invalid(problems);
  }

  return {
    clickId: normaliseId(dto.click_id as string) as string,
    goal: dto.goal ?? null,
    amount: dto.amount ?? null,
    currency: dto.currency ?? null,
    orderId: dto.order_id ?? null,
    status: (dto.status as PostbackStatus | undefined) ?? null,
    advSub1: dto.adv_sub1 ?? null,
    advSub2: dto.adv_sub2 ?? null,
    advSub3: dto.adv_sub3 ?? null,
    advSub4: dto.adv_sub4 ?? null,
    advSub5: dto.adv_sub5 ?? null,
    raw: params.raw,
    idempotencyKey: dto.idempotency_key ?? null,
  };
}
