import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/rows.ts';
import { callerAs } from '../helpers/admin.ts';
import { pageErrorXml, statusErrorXml, useTestApp, XML_DECL } from '../helpers/app.ts';
import { TEST } from '../helpers/db.ts';
import {
  createAccountant,
  createDestination,
  createDestinationGroup,
  createReseller,
  createTariff,
  createUser,
} from '../helpers/factories.ts';

const api = useTestApp();
const call = (xml: string | undefined, u = 'admin', options = {}) =>
  api.call('tariff_retail_import', xml === undefined ? { u } : { u, xml }, { as: 'form', ...options });

type B = Partial<Record<'price' | 'round' | 'type' | 'start' | 'end' | 'duration' | 'day', string>>;
const band = (
  b: B,
) => `<rates><rate_price>${b.price ?? '0.02'}</rate_price><rate_round_by>${b.round ?? '1'}</rate_round_by>
  <rate_type>${b.type ?? 'minute'}</rate_type><rate_start_time>${b.start ?? '00:00:00'}</rate_start_time>
  <rate_end_time>${b.end ?? '23:59:59'}</rate_end_time><rate_duration>${b.duration ?? '-1'}</rate_duration>
  <day_type>${b.day ?? ''}</day_type></rates>`;
const dest = (group: string, type: string, ...bands: string[]) =>
  `<destination><direction/><destination_group_name>${group}</destination_group_name>
  <destination_group_type>${type}</destination_group_type>${bands.join('')}</destination>`;
const doc = (id: string, name: string, ...destinations: string[]) =>
  `<tariff><name>${name}</name><id>${id}</id><destinations>${destinations.join('')}</destinations></tariff>`;
const EMPTY_COLLISIONS =
  '  <destination_with_time_collisions_in_xml></destination_with_time_collisions_in_xml>\n' +
  '  <destination_with_time_collisions_in_db></destination_with_time_collisions_in_db>\n';
const idOf = (body: string) => /<tariff_id>(\d+)</.exec(body)?.[1] ?? '';
const bandsOf = (tariffId: string) =>
  queryRows<{ g: string; from: number; duration: number; price: string; daytype: string }>(
    api.handle.db,
    sql`select g.name as g, a."from", a.duration, a.price::text as price, a.daytype from rates r
      join destinationgroups g on g.id = r.destinationgroup_id join aratedetails a on a.rate_id = r.id
      where r.tariff_id = ${Number(tariffId)} order by g.name, a.daytype, a.start_time, a."from"`,
  );

/** Everything an import may touch: row counts, every tariff and every stored band. */
const snapshot = async () => ({
  counts: await queryRows(
    api.handle.db,
    sql`select (select count(*) from tariffs)::int as tariffs, (select count(*) from rates)::int as rates,
      (select count(*) from aratedetails)::int as aratedetails, (select count(*) from actions)::int as actions`,
  ),
  tariffs: await queryRows(api.handle.db, sql`select * from tariffs order by id`),
  bands: await queryRows(api.handle.db, sql`select * from aratedetails order by id`),
});
const REJECTED = `${XML_DECL}\n<page>\n  <error>Tariff was not imported</error>\n`;
const badDestination = (group: string, type: string) =>
  `  <bad_destinations>\n    <destination_group_name>${group}</destination_group_name>\n    <destination_group_type>${type}</destination_group_type>\n  </bad_destinations>\n`;
const setAllOrNothing = async (on: boolean) =>
  (await callerAs(api, TEST.adminUsername)).settings.update({ tariffImportAllOrNothing: on });

beforeAll(async () => {
  for (const [name, type, prefix] of [
    ['Afghanistan', 'FIX', '93'],
    ['Albania MOB', 'MOB', '35568'],
  ] as const) {
    const g = await createDestinationGroup(api.handle, name, type);
    await createDestination(api.handle, { prefix, groupId: g.id });
  }
  await createDestinationGroup(api.handle, 'Empty', 'FIX');
});

