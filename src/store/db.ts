import Database from 'better-sqlite3';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type DB = Database.Database;

/**
 * DATABASE_PATH cannot be used: its folder cannot be created, it is a folder, the file is not SQLite
 * or cannot be written. The message says so in Spanish, names the setting and what to do; the start
 * (and the CSV import) print it instead of a stack trace.
 */
export class DatabasePathError extends Error {
  readonly code = 'database.path_unusable';
  constructor(
    readonly path: string,
    reason: string,
    cause?: unknown,
  ) {
    super(
      `No se puede usar la base de datos DATABASE_PATH=${path}: ${reason}.\n` +
        '  Indique en DATABASE_PATH (en .env o en las variables de entorno) la ruta de un archivo en una carpeta ' +
        'donde el usuario que ejecuta el bot pueda escribir, por ejemplo data/vistobueno.db, o corrija los permisos.',
      { cause },
    );
    this.name = 'DatabasePathError';
  }
}

/** Why the folder of the database could not be created, in words an administrator can act on. */
function folderProblem(dir: string, e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOTDIR':
    case 'EEXIST':
      return `una parte de la ruta ${dir} es un archivo, no una carpeta`;
    case 'EACCES':
    case 'EPERM':
      return `no hay permiso para crear la carpeta ${dir}`;
    case 'EROFS':
      return `la carpeta ${dir} está en un disco de solo lectura`;
    case 'ENOSPC':
      return 'el disco está lleno';
    default:
      return `no se pudo crear la carpeta ${dir} (${e.code ?? e.message})`;
  }
}

/** Why SQLite refused the file (better-sqlite3 puts SQLite's result code in `code`). */
function fileProblem(path: string, e: { code?: string; message: string }): string {
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) return `es una carpeta; DATABASE_PATH debe ser un archivo, por ejemplo ${join(path, 'vistobueno.db')}`;
  switch (e.code) {
    case 'SQLITE_NOTADB':
      return 'el archivo existe pero no es una base de datos SQLite (¿otra ruta?)';
    case 'SQLITE_READONLY':
    case 'SQLITE_READONLY_DIRECTORY':
    case 'SQLITE_PERM':
      return 'el archivo o su carpeta es de solo lectura';
    case 'SQLITE_CANTOPEN':
      return 'no se puede abrir ni crear el archivo (permisos de la carpeta o del archivo)';
    case 'SQLITE_FULL':
      return 'el disco está lleno';
    default:
      return `SQLite no pudo abrirla (${e.code ?? 'error'}: ${e.message})`;
  }
}

/** Opens the database with the settings every connection needs. `:memory:` works for tests. */
export function openDatabase(path: string): DB {
  if (path !== ':memory:') {
    const dir = dirname(path);
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new DatabasePathError(path, folderProblem(dir, e as NodeJS.ErrnoException), e);
    }
  }
  let db: DB | undefined;
  try {
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // SQLite silently opens a file it may not write read-only; writing the header now (the same
    // user_version again) finds that at start instead of at the first approval.
    if (path !== ':memory:') db.pragma(`user_version = ${Number(db.pragma('user_version', { simple: true }))}`);
    return db;
  } catch (e) {
    db?.close();
    if (e instanceof Database.SqliteError || (e as { code?: string }).code?.startsWith('SQLITE_')) {
      throw new DatabasePathError(path, fileProblem(path, e as Error & { code?: string }), e);
    }
    throw e;
  }
}

/**
 * A transaction helper that nests: inside an open transaction it runs as a SAVEPOINT (better-sqlite3
 * does this for a nested transaction function), so a failure caught by the caller undoes only its own
 * writes, never leaves half of them behind.
 */
export function inTransaction<T>(db: DB, fn: () => T): T {
  if (db.inTransaction) return db.transaction(fn)();
  return db.transaction(fn).immediate();
}

/** For /healthz: can the database still be read? Returns the error message when not. */
export function checkDatabase(db: DB): string | null {
  try {
    // One row, not a count: /healthz must stay cheap however big the tables get.
    db.prepare('SELECT 1 FROM pieces LIMIT 1').get();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
