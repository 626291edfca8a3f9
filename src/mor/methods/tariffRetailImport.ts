import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DomainError } from '../../domain/errors.ts';
import { importRetailTariff, type RetailImportResult } from '../../domain/rating/importRetailTariff.ts';
import type { RetailDestination, RetailImportReport } from '../../domain/rating/planRetailImport.ts';
import type { RawBand } from '../../domain/rating/retailBands.ts';
import { defineMethod } from '../method.ts';
import { page, pageError, statusError, type XmlNode } from '../xml.ts';

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'destination' || name === 'rates',
});

const NOT_IMPORTED = 'Tariff was not imported';
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const BAND_KEYS = [
  'rate_price',
  'rate_round_by',
  'rate_duration',
  'rate_type',
  'rate_start_time',
  'rate_end_time',
  'day_type',
] as const;

/**
 * The import document as plain data; null when it is not well-formed, has no `<tariff>` root, carries
 * a DOCTYPE (import documents have none: no entity beyond XML's five predefined ones is ever resolved,
 * internal or external) or is more deeply nested than the parser allows.
 */
function readDocument(xml: string): { id: string; name: string; destinations: RetailDestination[] } | null {
  if (/<!DOCTYPE/i.test(xml)) return null;
  let parsed: Record<string, unknown>;
  try {
    if (XMLValidator.validate(xml) !== true) return null;
    parsed = parser.parse(xml) as Record<string, unknown>;
  } catch {
    return null; // e.g. "Maximum nested tags exceeded"
  }
  const tariff = parsed.tariff;
  if (!tariff || typeof tariff !== 'object') return null;
  const t = tariff as Record<string, unknown>;
  const list = (t.destinations as { destination?: unknown[] } | undefined)?.destination ?? [];
  const destinations = list.map((d) => {
    const o = (d && typeof d === 'object' ? d : {}) as Record<string, unknown>;
    const bands = ((o.rates as unknown[]) ?? []).map((r) => {
      const b = (r && typeof r === 'object' ? r : {}) as Record<string, unknown>;
      return Object.fromEntries(BAND_KEYS.filter((k) => k in b).map((k) => [k, text(b[k])])) as RawBand;
    });
    return { groupName: text(o.destination_group_name), groupType: text(o.destination_group_type), bands };
  });
  return { id: text(t.id), name: text(t.name), destinations };
}

/** The report elements, in the order of the success answer. */
function reportXml(r: RetailImportReport): XmlNode {
  const doc: XmlNode = {};
  if (r.badDestinations.length > 0) {
    doc.bad_destinations = r.badDestinations.map((d) => ({
      destination_group_name: d.groupName,
      destination_group_type: d.groupType,
    }));
  }
  if (r.badRates.length > 0) {
    doc.destination_with_bad_rates = r.badRates.map((b) => ({
      destination_group_name: b.groupName,
      destination_group_type: b.groupType,
      ...Object.fromEntries(BAND_KEYS.map((k) => [k, b.band[k] ?? ''])),
    }));
  }
  const collisions = (list: string[]) => (list.length > 0 ? { collision_in_time_range: list } : '');
  doc.destination_with_time_collisions_in_xml = collisions(r.xmlCollisions);
  doc.destination_with_time_collisions_in_db = collisions(r.dbCollisions);
  return doc;
}

/**
 * Success: `<tariff_id>`, `<tariff_name>`, the report. All-or-nothing rejection: `<error>` first (clients
 * look for it under the root), `<tariff_id>` only when the tariff already existed, then the same elements.
 */
function answerXml(r: RetailImportResult): XmlNode {
  const id: XmlNode = r.tariffId === null ? {} : { tariff_id: r.tariffId };
  const head: XmlNode = r.imported ? id : { error: NOT_IMPORTED, ...id };
  return { ...head, tariff_name: r.tariffName, ...reportXml(r) };
}

export const tariffRetailImport = defineMethod({
  name: 'tariff_retail_import',
  aliases: ['import_relail_tariff', 'import_retail_tariff'],
  family: 'tariffs',
  summary: 'Imports a retail tariff (destination groups and their time bands) from an XML document.',
  identity: 'caller',
  hash: [],
  callers: ['admin', 'accountant', 'reseller', 'user'],
  access: 'write',
  changesRates: true,
  errorWrapper: statusError,
  params: [
    {
      name: 'u',
      required: true,
      description: 'caller username (admin, reseller, accountant with Manage Tariffs write)',
    },
    { name: 'xml', required: true, description: 'the <tariff> document (form value or uploaded file); not hashed' },
    { name: 'hash', required: true, description: 'sha1(secret key)' },
  ],
  run: async ({ ctx, params, auth }) => {
    const file = params.files.get('xml');
    const xml = file ? await file.text() : params.get('xml');
    if (xml === undefined || xml.trim() === '') return pageError('File does not exist');
    const doc = readDocument(xml);
    if (!doc) return pageError('Bad XML data');
    try {
      const partial = !auth.settings.tariffImportAllOrNothing;
      return page(answerXml(await importRetailTariff(ctx!, doc, { partial })));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return error.code === 'FORBIDDEN' ? statusError('Access Denied') : pageError(error.message);
    }
  },
});
