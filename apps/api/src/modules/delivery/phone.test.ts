import { describe, expect, it } from 'vitest';
import { normalisePhone } from './phone.js';

describe('normalisePhone', () => {
  it.each([
    ['06 12 34 56 78', '+33612345678'],
    ['06.12.34.56.78', '+33612345678'],
    ['0612345678', '+33612345678'],
    ['+33 6 12 34 56 78', '+33612345678'],
    ['+33 (0)6 12 34 56 78', '+33612345678'],
    ['0033 7 12 34 56 78', '+33712345678'],
    ['01 42 68 53 00', '+33142685300'],
  ])('reads the French number %s as %s', (input, expected) => {
    expect(normalisePhone(input, 'FR')).toBe(expected);
  });

  it.each(['12 34 56 78', '06 12 34 56', '06 12 34 56 78 9', '00 12 34 56 78', '+32 470 12 34 56', 'zéro six', ''])(
    'refuses %j for a French address',
    (input) => {
      expect(normalisePhone(input, 'FR')).toBeNull();
    },
  );

  it('takes only international numbers for an address abroad, where a national form would be ambiguous', () => {
    expect(normalisePhone('+32 470 12 34 56', 'BE')).toBe('+32470123456');
    expect(normalisePhone('+33 6 12 34 56 78', 'BE')).toBe('+33612345678');
    expect(normalisePhone('0470 12 34 56', 'BE')).toBeNull();
  });
});
