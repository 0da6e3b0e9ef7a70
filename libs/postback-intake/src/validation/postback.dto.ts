import { normaliseId, POSTBACK_STATUSES } from '@tracklane/contracts';
import { IsDefined, IsIn, IsISO4217CurrencyCode, IsOptional, Matches, MaxLength, ValidateBy } from 'class-validator';
import { HasAtMostFourDecimalPlaces, HasAtMostFourteenIntegerDigits, IsDecimalAmount, IsNonNegativeAmount } from './amount.rules';

function IsClickId(): PropertyDecorator {
  return ValidateBy({
    name: 'isClickId',
    validator: {
      // Presence is IsDefined's rule; this one judges only a click id that was given.
      validate: (value: unknown) => value === undefined || (typeof value === 'string' && normaliseId(value) !== null),
      defaultMessage: () => 'click_id must be the 30-character click id Tracklane added to the offer URL',
    },
  });
}

/**
 * A postback's fields after aliases and the partner mapping, before they
 * become an event. Property names are the standard parameter names, so a
 * refusal names the field as the documentation does. Limits follow
 * conversions.v1, so an accepted postback always makes a valid event.
 */
export class PostbackDto {
  @IsDefined({ message: 'click_id is required (also accepted as transaction_id, clickid, cid or subid)' })
  @IsClickId()
  click_id?: string;

  @IsOptional()
  @MaxLength(128)
  goal?: string;

  @IsOptional()
  @IsDecimalAmount()
  @IsNonNegativeAmount()
  @HasAtMostFourDecimalPlaces()
  @HasAtMostFourteenIntegerDigits()
  amount?: string;

  @IsOptional()
  @IsISO4217CurrencyCode({ message: 'currency must be an ISO 4217 currency code such as EUR or USD' })
  currency?: string;

  @IsOptional()
  @MaxLength(255)
  order_id?: string;

  @IsOptional()
  @IsIn(POSTBACK_STATUSES)
  status?: string;

  @IsOptional()
  @MaxLength(512)
  adv_sub1?: string;

  @IsOptional()
  @MaxLength(512)
  adv_sub2?: string;

  @IsOptional()
  @MaxLength(512)
  adv_sub3?: string;

  @IsOptional()
  @MaxLength(512)
  adv_sub4?: string;

  @IsOptional()
  @MaxLength(512)
  adv_sub5?: string;

  /** From the Idempotency-Key header. */
  @IsOptional()
  @Matches(/^[\x21-\x7e]{1,255}$/, { message: 'Idempotency-Key must be 1 to 255 visible ASCII characters' })
  idempotency_key?: string;
}
