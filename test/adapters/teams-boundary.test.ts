import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The Bot Framework SDK is archived upstream: moving to Microsoft's Teams SDK later must touch
 * src/adapters/teams/ only. Nothing else may import botbuilder or its connector.
 */
const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

describe('the Teams boundary', () => {
  it('every botbuilder / botframework import is in src/adapters/teams/', () => {
    const outside = files(SRC)
      .filter((f) => !relative(SRC, f).startsWith(join('adapters', 'teams')))
      .filter((f) => /from ['"](botbuilder|botframework-[\w-]+)(\/[^'"]*)?['"]|import\(['"]botbuilder/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
    expect(outside).toEqual([]);
    // …and the Teams folder does use it (the check would pass vacuously otherwise).
    expect(files(join(SRC, 'adapters', 'teams')).some((f) => /from 'botbuilder'/.test(readFileSync(f, 'utf8')))).toBe(true);
  });
});
