import { invalid } from '../../domain/errors.ts';
import { addNumbers } from '../../domain/numberPools/addNumbers.ts';
import { createNumberPool } from '../../domain/numberPools/createNumberPool.ts';
import { deleteNumberPool } from '../../domain/numberPools/deleteNumberPool.ts';
import { deleteNumbers } from '../../domain/numberPools/deleteNumbers.ts';
import {
  type ListNumberPools,
  listNumberPools,
  type NumberPoolView,
} from '../../domain/numberPools/listNumberPools.ts';
import { updateNumberPool } from '../../domain/numberPools/updateNumberPool.ts';
import { defineMethod } from '../method.ts';
import type { Params } from '../params.ts';
import { page, pageStatusError, pageStatusSuccess, type XmlNode } from '../xml.ts';
import { ctxOf, guarded, idParam } from './devices/support.ts';

const common = {
  family: 'number pools',
  identity: 'caller',
  callers: ['admin', 'accountant', 'reseller', 'user'],
  errorWrapper: pageStatusError,
  unknownCaller: pageStatusError('Access Denied'),
} as const;

/** `1,3,4` → ids (digits only), else null. */
const idList = (value: string): number[] | null =>
  /^\d{1,9}(,\d{1,9})*$/.test(value.replaceAll(' ', '')) ? value.replaceAll(' ', '').split(',').map(Number) : null;

/** number_pools_get's optional parameters, each refused with its own text when malformed. */
function listOptions(params: Params): ListNumberPools {
  const show = params.value('show_numbers');
  if (show !== undefined && show !== '1') throw invalid('show_numbers', 'show_numbers must be 1');
  const rows = params.value('number_limit_row_count');
  if (rows !== undefined && !(/^\d{1,9}$/.test(rows) && Number(rows) > 0)) {
    throw invalid('row_count', 'number_limit_row_count must be integer value higher than 0');
  }
  const offset = params.value('number_limit_offset');
  if (offset !== undefined && !/^\d{1,9}$/.test(offset)) {
    throw invalid('offset', 'number_limit_offset must be integer value higher than or equal to 0');
  }
  const userIds = params.value('user_ids');
  const list = userIds === undefined || userIds === 'all' ? userIds : idList(userIds);
  if (list === null) throw invalid('user_ids', 'user_ids is invalid');
  return {
    numberPoolId: idParam(params, 'number_pool_id'),
    showNumbers: show === '1',
    limit: rows === undefined ? undefined : Number(rows),
    offset: offset === undefined ? undefined : Number(offset),
    userIds: list,
  };
}

function poolXml(p: NumberPoolView): XmlNode {
  const node: XmlNode = {
    id: p.id,
    name: p.name,
    comment: p.comment,
    owner_id: p.ownerId,
    numbers_count: p.numbersCount,
  };
  if (p.numbers) node.numbers = { number: p.numbers.map((n) => ({ id: n.id, number: n.number })) };
  if (p.users) node.users = { user: p.users.map((u) => ({ id: u.id, username: u.username, list_type: u.listType })) };
  return node;
}

export const numberPoolsGet = defineMethod({
  ...common,
  name: 'number_pools_get',
  summary: "The caller's realm's number pools (a reseller: its own) by id, optionally with numbers and list users.",
  hash: [],
  access: 'read',
  params: [
    { name: 'u', required: true, description: 'caller username (admin, accountant, reseller)' },
    { name: 'number_pool_id', description: 'only this pool' },
    { name: 'show_numbers', description: '1: include the numbers (ordered by number; # shown as stored _)' },
    { name: 'number_limit_row_count', description: 'with show_numbers: how many numbers per pool (> 0)' },
    { name: 'number_limit_offset', description: 'with show_numbers: numbers to skip (>= 0)' },
    { name: 'user_ids', description: 'all or 1,3,4: users having the pool as static Blacklist/Whitelist' },
    { name: 'hash', required: true, description: 'sha1(key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    const pools = await listNumberPools(ctxOf(call), listOptions(call.params));
    return page({ status: { number_pools: { number_pool: pools.map(poolXml) } } });
  }),
});

