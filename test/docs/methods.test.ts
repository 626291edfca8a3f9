import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderMethodsDoc } from '../../scripts/gen-methods-doc.ts';

describe('docs/methods.md', () => {
  it('is the current registry (run npm run docs:methods after adding a method)', () => {
    expect(readFileSync('docs/methods.md', 'utf8')).toBe(renderMethodsDoc());
  });
});
