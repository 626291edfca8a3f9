import { describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.ts';
import { detailsPatchFromParams, USER_DETAILS_UPDATE_HASH } from '../../src/domain/users/detailsParams.ts';
import { percentText } from '../../src/domain/users/getUserDetails.ts';
import { isWeakPassword } from '../../src/domain/users/password.ts';

const patch = (params: Record<string, string>) => detailsPatchFromParams((name) => params[name]);
const failure = (params: Record<string, string>) => {
  try {
    patch(params);
  } catch (error) {
    return error instanceof DomainError ? `${error.code}:${error.message}` : String(error);
  }
  return 'no error';
};

describe('the weak-password rule', () => {
  it('calls empty, short (< 8) and username-equal passwords weak', () => {
    expect(isWeakPassword('john', '')).toBe(true);
    expect(isWeakPassword('john', 'Ab1!xyz')).toBe(true);
    expect(isWeakPassword('johnsmith', 'JohnSmith')).toBe(true);
    expect(isWeakPassword('john', '        ')).toBe(true);
    expect(isWeakPassword('john', 'abcdefgh')).toBe(false);
    expect(isWeakPassword('john', 'Str0ng-pass')).toBe(false);
  });
});

describe('user_details_update parameters', () => {
  it('hash in the documented order: user_id, u0…u33, dates, pswd …, a0…a9', () => {
    expect(USER_DETAILS_UPDATE_HASH.slice(0, 3)).toEqual(['user_id', 'u0', 'u1']);
    expect(USER_DETAILS_UPDATE_HASH[35]).toBe('ay');
    expect(USER_DETAILS_UPDATE_HASH.indexOf('pswd')).toBe(41);
    expect(USER_DETAILS_UPDATE_HASH.indexOf('i1')).toBeLessThan(USER_DETAILS_UPDATE_HASH.indexOf('i2'));
    expect(USER_DETAILS_UPDATE_HASH.slice(-10)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9']);
    expect(new Set(USER_DETAILS_UPDATE_HASH).size).toBe(USER_DETAILS_UPDATE_HASH.length);
  });

  it('map to user fields, address and taxes; 0 means no reference; -1 unassigns the accountant', () => {
    expect(
      patch({
        u0: 'VAT',
        u5: '7',
        u7: '0',
        u15: '1',
        u17: 'Last',
        u31: '-1',
        a5: '3',
        tax2_enabled: '1',
        credit: '-1',
      }),
    ).toEqual({
      vatNumber: 'VAT',
      tariffId: 7,
      spyDeviceId: null,
      blocked: true,
      address: { lastName: 'Last', directionId: 3 },
      responsibleAccountantId: null,
      taxes: { tax2Enabled: true },
      credit: '-1',
    });
  });

  it('take a date only when all three parts are sent, and invoice types bit by bit', () => {
    expect(patch({ ay: '2024', am: '1' })).toEqual({});
    expect(patch({ by: '2024', bm: '1', bd: '5' })).toEqual({ blockAt: '2024-01-05' });
    expect(patch({ i1: '2', i3: '0' })).toEqual({ invoiceTypes: { pdf: true, i3: false } });
  });

  it('answer User was not updated for anything that does not coerce', () => {
    const bad: Record<string, string>[] = [
      { u15: '2' },
      { u18: '-1' },
      { ay: '2023', am: '2', ad: '29' },
      { i2: '2' },
      { u13: 'partner' },
    ];
    for (const params of bad) {
      expect(failure(params)).toBe('INVALID:User was not updated');
    }
  });
});

describe('vat_percent text', () => {
  it('prints like Ruby floats without float arithmetic', () => {
    expect(percentText('18.0000')).toBe('18.0');
    expect(percentText('20.5000')).toBe('20.5');
    expect(percentText('0.0000')).toBe('0.0');
    expect(percentText('12.3456')).toBe('12.3456');
    expect(percentText('100.0100')).toBe('100.01');
  });
});
