import { ValidationOptions } from 'class-validator';
import { checkedBy } from './checked';

/**
 * ISO 4217 codes of currencies in circulation (list one, without funds,
 * precious metals and test codes). Kept here rather than read from Intl,
 * whose list changes with the ICU version of each Node release.
 */
export const ISO_4217_CURRENCIES: ReadonlySet<string> = new Set(
  (
    'AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD ' +
    'CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD ' +
    'GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT ' +
    'LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR ' +
    'NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP ' +
    'STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD ' +
    'XCG XOF XPF YER ZAR ZMW ZWG'
  ).split(' '),
);

export function currencyProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a string';
  return ISO_4217_CURRENCIES.has(value) ? null : 'must be an ISO 4217 currency code in capitals, such as "USD" or "EUR"';
}

export const IsCurrencyCode = (options?: ValidationOptions) => checkedBy('isCurrencyCode', currencyProblem, options);
