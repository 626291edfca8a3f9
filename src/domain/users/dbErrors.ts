/** Postgres SQLSTATE of a driver error, whichever driver (and Drizzle wrapper) raised it. */
export function sqlState(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, i = 0; e && i < 4; i++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** unique_violation: a concurrent writer took the value first. */
export const isUniqueViolation = (error: unknown) => sqlState(error) === '23505';
/** numeric_value_out_of_range: a money column would overflow numeric(20,6). */
export const isNumericOverflow = (error: unknown) => sqlState(error) === '22003';
