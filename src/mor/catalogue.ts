import type { MethodDef } from './method.ts';
import { METHODS } from './registry.ts';
import type { XmlNode } from './xml.ts';

/** One method as the catalogue shows it (beyond MOR: for integrators). */
export interface CatalogueEntry {
  name: string;
  aliases: string[];
  family: string;
  summary: string;
  paths: string[];
  callers: string[];
  hash: string[] | null;
  hashString: string | null;
  params: { name: string; required: boolean; description: string }[];
}

const describe = (m: MethodDef): CatalogueEntry => ({
  name: m.name,
  aliases: [...(m.aliases ?? [])],
  family: m.family,
  summary: m.summary,
  paths: [m.name, ...(m.aliases ?? [])].flatMap((n) => [`/billing/api/${n}`, `/api/${n}`]),
  callers: m.identity === 'caller' ? [...m.callers] : [],
  hash: m.hash === null ? null : [...m.hash],
  hashString: m.hash === null ? null : `sha1(${[...m.hash, 'secret_key'].join(' + ')})`,
  params: m.params.map((p) => ({ name: p.name, required: p.required ?? false, description: p.description })),
});

export const catalogue = (): CatalogueEntry[] => METHODS.map(describe);

/** The catalogue as an XML element tree. */
export function catalogueXml(): XmlNode {
  return {
    methods: {
      method: catalogue().map((m) => ({
        name: m.name,
        family: m.family,
        summary: m.summary,
        aliases: { alias: m.aliases },
        callers: { caller: m.callers },
        hash: m.hash === null ? 'none' : { param: [...m.hash, 'secret_key'] },
        params: {
          param: m.params.map((p) => ({ name: p.name, required: p.required ? '1' : '0', description: p.description })),
        },
      })),
    },
  };
}
