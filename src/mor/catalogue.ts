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

/**
 * The hash as integrators read it: a parameter skipped when another is sent (`hashUnless`) is shown
 * beside the one it stands in for, and each alternative digest with the condition it is accepted under.
 */
function hashText(m: MethodDef): string | null {
  if (m.hash === null) return null;
  const unless = m.hashUnless ?? {};
  const documented = m.hash.filter((name) => unless[name] === undefined);
  const terms = documented.map((name) => {
    const standIns = Object.keys(unless).filter((other) => unless[other] === name);
    return standIns.length ? `${name} (or ${standIns.join(', ')})` : name;
  });
  const sha = (names: readonly string[]) => `sha1(${[...names, 'secret_key'].join(' + ')})`;
  const alternatives = (m.altHashes ?? []).map((alt) => {
    const leftOut = m.hash!.filter((name) => !alt.order.includes(name));
    const conditions: string[] = [];
    if (alt.requires?.length) conditions.push(`with ${alt.requires.join(', ')}`);
    if (leftOut.length) conditions.push(`without ${leftOut.join(', ')}`);
    return ` or ${sha(alt.order)}${conditions.length ? ` (${conditions.join(', ')})` : ''}`;
  });
  return sha(terms) + alternatives.join('');
}

const describe = (m: MethodDef): CatalogueEntry => ({
  name: m.name,
  aliases: [...(m.aliases ?? [])],
  family: m.family,
  summary: m.summary,
  paths: [m.name, ...(m.aliases ?? [])].flatMap((n) => [`/billing/api/${n}`, `/api/${n}`]),
  callers: m.identity === 'caller' ? [...m.callers] : [],
  hash: m.hash === null ? null : [...m.hash],
  hashString: hashText(m),
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
