import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The repository is self-contained: docs and comments state the rules they rely on (docs/pipeline.md,
// docs/architecture.md, docs/decisions.md) instead of pointing at documents that are not in it.
const SELF = 'test/docs/selfContained.test.ts';
const FORBIDDEN: readonly [label: string, pattern: RegExp][] = [
  ['_core.md', /_core\.md/],
  ['_core §N', /(^|[^\w])_core\b/],
  ['design.md', /design\.md/],
  ['style.md', /style\.md/],
  ['../shared', /\.\.\/shared/],
  ['/work/ (a machine path)', /\/work\//],
];

/**
 * Every file git tracks or would track (new files not yet added, ignored ones excepted), or, outside a
 * git checkout, every file below the repository's own folders.
 */
function trackedFiles(): string[] {
  try {
    return execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .split('\0')
      .filter(Boolean);
  } catch {
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? walk(path) : [path];
      });
    return ['README.md', ...['docs', 'src', 'test', 'bench', 'scripts'].flatMap(walk)];
  }
}

const offences = (text: string) => FORBIDDEN.filter(([, pattern]) => pattern.test(text)).map(([label]) => label);

describe('the repository is self-contained', () => {
  const files = trackedFiles();

  it('lists the files it checks', () => {
    expect(files).toContain('README.md');
    expect(files).toContain('src/mor/pipeline.ts');
    expect(files).toContain('docs/pipeline.md');
  });

  it('recognises every forbidden reference', () => {
    expect(offences('see _core §7')).toEqual(['_core §N']);
    expect(offences('(_core.md §6)')).toEqual(['_core.md', '_core §N']);
    expect(offences("design.md's house")).toEqual(['design.md']);
    expect(offences('style.md')).toEqual(['style.md']);
    expect(offences('../shared/spec')).toEqual(['../shared']);
    expect(offences('/work/main')).toEqual(['/work/ (a machine path)']);
    expect(offences('docs/pipeline.md §7; hard_core; is_core_x')).toEqual([]);
  });

  it('never points at documents outside it (_core.md, design.md, style.md, ../shared, /work/)', () => {
    const found: string[] = [];
    for (const file of files) {
      if (file === SELF || file.startsWith('node_modules/')) continue;
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue; // deleted in the working tree
      }
      text.split('\n').forEach((line, i) => {
        for (const label of offences(line)) found.push(`${file}:${i + 1}: ${label}`);
      });
    }
    expect(found).toEqual([]);
  });
});
