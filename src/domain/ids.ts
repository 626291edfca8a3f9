import * as v from 'valibot';

/** Largest Postgres `integer`: bigger ids are a bad request, not a database error. */
const MAX_ID = 2_147_483_647;

/** A row id (identity columns start at 1). */
export const RowId = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_ID));

/** A user id: 0 is the admin, as MOR numbers it. */
export const UserId = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_ID));

/** A reference where 0 means "none" (as MOR stores it) or the admin. */
export const IdOrZero = UserId;
