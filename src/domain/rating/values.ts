import * as v from 'valibot';

/** Longest number a prefix search accepts (MOR API v2's limit, applied to rate_get too). */
export const MAX_DIGITS = 20;

/** A non-negative decimal as a string (money and prices are never floats). */
export const Decimal = v.pipe(
  v.string(),
  v.trim(),
  v.regex(/^\d{1,14}(\.\d{1,10})?$/, 'must be a non-negative decimal like 0.05'),
);

/** A destination prefix: 1–20 digits. */
export const Prefix = v.pipe(v.string(), v.trim(), v.regex(/^\d{1,20}$/, 'must be 1-20 digits'));

/** Seconds as a non-negative integer. */
export const Seconds = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(86_400 * 366));

/** `HH:MM:SS` time of day. */
export const TimeOfDay = v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/, 'must be HH:MM:SS'));

/** '' all days, 'WD' work days, 'FD' free days (weekends). */
export const Daytype = v.picklist(['', 'WD', 'FD']);

/** ISO 8601 date-time (admin API) → Date. */
export const IsoTime = v.pipe(
  v.string(),
  v.isoTimestamp('must be an ISO 8601 date-time'),
  v.transform((s) => new Date(s)),
);

/** Digits of a dialled number or prefix; other characters are ignored. */
export const digitsOf = (s: string): string => s.replace(/\D+/g, '');
