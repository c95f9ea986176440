import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseMasterKey } from '@cairn/crypto';
import { describe, expect, test } from 'vitest';
import { createKeygenOutput, parseKeyEncoding } from './keygen.js';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx');

async function cairn(...args: string[]) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--conditions=@cairn/source', '--import', tsx, cli, ...args],
      { timeout: 20_000 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('keygen', () => {
  test('prints a master key that the server accepts, different every time', () => {
    const [first] = createKeygenOutput({ encoding: 'base64', jwtSecret: false });
    const [second] = createKeygenOutput({ encoding: 'hex', jwtSecret: false });
    expect(first).toMatch(/^ENCRYPTION_KEY=/);
    const a = parseMasterKey(first?.slice('ENCRYPTION_KEY='.length) ?? '');
    const b = parseMasterKey(second?.slice('ENCRYPTION_KEY='.length) ?? '');
    expect(a.bytes).toHaveLength(32);
    expect(second).toMatch(/^ENCRYPTION_KEY=[0-9a-f]{64}$/);
    expect(Buffer.from(a.bytes).equals(Buffer.from(b.bytes))).toBe(false);
  });

  test('adds a JWT secret of at least 32 bytes on request', () => {
    const lines = createKeygenOutput({ encoding: 'base64', jwtSecret: true });
    const secret = lines[1]?.replace(/^JWT_SECRET=/, '') ?? '';
    expect(Buffer.from(secret, 'base64url').length).toBeGreaterThanOrEqual(32);
  });

  test('rejects an unknown encoding by name', () => {
    expect(() => parseKeyEncoding('base32')).toThrow(/--format must be "base64" or "hex"/);
  });

  test('the CLI prints .env lines and exits 0; bad usage exits 2 with one clear line', async () => {
    const ok = await cairn('keygen', '--jwt-secret');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ENCRYPTION_KEY=\S+\nJWT_SECRET=\S+\n$/);

    const bad = await cairn('keygen', '--format', 'rot13');
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/--format must be "base64" or "hex"/);

    const unknown = await cairn('launch-missiles');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command/);
  });
});