describe('tariff_retail_import', () => {
  it('creates a retail tariff from the documented example; bands follow each other (RD1 + RD2)', async () => {
    const xml = doc(
      '2',
      'Test Tariff',
      dest('Afghanistan', 'FIX', band({ duration: '300', day: 'WD' }), band({ price: '0.01', day: 'WD' })),
    );
    const res = await call(xml, 'admin', { hash: 'e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4' });
    const id = idOf(res.body);
    expect(res.body).toBe(
      `${XML_DECL}\n<page>\n  <tariff_id>${id}</tariff_id>\n  <tariff_name>Test Tariff</tariff_name>\n${EMPTY_COLLISIONS}</page>\n`,
    );
    expect(await bandsOf(id)).toEqual([
      { g: 'Afghanistan', from: 1, duration: 300, price: '0.02', daytype: 'WD' },
      { g: 'Afghanistan', from: 301, duration: -1, price: '0.01', daytype: 'WD' },
    ]);
  });

  it('is served under import_relail_tariff and import_retail_tariff, with the xml as an uploaded file', async () => {
    const xml = doc('x', 'Alias A', dest('Afghanistan', 'FIX', band({})));
    expect((await call(xml)).body).toContain('<tariff_name>Alias A</tariff_name>');
    for (const alias of ['import_relail_tariff', 'import_retail_tariff']) {
      const res = await api.call(
        alias,
        { u: 'admin', xml: doc('x', `Via ${alias}`, dest('Afghanistan', 'FIX', band({}))) },
        { as: 'multipart' },
      );
      expect(res.body).toContain(`<tariff_name>Via ${alias}</tariff_name>`);
    }
  });

  it('answers Bad XML data, never a 500, to a DOCTYPE with entities and to 100,000 nested tags', async () => {
    const ok = dest('Afghanistan', 'FIX', band({}));
    const external = `<?xml version="1.0"?>\n<!DOCTYPE tariff [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n${doc('x', '&xxe;', ok)}`;
    const internal = `<!DOCTYPE tariff [<!ENTITY big "${'x'.repeat(100)}">]>${doc('x', '&big;', ok)}`;
    const deep = `<tariff>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</tariff>`;
    const before = await snapshot();
    for (const bad of [external, internal, deep]) {
      const res = await call(bad);
      expect([res.status, res.body]).toEqual([200, pageErrorXml('Bad XML data')]);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('answers the documented errors and writes nothing', async () => {
    const ok = dest('Afghanistan', 'FIX', band({}));
    const retailId = idOf((await call(doc('n', 'Named', ok))).body);
    const wholesale = await createTariff(api.handle, { name: 'WS' });
    expect((await call(undefined)).body).toBe(pageErrorXml('File does not exist'));
    expect((await call('  ')).body).toBe(pageErrorXml('File does not exist'));
    for (const bad of [
      '<tariff><name>x</name>',
      '<other/>',
      doc('', 'x', ok),
      doc('1', '', ok),
      doc(String(wholesale.id), 'WS', ok),
    ]) {
      expect((await call(bad)).body).toBe(pageErrorXml('Bad XML data'));
    }
    expect((await call(doc(retailId, 'Other name', ok))).body).toBe(
      pageErrorXml('TARIFF NAME WITH THIS ID DO NOT MATCH !!!FOUND Named'),
    );
    expect((await call(doc('999999', 'Named', ok))).body).toBe(
      pageErrorXml(`TARIFF with same name exists, ID:${retailId}!!! CHANGE NAME OR ID`),
    );
    expect((await call(doc('999999', 'Nothing', ''))).body).toBe(pageErrorXml('No destinations!'));
    expect((await call('<tariff><name>N</name><id>9</id></tariff>')).body).toBe(pageErrorXml('No destinations!'));
  });

  it('refuses users and accountants without Manage Tariffs write; cross-tenant ids belong to other user', async () => {
    const ok = dest('Afghanistan', 'FIX', band({}));
    const user = await createUser(api.handle);
    const reader = await createAccountant(api.handle, { tariffs_manage: 1 });
    expect((await call(doc('n', 'U', ok), user.username)).body).toBe(statusErrorXml('Access Denied'));
    expect((await call(doc('n', 'A', ok), reader.username)).body).toBe(statusErrorXml('Access Denied'));
    const writer = await createAccountant(api.handle, { tariffs_manage: 2 });
    expect((await call(doc('n', 'By accountant', ok), writer.username)).body).toContain(
      '<tariff_name>By accountant</tariff_name>',
    );
    expect((await call(doc('n', 'Wrong hash', ok), 'admin', { hash: 'f'.repeat(40) })).body).toBe(
      statusErrorXml('Incorrect hash'),
    );
    const a = await createReseller(api.handle, 'ra-key-123');
    const b = await createReseller(api.handle, 'rb-key-123');
    const mine = idOf((await call(doc('n', 'Mine', ok), a.username, { key: 'ra-key-123' })).body);
    expect(mine).not.toBe('');
    expect((await call(doc(mine, 'Mine', ok), b.username, { key: 'rb-key-123' })).body).toBe(
      pageErrorXml('Tariff belongs to other user!'),
    );
  });
});

describe('tariff_retail_import with tariff_import_all_or_nothing on', () => {
  beforeAll(async () => {
    await setAllOrNothing(true);
  });
  afterAll(async () => {
    await setAllOrNothing(false);
  });

  it('rejects a new tariff with one bad destination among good ones: exact answer, nothing written', async () => {
    const xml = doc(
      'new',
      'R&amp;D &lt;strict&gt;',
      dest('Afghanistan', 'FIX', band({ duration: '300' }), band({ price: '0.01' })),
      dest('Atlantis', 'FIX', band({})),
      dest('Albania MOB', 'MOB', band({ price: '0.3' })),
    );
    const before = await snapshot();
    const res = await call(xml);
    expect(res.body).toBe(
      `${REJECTED}  <tariff_name>R&amp;D &lt;strict&gt;</tariff_name>\n${badDestination('Atlantis', 'FIX')}${EMPTY_COLLISIONS}</page>\n`,
    );
    expect(await snapshot()).toEqual(before);
    const fixed = await call(
      doc('new', 'R&amp;D &lt;strict&gt;', dest('Afghanistan', 'FIX', band({})), dest('Albania MOB', 'MOB', band({}))),
    );
    expect(fixed.body).toBe(
      `${XML_DECL}\n<page>\n  <tariff_id>${idOf(fixed.body)}</tariff_id>\n  <tariff_name>R&amp;D &lt;strict&gt;</tariff_name>\n${EMPTY_COLLISIONS}</page>\n`,
    );
    expect((await bandsOf(idOf(fixed.body))).map((b) => b.g)).toEqual(['Afghanistan', 'Albania MOB']);
  });

  it('rejects a document for an existing tariff: its id is answered, its stored bands stay identical', async () => {
    const first = await call(
      doc(
        'n',
        'Kept',
        dest('Afghanistan', 'FIX', band({ duration: '300' }), band({ price: '0.01' })),
        dest('Albania MOB', 'MOB', band({ price: '0.3', day: 'WD' }), band({ price: '0.2', day: 'FD' })),
      ),
    );
    const id = idOf(first.body);
    expect(id).not.toBe('');
    const stored = await bandsOf(id);
    const before = await snapshot();
    const res = await call(
      doc(
        id,
        'Kept',
        dest('Afghanistan', 'FIX', band({ price: '0.5' })),
        dest('Atlantis', 'FIX', band({})),
        dest('Albania MOB', 'MOB', band({ price: '0.9', day: 'WD' })),
      ),
    );
    expect(res.body).toBe(
      `${REJECTED}  <tariff_id>${id}</tariff_id>\n  <tariff_name>Kept</tariff_name>\n${badDestination('Atlantis', 'FIX')}${EMPTY_COLLISIONS}</page>\n`,
    );
    expect(await snapshot()).toEqual(before);
    expect(await bandsOf(id)).toEqual(stored);
  });

  it('rejects a document whose only problem is one bad band', async () => {
    const before = await snapshot();
    const res = await call(
      doc(
        'n',
        'One bad band',
        dest('Afghanistan', 'FIX', band({ day: 'WD' }), band({ round: '0', day: 'FD' })),
        dest('Albania MOB', 'MOB', band({})),
      ),
    );
    expect(res.body).toBe(
      `${REJECTED}  <tariff_name>One bad band</tariff_name>\n` +
        '  <destination_with_bad_rates>\n    <destination_group_name>Afghanistan</destination_group_name>\n' +
        '    <destination_group_type>FIX</destination_group_type>\n    <rate_price>0.02</rate_price>\n' +
        '    <rate_round_by>0</rate_round_by>\n    <rate_duration>-1</rate_duration>\n    <rate_type>minute</rate_type>\n' +
        '    <rate_start_time>00:00:00</rate_start_time>\n    <rate_end_time>23:59:59</rate_end_time>\n' +
        `    <day_type>FD</day_type>\n  </destination_with_bad_rates>\n${EMPTY_COLLISIONS}</page>\n`,
    );
    expect(await snapshot()).toEqual(before);
  });

  it('rejects a document whose only problem is a time collision inside the xml', async () => {
    const before = await snapshot();
    const res = await call(
      doc(
        'n',
        'Collides in xml',
        dest(
          'Afghanistan',
          'FIX',
          band({ start: '08:00:00', end: '20:00:00', day: 'WD' }),
          band({ start: '12:00:00', day: 'WD' }),
        ),
        dest('Albania MOB', 'MOB', band({})),
      ),
    );
    expect(res.body).toBe(
      `${REJECTED}  <tariff_name>Collides in xml</tariff_name>\n` +
        '  <destination_with_time_collisions_in_xml>\n    <collision_in_time_range>Afghanistan: WD 08:00:00-20:00:00 overlaps WD 12:00:00-23:59:59</collision_in_time_range>\n' +
        '  </destination_with_time_collisions_in_xml>\n  <destination_with_time_collisions_in_db></destination_with_time_collisions_in_db>\n</page>\n',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('rejects a document whose only problem is a time collision with the stored bands', async () => {
    const id = idOf((await call(doc('n', 'Collides in db', dest('Afghanistan', 'FIX', band({ price: '0.1' }))))).body);
    const stored = await bandsOf(id);
    const before = await snapshot();
    const res = await call(
      doc(
        id,
        'Collides in db',
        dest('Afghanistan', 'FIX', band({ price: '0.9', day: 'WD' })),
        dest('Albania MOB', 'MOB', band({ price: '0.5' })),
      ),
    );
    expect(res.body).toBe(
      `${REJECTED}  <tariff_id>${id}</tariff_id>\n  <tariff_name>Collides in db</tariff_name>\n` +
        '  <destination_with_time_collisions_in_xml></destination_with_time_collisions_in_xml>\n' +
        '  <destination_with_time_collisions_in_db>\n    <collision_in_time_range>Afghanistan: WD 00:00:00-23:59:59 overlaps ALL 00:00:00-23:59:59</collision_in_time_range>\n' +
        '  </destination_with_time_collisions_in_db>\n</page>\n',
    );
    expect(await snapshot()).toEqual(before);
    expect(await bandsOf(id)).toEqual(stored);
  });

  it('still imports a clean document into an existing tariff, replacing identical windows', async () => {
    const id = idOf((await call(doc('n', 'Clean again', dest('Afghanistan', 'FIX', band({ price: '0.1' }))))).body);
    const res = await call(
      doc(
        id,
        'Clean again',
        dest('Afghanistan', 'FIX', band({ price: '0.2' })),
        dest('Albania MOB', 'MOB', band({ price: '0.5' })),
      ),
    );
    expect(res.body).toBe(
      `${XML_DECL}\n<page>\n  <tariff_id>${id}</tariff_id>\n  <tariff_name>Clean again</tariff_name>\n${EMPTY_COLLISIONS}</page>\n`,
    );
    expect((await bandsOf(id)).map((b) => `${b.g}=${b.price}`)).toEqual(['Afghanistan=0.2', 'Albania MOB=0.5']);
  });
});

describe('tariff_retail_import, partial by default (spec Behaviour 5, as MOR)', () => {
  it('reports bad destinations, bad bands (echoed as sent) and collisions, importing the rest', async () => {
    const xml = doc(
      'new',
      'Reported',
      dest('Atlantis', 'FIX', band({})),
      dest('Empty', 'FIX', band({})),
      dest(
        'Afghanistan',
        'FIX',
        band({ type: 'minutes', day: 'WD' }),
        band({ start: '08:00:00', end: '20:00:00', day: 'WD' }),
        band({ start: '12:00:00', day: 'WD' }),
      ),
      dest('Albania MOB', 'MOB', band({ price: '0.3' })),
    );
    const res = await call(xml);
    const id = idOf(res.body);
    expect(res.body).toBe(
      `${XML_DECL}\n<page>\n  <tariff_id>${id}</tariff_id>\n  <tariff_name>Reported</tariff_name>\n${badDestination('Atlantis', 'FIX')}${badDestination('Empty', 'FIX')}` +
        '  <destination_with_bad_rates>\n    <destination_group_name>Afghanistan</destination_group_name>\n' +
        '    <destination_group_type>FIX</destination_group_type>\n    <rate_price>0.02</rate_price>\n' +
        '    <rate_round_by>1</rate_round_by>\n    <rate_duration>-1</rate_duration>\n    <rate_type>minutes</rate_type>\n' +
        '    <rate_start_time>00:00:00</rate_start_time>\n    <rate_end_time>23:59:59</rate_end_time>\n' +
        '    <day_type>WD</day_type>\n  </destination_with_bad_rates>\n' +
        '  <destination_with_time_collisions_in_xml>\n    <collision_in_time_range>Afghanistan: WD 08:00:00-20:00:00 overlaps WD 12:00:00-23:59:59</collision_in_time_range>\n' +
        '  </destination_with_time_collisions_in_xml>\n  <destination_with_time_collisions_in_db></destination_with_time_collisions_in_db>\n</page>\n',
    );
    expect(await bandsOf(id)).toEqual([{ g: 'Albania MOB', from: 1, duration: -1, price: '0.3', daytype: '' }]);
  });

  it('replaces an identical stored window and refuses overlapping or mixed day types against the database', async () => {
    const first = await call(doc('n', 'Stored', dest('Afghanistan', 'FIX', band({ price: '0.1' }))));
    const id = idOf(first.body);
    const again = await call(
      doc(
        id,
        'Stored',
        dest('Afghanistan', 'FIX', band({ price: '0.2' })),
        dest('Albania MOB', 'MOB', band({ price: '0.5' })),
      ),
    );
    expect(again.body).toContain(EMPTY_COLLISIONS);
    const mixed = await call(doc(id, 'Stored', dest('Afghanistan', 'FIX', band({ price: '0.9', day: 'WD' }))));
    expect(mixed.body).toContain(
      '<collision_in_time_range>Afghanistan: WD 00:00:00-23:59:59 overlaps ALL 00:00:00-23:59:59</collision_in_time_range>',
    );
    expect(mixed.body).not.toContain('<error>');
    expect(idOf(mixed.body)).toBe(id);
    expect((await bandsOf(id)).map((b) => `${b.g}=${b.price}`)).toEqual(['Afghanistan=0.2', 'Albania MOB=0.5']);
  });

  it('is all-or-nothing only while the setting is on', async () => {
    const bad = doc('n', 'Toggled', dest('Afghanistan', 'FIX', band({})), dest('Atlantis', 'FIX', band({})));
    expect(idOf((await call(bad)).body)).not.toBe('');
    await setAllOrNothing(true);
    try {
      const res = await call(
        doc('n', 'Toggled on', dest('Afghanistan', 'FIX', band({})), dest('Atlantis', 'FIX', band({}))),
      );
      expect(res.body.startsWith(REJECTED)).toBe(true);
    } finally {
      await setAllOrNothing(false);
    }
    const again = await call(
      doc('n', 'Toggled off', dest('Afghanistan', 'FIX', band({})), dest('Atlantis', 'FIX', band({}))),
    );
    expect(again.body).not.toContain('<error>');
    expect((await bandsOf(idOf(again.body))).map((b) => b.g)).toEqual(['Afghanistan']);
  });
});
