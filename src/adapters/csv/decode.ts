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
