import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpsServer, loadTlsMaterial } from '../tls/index.js';
import { createDevCertificate, type DevCertificate } from './certs.js';

const run = promisify(execFile);
let dir: string;
let made: DevCertificate;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cairn-certs-'));
  made = await createDevCertificate({
    outDir: join(dir, 'certs'),
    extraNames: ['cairn.test', '10.1.2.3'],
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createDevCertificate', () => {
  it('writes the keystore, certificate and key with mode 0600', async () => {
    for (const path of [made.keystorePath, made.certPath, made.keyPath]) {
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    }
    expect(made.envLines).toEqual([
      'TLS_ENABLED=true',
      `TLS_KEYSTORE_PATH=${made.keystorePath}`,
      `TLS_KEYSTORE_PASSWORD=${made.password}`,
      '# or the PEM pair instead of the keystore:',
      `# TLS_CERT_PATH=${made.certPath}`,
      `# TLS_KEY_PATH=${made.keyPath}`,
    ]);
  });

  it('names localhost, the loopback addresses and the extra names', async () => {
    const certificate = new X509Certificate(await readFile(made.certPath));
    expect(certificate.subjectAltName).toBe(
      'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, DNS:cairn.test, IP Address:10.1.2.3',
    );
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    const days = (Date.parse(certificate.validTo) - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(30);
  });

  it('seals the keystore with AES-256 and the keystore and PEM pair hold the same certificate', async () => {
    const { stderr, stdout } = await run('openssl', [
      'pkcs12',
      '-in',
      made.keystorePath,
      '-info',
      '-noout',
      '-passin',
      `pass:${made.password}`,
    ]);
    const info = `${stdout}${stderr}`;
    expect(info).toMatch(
      /Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256/,
    );
    expect(info).not.toMatch(/RC2|3DES|TripleDES/i);
    const fromKeystore = loadTlsMaterial({
      keystorePath: made.keystorePath,
      keystorePassword: made.password,
      minVersion: 'TLSv1.2',
    });
    const fromPem = loadTlsMaterial({
      certPath: made.certPath,
      keyPath: made.keyPath,
      minVersion: 'TLSv1.2',
    });
    expect(fromKeystore.fingerprint256).toBe(fromPem.fingerprint256);
  });

  it('is served over TLS and verified by a client that trusts the certificate', async () => {
    const logger = { info: () => {}, warn: () => {}, error: () => {} };
    const handle = createHttpsServer(
      { keystorePath: made.keystorePath, keystorePassword: made.password, minVersion: 'TLSv1.2' },
      (_request, response) => response.end('ok'),
      logger,
    );
    await new Promise<void>((resolve) => handle.server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = handle.server.address() as AddressInfo;
      const ca = await readFile(made.certPath);
      for (const servername of ['localhost', 'cairn.test']) {
        const authorized = await new Promise<boolean>((resolve, reject) => {
          const socket = connect({ host: '127.0.0.1', port, servername, ca }, () => {
            resolve(socket.authorized);
            socket.end();
          });
          socket.on('error', reject);
        });
        expect(authorized).toBe(true);
      }
    } finally {
      handle.close();
      handle.server.close();
    }
  });

  it('refuses to overwrite without force, and replaces with force (mode kept at 0600)', async () => {
    const outDir = join(dir, 'again');
    await createDevCertificate({ outDir, password: 'first-password' });
    await expect(createDevCertificate({ outDir })).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringMatching(/already exists: pass --force/),
    });
    await writeFile(join(outDir, 'cairn-dev.key'), 'x', { mode: 0o644 });
    const again = await createDevCertificate({ outDir, force: true });
    expect((await stat(again.keyPath)).mode & 0o777).toBe(0o600);
    expect(again.password).not.toBe('first-password');
  });

  it('refuses bad days and names', async () => {
    await expect(createDevCertificate({ outDir: join(dir, 'x'), days: 0 })).rejects.toThrow(
      /--days/,
    );
    await expect(createDevCertificate({ outDir: join(dir, 'x'), days: 1000 })).rejects.toThrow(
      /--days/,
    );
    await expect(
      createDevCertificate({ outDir: join(dir, 'x'), extraNames: ['bad name!'] }),
    ).rejects.toThrow(/neither a host name nor an IP address/);
  });
});
