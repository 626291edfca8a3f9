import { invalid } from '../errors.ts';

/** Time period fields as sent (text, as the XML API receives them); absent = unchanged. */
export interface TimePeriodInput {
  name?: string;
  startHour?: string;
  endHour?: string;
  startMinute?: string;
  endMinute?: string;
  startWeekday?: string;
  endWeekday?: string;
  startMonth?: string;
  endMonth?: string;
  startDay?: string;
  endDay?: string;
}

export interface TimePeriodPatch {
  name?: string;
  startHour?: number;
  endHour?: number;
  startMinute?: number;
  endMinute?: number;
  startWeekday?: string;
  endWeekday?: string;
  startMonth?: number | null;
  endMonth?: number | null;
  startDay?: number | null;
  endDay?: number | null;
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * Each number field with its range and the page's exact refusal (typos included: `beetween`, the end
 * fields' `send_`, and `0 and 5` for end_minute); `blankable` fields accept an empty value (= any).
 */
const NUMBERS = [
  ['startHour', 0, 23, 'start_hour must be beetween 0 and 23', false],
  ['endHour', 0, 23, 'send_hour must be beetween 0 and 23', false],
  ['startMinute', 0, 59, 'start_minute must be beetween 0 and 59', false],
  ['endMinute', 0, 59, 'send_minute must be beetween 0 and 5', false],
] as const;
const OPTIONAL_NUMBERS = [
  ['startMonth', 1, 12, 'start_month must be beetween 1 and 12'],
  ['endMonth', 1, 12, 'send_month must be beetween 1 and 12'],
  ['startDay', 1, 31, 'start_day must be beetween 1 and 31'],
  ['endDay', 1, 31, 'send_day must be beetween 1 and 31'],
] as const;

const inRange = (value: string, min: number, max: number) =>
  /^\d{1,2}$/.test(value.trim()) && Number(value) >= min && Number(value) <= max;

/** Checks the sent fields in the page's order; the first failure answers its documented string. */
export function checkTimePeriod(input: TimePeriodInput): TimePeriodPatch {
  const patch: TimePeriodPatch = {};
  for (const [key, min, max, message] of NUMBERS) {
    const value = input[key];
    if (value === undefined) continue;
    if (!inRange(value, min, max)) throw invalid(key, message);
    patch[key] = Number(value);
  }
  for (const [key, label] of [
    ['startWeekday', 'start_weekday'],
    ['endWeekday', 'end_weekday'],
  ] as const) {
    const value = input[key];
    if (value === undefined) continue;
    const day = value.trim().toLowerCase();
    if (day !== '' && !WEEKDAYS.includes(day)) {
      throw invalid(key, `Valid ${label} values are mon, tue, wed, thu, fri, sat, sun`);
    }
    patch[key] = day;
  }
  for (const [key, min, max, message] of OPTIONAL_NUMBERS) {
    const value = input[key];
    if (value === undefined) continue;
    if (value.trim() === '') patch[key] = null;
    else if (!inRange(value, min, max)) throw invalid(key, message);
    else patch[key] = Number(value);
  }
  if (input.name !== undefined) {
    const name = input.name.trim();
    if (name === '') throw invalid('name', 'name value cannot be blank');
    patch.name = name.slice(0, 255);
  }
  return patch;
}
