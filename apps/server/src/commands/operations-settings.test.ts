import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatKey, generateMasterKey } from '@cairn/crypto';
import { describe, expect, it } from 'vitest';
import { CliError } from './cli-error.js';
import { loadOperationsSettings } from './operations-settings.js';

describe('loadOperationsSettings', () => {
  const key = generateMasterKey();

  it('reads DATA_DIR, DATABASE_URL and the master keys through config.ts', () => {
    const settings = loadOperationsSettings(
      {},
      {
        DATA_DIR: '/srv/cairn',
        DATABASE_URL: 'postgres://u:p@db/cairn',
        ENCRYPTION_KEY: formatKey(key),
      },
    );
    expect(settings.dataDir).toBe('/srv/cairn');
    expect(settings.databaseUrl).toBe('postgres://u:p@db/cairn');
    expect(settings.masterKeys?.primary.id).toBe(key.id);
  });

  it('lets --data-dir and --key-file override the environment', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-settings-'));
    try {
      const other = generateMasterKey();
      await writeFile(join(dir, 'other.key'), `${formatKey(other, 'hex')}\n`, { mode: 0o600 });
      const settings = loadOperationsSettings(
        { dataDir: '/tmp/copy', keyFile: join(dir, 'other.key') },
        { DATA_DIR: '/srv/cairn', ENCRYPTION_KEY: formatKey(key) },
      );
      expect(settings.dataDir).toBe('/tmp/copy');
      expect(settings.masterKeys?.primary.id).toBe(other.id);
      expect(() =>
        loadOperationsSettings(
          { keyFile: join(dir, 'absent.key') },
          { ENCRYPTION_KEY: formatKey(key) },
        ),
      ).toThrow(/^ENCRYPTION_KEY_FILE: cannot read/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('turns configuration problems into one usage error', () => {
    let caught: unknown;
    try {
      loadOperationsSettings({}, { TLS_MIN_VERSION: 'SSLv3', PORT: 'x' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CliError);
    expect((caught as CliError).kind).toBe('usage');
    expect((caught as CliError).message).toMatch(/PORT.*; TLS_MIN_VERSION|TLS_MIN_VERSION.*; PORT/);
  });
});
