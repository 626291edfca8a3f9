import { createPhonebookRecord } from '../../domain/phonebooks/createPhonebookRecord.ts';
import { editPhonebook } from '../../domain/phonebooks/editPhonebook.ts';
import { listPhonebooks } from '../../domain/phonebooks/listPhonebooks.ts';
import { defineMethod } from '../method.ts';
import { page, pageError } from '../xml.ts';
import { ctxOf, guarded, idParam } from './devices/support.ts';

const CALLERS = ['admin', 'accountant', 'reseller', 'user'] as const;
const common = {
  family: 'phonebooks',
  identity: 'caller',
  callers: CALLERS,
  errorWrapper: pageError,
  unknownCaller: pageError('Access Denied'),
} as const;

export const phonebooksGet = defineMethod({
  ...common,
  name: 'phonebooks_get',
  aliases: ['phonebooks', 'phonebooks_api'],
  summary: "A user's phonebook: its own speed-dial records and the Global ones.",
  hash: ['user_id'],
  access: 'read',
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'user_id', required: true, description: 'user whose phonebook is listed' },
    { name: 'hash', required: true, description: 'sha1(user_id + key)' },
  ],
  run: guarded('page', async (call) => {
    const rows = await listPhonebooks(ctxOf(call), { userId: idParam(call.params, 'user_id') });
    return page({ phonebooks: { phonebook: rows.map((r) => ({ ...r })) } });
  }),
});

export const phonebookEdit = defineMethod({
  ...common,
  name: 'phonebook_edit',
  aliases: ['phonebook_edit_api'],
  summary: 'Changes a speed-dial record.',
  hash: ['phonebook_id', 'number', 'name', 'speeddial'],
  // The 2013 example and the Laravel client hash phonebook_id only: accepted when no field is sent.
  altHashes: [{ order: ['phonebook_id'] }],
  access: 'write',
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'phonebook_id', required: true, description: 'record id' },
    { name: 'number', description: 'phone number (digits)' },
    { name: 'name', description: 'record name' },
    { name: 'speeddial', description: 'speed-dial code (at least two digits)' },
    { name: 'hash', required: true, description: 'sha1(phonebook_id + number + name + speeddial + key)' },
  ],
  run: guarded('page', async (call) => {
    const p = call.params;
    await editPhonebook(ctxOf(call), {
      phonebookId: idParam(p, 'phonebook_id') ?? Number.NaN,
      number: p.get('number'),
      name: p.get('name'),
      speeddial: p.get('speeddial'),
    });
    return page({ status: 'Phonebook saved' });
  }),
});

export const phonebookRecordCreate = defineMethod({
  ...common,
  name: 'phonebook_record_create',
  summary: 'Adds a speed-dial record to a user (the admin: a Global record).',
  hash: ['user_id', 'number', 'name', 'speeddial'],
  access: 'write',
  params: [
    { name: 'u', required: true, description: 'caller username' },
    { name: 'user_id', required: true, description: 'user the record is created for' },
    { name: 'number', required: true, description: 'phone number (digits)' },
    { name: 'name', required: true, description: 'record name' },
    { name: 'speeddial', required: true, description: 'speed-dial code (at least two digits)' },
    { name: 'hash', required: true, description: 'sha1(user_id + number + name + speeddial + key)' },
  ],
  run: guarded('page', async (call) => {
    const p = call.params;
    await createPhonebookRecord(ctxOf(call), {
      userId: idParam(p, 'user_id'),
      number: p.get('number'),
      name: p.get('name'),
      speeddial: p.get('speeddial'),
    });
    return page({ status: { success: 'Record successfully added' } });
  }),
});
