import { parse } from 'csv-parse/sync';

/**
 * Bytes of a CSV file as text. Excel on Windows saves «CSV (delimitado por comas)» in Windows-1252,
 * not UTF-8: «Reunión» arrives as the single byte 0xF3, which is invalid UTF-8. A UTF-8 decoder in
 * fatal mode tells the two apart (Windows-1252 text with accents is almost never valid UTF-8), and
 * Node's TextDecoder knows windows-1252 (WHATWG Encoding Standard, full ICU).
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  try {
    // ignoreBOM: keep a UTF-8 BOM in the text; the CSV parser drops it.
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

/** A record and the line it ends on (csv-parse's count; the header is line 1). */
export interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/**
 * Records of a CSV text as offices save it: comma or semicolon (from the first line), a BOM
 * dropped, cells trimmed, empty lines skipped, short rows accepted (Excel leaves out trailing empty
 * cells); rows it cannot read are returned in `broken`, with their line, instead of stopping.
 */
export function readCsvRecords(text: string): { records: CsvRecord[]; broken: { code: string; lines: number; record?: unknown[] }[] } {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/)[0] ?? '';
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  const broken: { code: string; lines: number; record?: unknown[] }[] = [];
  const records = parse(text, {
    bom: true,
    delimiter,
    info: true,
    trim: true,
    skip_empty_lines: true,
    // Excel leaves out trailing empty cells on some rows; more cells than the header is a real error.
    relax_column_count_less: true,
    skip_records_with_error: true,
    on_skip: (err) => void (err && broken.push(err as never)),
  }) as unknown as CsvRecord[];
  return { records, broken };
}
