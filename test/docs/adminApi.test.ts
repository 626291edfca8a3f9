import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderAdminApiDoc } from '../../scripts/gen-admin-api-doc.ts';

describe('docs/admin-api.md', () => {
  it('is the current router (run npm run docs:admin-api after changing a procedure)', () => {
    expect(readFileSync('docs/admin-api.md', 'utf8')).toBe(renderAdminApiDoc());
  });
});
