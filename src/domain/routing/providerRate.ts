/** SQL expressions a provider-rate lookup reads (a bound value or a column of the current row). */
export interface RateInputs {
  /** The provider tariff id. */
  tariff: string;
  /** The localized destination, digits only. */
  digits: string;
  /** The moment rates must be effective at (timestamptz). */
  at: string;
  /** Day type (`WD`/`FD`) and wall-clock time (`HH:MM:SS`) the band must cover. */
  dt: string;
  time: string;
}

/**
 * The provider (self-cost) rate of one number as a LATERAL subquery: rate_get's wholesale choice on the
 * provider tariff (the effective rate with the longest prefix of the digits, the newest effective date
 * first, undated last; every prefix length is one btree probe of `prefix = any(array)`) and its band in
 * effect (a work/free-day band before an all-days one). Answers no row when the tariff has no rate for
 * the number; else `prefix`, `rate`, `connection_fee`, `inc` (increment ≥ 1), `min_time`, the tariff's
 * `currency` and its `exchange` rate (units per system unit; null when the currency is unknown).
 */
export function providerRateLateral(e: RateInputs): string {
  return `lateral (
  select x.prefix, b.rate, b.connection_fee, greatest(b.increment_s, 1) as inc, b.min_time, t.currency,
    (select cu.exchange_rate from currencies cu where cu.name = t.currency) as exchange
  from (select rt.id, rt.prefix from rates rt
      where rt.tariff_id = ${e.tariff}
        and rt.prefix = any(array(select left(${e.digits}, n) from generate_series(1, length(${e.digits})) n))
        and (rt.effective_from is null or rt.effective_from <= ${e.at})
      order by length(rt.prefix) desc, rt.effective_from desc nulls last limit 1) x
    join tariffs t on t.id = ${e.tariff}
    join ratedetails b on b.rate_id = x.id
  where (b.daytype = '' or b.daytype = ${e.dt}) and b.start_time <= ${e.time} and ${e.time} <= b.end_time
  order by b.daytype = '', b.start_time, b.id limit 1)`;
}
