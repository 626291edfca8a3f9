/**
 * Writes docs/methods.md — the method catalogue — from the XML API registry (the same data
 * `GET /billing/api` serves). test/docs/methods.test.ts fails when it is out of date.
 */
import { writeFileSync } from 'node:fs';
import { catalogue } from '../src/mor/catalogue.ts';

export function renderMethodsDoc(): string {
  const entries = catalogue();
  const families = [...new Set(entries.map((m) => m.family))];
  const out = [
    '# XML API methods',
    '',
    'Generated from the registry (`src/mor/registry.ts`) by `npm run docs:methods`; a running server serves',
    'the same list at `GET /billing/api` (XML) and `GET /billing/api?format=json`. Every method is served',
    'under `/billing/api/<name>` and `/api/<name>`, and under each old alias. Hash = lowercase hex SHA-1 of the',
    'listed parameter values in this order (absent or empty ones skipped) followed by the API secret key;',
    'the "hashed" column marks each parameter that is part of it, with its position.',
    '',
    `${entries.length} methods.`,
    '',
  ];
  for (const family of families) {
    out.push(`## ${family}`, '');
    for (const m of entries.filter((e) => e.family === family)) {
      out.push(`### ${m.name}`, '', m.summary, '');
      if (m.aliases.length > 0) out.push(`- Old aliases: ${m.aliases.map((a) => `\`${a}\``).join(', ')}`);
      out.push(`- Callers: ${m.callers.length > 0 ? m.callers.join(', ') : 'no `u` (see parameters)'}`);
      out.push(`- Hash: ${m.hashString === null ? 'none' : `\`${m.hashString}\``}`);
      out.push('', '| parameter | required | hashed | meaning |', '|---|---|---|---|');
      for (const p of m.params) {
        const hashed = m.hash?.includes(p.name) ? `yes (${m.hash.indexOf(p.name) + 1})` : '';
        out.push(
          `| \`${p.name}\` | ${p.required ? 'yes' : 'no'} | ${hashed} | ${p.description.replaceAll('|', '\\|')} |`,
        );
      }
      out.push('');
    }
  }
  return out.join('\n');
}

if (process.argv[1]?.endsWith('gen-methods-doc.ts')) {
  writeFileSync('docs/methods.md', renderMethodsDoc());
  console.log('docs/methods.md written');
}
