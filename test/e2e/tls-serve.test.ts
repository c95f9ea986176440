import { mkdir, rename } from 'node:fs/promises';
import { request } from 'node:https';
import { formatKey, generateMasterKey } from '@cairn/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CertificateFiles,
  createCertificateAuthority,
  createKeytoolKeystore,
  createPkcs12,
  issueCertificate,
  LOCALHOST_NAMES,
  type TestCertificateAuthority,
} from '../support/certificates.js';
import { runCairn, startServer } from '../support/server-process.js';
import { createTempDir, type TempDir } from '../support/temp-dir.js';
import { eventually, handshake, httpsGet } from '../support/tls-server.js';

let temp: TempDir;
let ca: TestCertificateAuthority;
let first: CertificateFiles;
let second: CertificateFiles;

beforeAll(async () => {
  temp = await createTempDir();
  await mkdir(temp.file('ca'));
  await mkdir(temp.file('tls'));
  ca = await createCertificateAuthority(temp.file('ca'));
  const options = {
    commonName: 'localhost',
    usage: 'server',
    subjectAltName: LOCALHOST_NAMES,
  } as const;
  first = await issueCertificate(ca, { name: 'first', ...options });
  second = await issueCertificate(ca, { name: 'second', ...options });
});

afterAll(async () => {
  await temp?.remove();
});

/** One GraphQL POST over HTTPS to a server whose certificate `ca` signed. */
function postGraphql(port: number, ca: string, query: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const call = request(
      {
        host: '127.0.0.1',
        servername: 'localhost',
        port,
        path: '/graphql',
        method: 'POST',
        ca,
        headers: { 'content-type': 'application/json' },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
      },
    );
    call.on('error', reject);
    call.end(JSON.stringify({ query }));
  });
}

describe('cairn serve over HTTPS', () => {
  it('tells and asks over HTTPS from a keystore made by Java keytool', async () => {
    const { keystorePath } = await createKeytoolKeystore(ca, 'serve-java', 'changeit-789');
    const server = await startServer({
      DATA_DIR: temp.file('data-keytool'),
      ENCRYPTION_KEY: formatKey(generateMasterKey(), 'base64'),
      TLS_ENABLED: 'true',
      TLS_KEYSTORE_PATH: keystorePath,
      TLS_KEYSTORE_PASSWORD: 'changeit-789',
    });
    try {
      const port = Number(new URL(server.url).port);
      expect(
        await postGraphql(
          port,
          ca.certPem,
          'mutation { tell(fact: "plan(acme, pro)") { predicate } }',
        ),
      ).toEqual({ data: { tell: { predicate: 'plan' } } });
      expect(
        await postGraphql(port, ca.certPem, '{ ask(query: "plan(acme, ?p)") { solutions count } }'),
      ).toEqual({ data: { ask: { solutions: [{ p: 'pro' }], count: 1 } } });
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('serves GraphQL from a PKCS#12 keystore with HSTS and swaps the certificate when the file changes', async () => {
    const keystore = temp.file('tls/server.p12');
    await createPkcs12(first, keystore, { password: 'serve-password' });
    const server = await startServer({
      DATA_DIR: temp.file('data'),
      ENCRYPTION_KEY: formatKey(generateMasterKey(), 'base64'),
      TLS_ENABLED: 'true',
      TLS_KEYSTORE_PATH: keystore,
      TLS_KEYSTORE_PASSWORD: 'serve-password',
    });
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const port = Number(new URL(server.url).port);
      const health = await httpsGet(port, { ca: ca.certPem }, '/health');
      expect(health.status).toBe(200);
      expect(health.headers['strict-transport-security']).toBe(
        'max-age=63072000; includeSubDomains',
      );
      expect((await handshake(port, { ca: ca.certPem })).fingerprint256).toBe(first.fingerprint256);

      await createPkcs12(second, temp.file('tls/next.p12'), { password: 'serve-password' });
      await rename(temp.file('tls/next.p12'), keystore);
      await eventually(
        async () =>
          (await handshake(port, { ca: ca.certPem })).fingerprint256 === second.fingerprint256
            ? true
            : undefined,
        'the renewed certificate to be served',
      );
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('refuses to start on a legacy keystore with exit code 2 and the re-export command', async () => {
    const legacy = await createPkcs12(first, temp.file('tls/legacy.p12'), {
      password: 'serve-password',
      legacy: true,
    });
    const result = await runCairn(['serve'], {
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: temp.file('data-legacy'),
      ENCRYPTION_KEY: formatKey(generateMasterKey(), 'base64'),
      TLS_ENABLED: 'true',
      TLS_KEYSTORE_PATH: legacy,
      TLS_KEYSTORE_PASSWORD: 'serve-password',
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^cairn: TLS_KEYSTORE_PATH=.*legacy PKCS#12 encryption.*keytool -importkeystore/m,
    );
  });
});
