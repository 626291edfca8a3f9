import { describe, expect, it } from 'vitest';
import { sha1 } from '../../src/domain/sha1.ts';

const subtle = async (text: string) =>
  Array.from(new Uint8Array(await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text))), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');

describe('sha1', () => {
  it('matches the digests of the MOR hash page and the spec examples', () => {
    expect(sha1('1231252454580answeredVery Sercet Key')).toBe('b93c35d5c6183288322122561a3da7e09abb63b7');
    expect(sha1('secret')).toBe('e5e9fa1ba31ecd1ae84f75caaa474f3a663f05f4');
    expect(sha1('27secret')).toBe('297dab8c386794b2e947d52affb8f576c643569e');
    expect(sha1('')).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
  });

  it('equals Web Crypto on every length around the block boundaries and on non-ASCII text', async () => {
    const samples: string[] = [];
    for (let n = 0; n < 200; n++) samples.push('x'.repeat(n));
    samples.push('ąčęėįšųūž€😀', 'a'.repeat(100_000), '\u0000\u0001', "' or 1=1 --");
    for (let i = 0; i < 200; i++) {
      samples.push(
        String.fromCodePoint(...Array.from({ length: (i % 90) + 1 }, () => 32 + Math.floor(Math.random() * 0x2fff))),
      );
    }
    for (const text of samples) expect(sha1(text), JSON.stringify(text.slice(0, 20))).toBe(await subtle(text));
  });
});
