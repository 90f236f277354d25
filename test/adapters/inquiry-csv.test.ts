import { describe, expect, it } from 'vitest';
import { anonymizeText } from '../../src/adapters/csv/inquiry-csv.js';

describe('anonymizeText', () => {
  it('masks e-mails, phone and ID numbers and profile links; keeps dates, case numbers and short numbers', () => {
    expect(anonymizeText('Soy Ana, CC 52.123.456, ana.perez@correo.com.co, cel. +57 300 123 4567')).toBe('Soy Ana, CC [número], [correo], cel. [número]');
    expect(anonymizeText('mi teléfono 55 1234 5678 o (55) 1234-5678')).toBe('mi teléfono [número] o [número]');
    expect(anonymizeText('https://www.facebook.com/ana.perez.77 me escribió')).toBe('[perfil] me escribió');
    expect(anonymizeText('el contrato 2024-117 del 2026-10-01 (01/10/2026), 3 copias, 150000 pesos')).toBe('el contrato 2024-117 del 2026-10-01 (01/10/2026), 3 copias, 150000 pesos');
  });
});
