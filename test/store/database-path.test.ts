import { accessSync, chmodSync, constants, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DatabasePathError, openDatabase } from '../../src/store/db.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'vistobueno-dbpath-'));

function refusal(path: string): DatabasePathError {
  try {
    openDatabase(path).close();
  } catch (e) {
    if (e instanceof DatabasePathError) return e;
    throw e;
  }
  throw new Error(`openDatabase(${path}) did not fail`);
}

describe('a DATABASE_PATH that cannot be used gets a clear Spanish message', () => {
  const cases: { name: string; path: () => string; says: RegExp }[] = [
    {
      name: 'a path under a regular file',
      path: () => {
        const d = tmp();
        writeFileSync(join(d, 'archivo'), 'x');
        return join(d, 'archivo', 'sub', 'vistobueno.db');
      },
      says: /es un archivo, no una carpeta/,
    },
    {
      name: 'a folder as the path',
      path: () => {
        const d = tmp();
        mkdirSync(join(d, 'carpeta.db'));
        return join(d, 'carpeta.db');
      },
      says: /es una carpeta; DATABASE_PATH debe ser un archivo/,
    },
    {
      name: 'a file that is not SQLite',
      path: () => {
        const d = tmp();
        writeFileSync(join(d, 'notas.db'), 'Esto es texto, no una base de datos. '.repeat(20));
        return join(d, 'notas.db');
      },
      says: /no es una base de datos SQLite/,
    },
  ];

  it.each(cases)('$name', ({ path, says }) => {
    const p = path();
    const e = refusal(p);
    expect(e.message).toMatch(says);
    expect(e.message).toContain(`DATABASE_PATH=${p}`);
    expect(e.message).toContain('Indique en DATABASE_PATH');
    expect(e.code).toBe('database.path_unusable');
  });

  it('a read-only file (when the file system enforces it for this user: root writes anyway)', () => {
    const d = tmp();
    const p = join(d, 'solo-lectura.db');
    openDatabase(p).close();
    chmodSync(p, 0o444);
    chmodSync(d, 0o555);
    let enforced = true;
    try {
      accessSync(p, constants.W_OK);
      enforced = false;
    } catch {
      // not writable for us: the case under test
    }
    try {
      if (enforced) expect(refusal(p).message).toMatch(/solo lectura|no se puede abrir/);
      else openDatabase(p).close(); // root: the file is writable after all and must open normally
    } finally {
      chmodSync(d, 0o755);
    }
  });

  it('a usable path still opens (folder created) and :memory: is untouched', () => {
    const p = join(tmp(), 'nueva', 'carpeta', 'vistobueno.db');
    const db = openDatabase(p);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
    openDatabase(':memory:').close();
  });
});