export const numberPoolCreate = defineMethod({
  ...common,
  name: 'number_pool_create',
  summary: "Creates a number pool owned by the caller's realm.",
  // The latest page lists `u` as hashed while its example is sha1(key): both are accepted.
  hash: [],
  altHashes: [{ order: ['u'] }],
  access: 'write',
  params: [
    { name: 'u', required: true, description: 'caller username; the pool owner (admin realm or the reseller)' },
    { name: 'name', required: true, description: 'pool name, unique per owner' },
    { name: 'comment', description: 'free text' },
    { name: 'hash', required: true, description: 'sha1(key), or sha1(u + key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    const { numberPoolId } = await createNumberPool(ctxOf(call), {
      name: call.params.get('name'),
      comment: call.params.get('comment'),
    });
    return page({ status: { success: 'Number Pool created', number_pool_id: numberPoolId } });
  }),
});

export const numberPoolUpdate = defineMethod({
  ...common,
  name: 'number_pool_update',
  summary: "Changes a pool's sent name and/or comment.",
  hash: [],
  altHashes: [{ order: ['u', 'number_pool_id'] }],
  access: 'write',
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'number_pool_id', required: true, description: 'pool to change' },
    { name: 'name', description: 'new name, unique per owner' },
    { name: 'comment', description: 'new comment' },
    { name: 'hash', required: true, description: 'sha1(key), or sha1(u + number_pool_id + key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    await updateNumberPool(ctxOf(call), {
      numberPoolId: idParam(call.params, 'number_pool_id'),
      name: call.params.get('name'),
      comment: call.params.get('comment'),
    });
    return pageStatusSuccess('Number Pool updated');
  }),
});

export const numberPoolDelete = defineMethod({
  ...common,
  name: 'number_pool_delete',
  summary: 'Deletes a pool no device uses, with its numbers.',
  // No page: the public client hashes number_pool_id; the siblings hash the key only or u + number_pool_id.
  hash: [],
  altHashes: [{ order: ['number_pool_id'] }, { order: ['u', 'number_pool_id'] }],
  access: 'write',
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'number_pool_id', required: true, description: 'pool to delete' },
    {
      name: 'hash',
      required: true,
      description: 'sha1(key), sha1(number_pool_id + key) or sha1(u + number_pool_id + key)',
    },
  ],
  run: guarded('pageStatus', async (call) => {
    await deleteNumberPool(ctxOf(call), { numberPoolId: idParam(call.params, 'number_pool_id') });
    return pageStatusSuccess('Number Pool deleted');
  }),
});

export const numberPoolNumbersCreate = defineMethod({
  ...common,
  name: 'number_pool_numbers_create',
  summary: 'Adds comma-separated numbers/patterns to a pool (# stored as _, % a wildcard, duplicates skipped).',
  hash: [],
  altHashes: [{ order: ['u', 'number_pool_id'] }],
  access: 'write',
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'number_pool_id', required: true, description: 'target pool' },
    {
      name: 'numbers',
      required: true,
      description: 'comma-separated, each of 0-9 a-z A-Z # % (leading + allowed); URL-encode % # +',
    },
    { name: 'hash', required: true, description: 'sha1(key), or sha1(u + number_pool_id + key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    await addNumbers(ctxOf(call), {
      numberPoolId: idParam(call.params, 'number_pool_id'),
      numbers: call.params.get('numbers'),
    });
    return pageStatusSuccess("Number Pool's Numbers created");
  }),
});

export const numberPoolNumbersDelete = defineMethod({
  ...common,
  name: 'number_pool_numbers_delete',
  summary: "Deletes a pool's numbers: all, or by ids and/or exact values.",
  hash: [],
  altHashes: [{ order: ['u', 'number_pool_id'] }],
  access: 'write',
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'number_pool_id', required: true, description: 'pool' },
    { name: 'delete_all', description: '1: every number of the pool (wins over the others)' },
    { name: 'number_ids', description: 'number ids, comma-separated' },
    { name: 'numbers', description: 'numbers as stored (# matches _), comma-separated' },
    { name: 'hash', required: true, description: 'sha1(key), or sha1(u + number_pool_id + key)' },
  ],
  run: guarded('pageStatus', async (call) => {
    const ids = call.params.value('number_ids');
    const numbers = call.params.value('numbers');
    await deleteNumbers(ctxOf(call), {
      numberPoolId: idParam(call.params, 'number_pool_id'),
      deleteAll: call.params.value('delete_all') === '1',
      numberIds: ids === undefined ? undefined : (idList(ids) ?? []),
      numbers: numbers?.split(','),
    });
    return pageStatusSuccess("Number Pool's selected Numbers deleted");
  }),
});
