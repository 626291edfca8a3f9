import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/rows.ts';
import type { Ctx } from '../ctx.ts';
import { invalid } from '../errors.ts';
import { isUniqueViolation } from '../users/dbErrors.ts';

/** The messages tariff_wholesale_update documents (ours, spec Behaviour 4), shared by the admin API. */
export const TARIFF_MESSAGES = {
  emptyName: 'Tariff name cannot be empty',
  duplicateName: 'Tariff name must be unique',
  unknownCurrency: 'Tariff currency was not found',
} as const;

/**
 * Checks a tariff's name and currency before a create (`exceptId` null) or an update, in one query:
 * names are unique per owner, currencies must exist. Returns every failing rule, in documented order.
 */
export async function checkTariffFields(
  ctx: Pick<Ctx, 'db'>,
  ownerId: number,
  fields: { name?: string; currency?: string },
  exceptId: number | null,
): Promise<string[]> {
  const problems: string[] = [];
  const creating = exceptId === null;
  if ((creating && fields.name === undefined) || (fields.name !== undefined && fields.name.trim() === '')) {
    problems.push(TARIFF_MESSAGES.emptyName);
  }
  const [row] = await queryRows<{ taken: boolean; currency: boolean }>(
    ctx.db,
    sql`select
      exists (select 1 from tariffs where owner_id = ${ownerId}::int and name = ${fields.name ?? ''}::text
        and id <> ${exceptId ?? -1}::int) as taken,
      ${fields.currency ?? null}::text is null or exists (select 1 from currencies where name = ${fields.currency ?? null}::text)
        as currency`,
  );
  if (fields.name !== undefined && fields.name.trim() !== '' && row?.taken)
    problems.push(TARIFF_MESSAGES.duplicateName);
  if (!row?.currency) problems.push(TARIFF_MESSAGES.unknownCurrency);
  return problems;
}

/**
 * For the tariff write after checkTariffFields passed: a concurrent writer took the name meanwhile and
 * the unique index (owner, name) refused the row. Answers what a sequential duplicate gets, built by
 * `refuse` from the problems (default: INVALID `tariff`, as createTariff and updateTariff answer).
 */
export function nameTakenMeanwhile(refuse: (problems: string[]) => Error = (p) => invalid('tariff', p.join('; '))) {
  return (error: unknown): never => {
    if (isUniqueViolation(error)) throw refuse([TARIFF_MESSAGES.duplicateName]);
    throw error;
  };
}
