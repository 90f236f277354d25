import { describe, expect, it } from 'vitest';
import { anonymizeText } from '../../src/adapters/csv/inquiry-csv.js';

describe('anonymizeText', () => {
  it('masks e-mails, phone and ID numbers and profile links; keeps dates, case numbers and short numbers', () => {
    expect(anonymizeText('Soy Ana, CC 52.123.456, ana.perez@correo.com.co, cel. +57 300 123 4567')).toBe('Soy Ana, CC [número], [correo], cel. [número]');
    expect(anonymizeText('mi teléfono 55 1234 5678 o (55) 1234-5678')).toBe('mi teléfono [número] o [número]');
    expect(anonymizeText('https://www.facebook.com/ana.perez.77 me escribió')).toBe('[perfil] me escribió');
    expect(anonymizeText('el contrato 2024-117 del 2026-10-01 (01/10/2026), 3 copias, 150000 pesos')).toBe('el contrato 2024-117 del 2026-10-01 (01/10/2026), 3 copias, 150000 pesos');
    expect(anonymizeText('expediente 2019-12345, oficio UT/1234/2026 del 01-10-2026 y el 01.10.2026')).toBe('expediente 2019-12345, oficio UT/1234/2026 del 01-10-2026 y el 01.10.2026');
    // A phone shaped like a year and a number is a phone.
    expect(anonymizeText('Tel 55-2012-3456 o 2012-3456 o cel 300 2019-1234')).toBe('Tel [número] o [número] o cel [número]');
    expect(anonymizeText('a \u00000\u0000 b')).toBe('a 0 b');
  });
});
