import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { HSTS_HEADER_VALUE, type TlsSettings } from '@cairn/server/tls';
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
import { createTempDir, type TempDir } from '../support/temp-dir.js';
import { handshake, httpsGet, type RunningServer, startTlsServer } from '../support/tls-server.js';

let temp: TempDir;
let ca: TestCertificateAuthority;
let otherCa: TestCertificateAuthority;
let server: CertificateFiles;
let client: CertificateFiles;
let strangerClient: CertificateFiles;
let opensslKeystore: string;
let keytool: { keystorePath: string; certificate: CertificateFiles };
let fromJks: { keystorePath: string; certificate: CertificateFiles };
const running: RunningServer[] = [];

async function start(settings: TlsSettings): Promise<RunningServer> {
  const started = await startTlsServer(settings);
  running.push(started);
  return started;
}

beforeAll(async () => {
  temp = await createTempDir();
  const { mkdir } = await import('node:fs/promises');
  await mkdir(temp.file('ca'));
  await mkdir(temp.file('other'));
  ca = await createCertificateAuthority(temp.file('ca'));
  otherCa = await createCertificateAuthority(temp.file('other'));
  server = await issueCertificate(ca, {
    name: 'server',
    commonName: 'localhost',
    usage: 'server',
    subjectAltName: LOCALHOST_NAMES,
  });
  client = await issueCertificate(ca, { name: 'agent', commonName: 'agent-1', usage: 'client' });
  strangerClient = await issueCertificate(otherCa, {
    name: 'stranger',
    commonName: 'stranger',
    usage: 'client',
  });
  opensslKeystore = await createPkcs12(server, temp.file('server.p12'), {
    password: 'correct horse',
    chainPath: ca.certPath,
  });
  keytool = await createKeytoolKeystore(ca, 'java', 'changeit-123');
  fromJks = await createKeytoolKeystore(ca, 'legacy-java', 'changeit-456', { viaJks: true });
});

afterAll(async () => {
  for (const started of running) await started.stop();
  await temp?.remove();
});

describe('keystores and PEM files are served to a client that trusts the CA', () => {
  it('serves an openssl-made PKCS#12 keystore (AES-256) with HSTS on the response', async () => {
    const tls = await start({
      keystorePath: opensslKeystore,
      keystorePassword: 'correct horse',
      minVersion: 'TLSv1.2',
    });
    const shake = await handshake(tls.port, { ca: ca.certPem });
    expect(shake.authorized).toBe(true);
    expect(shake.fingerprint256).toBe(server.fingerprint256);
    const answer = await httpsGet(tls.port, { ca: ca.certPem });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('hello over tls');
    expect(answer.headers['strict-transport-security']).toBe(HSTS_HEADER_VALUE);
    expect(HSTS_HEADER_VALUE).toBe('max-age=63072000; includeSubDomains');
  });

  it('serves a keystore made with Java keytool (-genkeypair -storetype PKCS12, CA-signed)', async () => {
    const tls = await start({
      keystorePath: keytool.keystorePath,
      keystorePassword: 'changeit-123',
      minVersion: 'TLSv1.2',
    });
    const shake = await handshake(tls.port, { ca: ca.certPem });
    expect(shake.authorized).toBe(true);
    expect(shake.fingerprint256).toBe(keytool.certificate.fingerprint256);
  });

  it('serves a JKS keystore converted with keytool -importkeystore -deststoretype PKCS12', async () => {
    const tls = await start({
      keystorePath: fromJks.keystorePath,
      keystorePassword: 'changeit-456',
      minVersion: 'TLSv1.2',
    });
    const shake = await handshake(tls.port, { ca: ca.certPem });
    expect(shake.authorized).toBe(true);
    expect(shake.fingerprint256).toBe(fromJks.certificate.fingerprint256);
  });

  it('serves PEM certificate and key files', async () => {
    const tls = await start({
      certPath: server.certPath,
      keyPath: server.keyPath,
      minVersion: 'TLSv1.2',
    });
    const answer = await httpsGet(tls.port, { ca: ca.certPem });
    expect(answer.status).toBe(200);
    expect(answer.headers['strict-transport-security']).toBe(HSTS_HEADER_VALUE);
  });

  it('is refused by a client that does not trust the CA', async () => {
    const tls = await start({
      certPath: server.certPath,
      keyPath: server.keyPath,
      minVersion: 'TLSv1.2',
    });
    await expect(handshake(tls.port, { ca: otherCa.certPem })).rejects.toThrow(
      /unable to verify|self.signed|certificate/i,
    );
  });
});

describe('protocol and cipher policy', () => {
  // SECLEVEL=0 lets the client offer old protocols and suites, so a refusal is the server's.
  const permissiveClient = { ca: '', rejectUnauthorized: false, ciphers: 'ALL:@SECLEVEL=0' };

  it('refuses TLS 1.1 and accepts TLS 1.2 from the same permissive client', async () => {
    const tls = await start({
      certPath: server.certPath,
      keyPath: server.keyPath,
      minVersion: 'TLSv1.2',
    });
    await expect(
      handshake(tls.port, { ...permissiveClient, minVersion: 'TLSv1', maxVersion: 'TLSv1.1' }),
    ).rejects.toThrow(/protocol|version|alert/i);
    const ok = await handshake(tls.port, { ...permissiveClient, maxVersion: 'TLSv1.2' });
    expect(ok.protocol).toBe('TLSv1.2');
    const modern = await handshake(tls.port, { ca: ca.certPem });
    expect(modern.protocol).toBe('TLSv1.3');
  });

  it('TLS_MIN_VERSION=TLSv1.3 refuses TLS 1.2', async () => {
    const tls = await start({
      certPath: server.certPath,
      keyPath: server.keyPath,
      minVersion: 'TLSv1.3',
    });
    await expect(handshake(tls.port, { ca: ca.certPem, maxVersion: 'TLSv1.2' })).rejects.toThrow();
    expect((await handshake(tls.port, { ca: ca.certPem })).protocol).toBe('TLSv1.3');
  });

  it('refuses a CBC suite that Node accepts by default', async () => {
    const weak = {
      ...permissiveClient,
      maxVersion: 'TLSv1.2' as const,
      ciphers: 'ECDHE-ECDSA-AES128-SHA256',
    };
    // Control: a plain Node TLS server with the same certificate accepts this client.
    const plain = createTlsServer({
      cert: await readFile(server.certPath),
      key: await readFile(server.keyPath),
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const accepted = await handshake((plain.address() as AddressInfo).port, weak);
      expect(accepted.cipher).toBe('ECDHE-ECDSA-AES128-SHA256');
    } finally {
      plain.close();
    }
    const tls = await start({
      certPath: server.certPath,
      keyPath: server.keyPath,
      minVersion: 'TLSv1.2',
    });
    await expect(handshake(tls.port, weak)).rejects.toThrow(/handshake|cipher|alert/i);
    const strong = await handshake(tls.port, { ...permissiveClient, maxVersion: 'TLSv1.2' });
    expect(strong.cipher).toMatch(/^ECDHE-ECDSA-(AES\d+-GCM|CHACHA20)/);
  });
});

describe('client certificates (TLS_CLIENT_CA_PATH)', () => {
  const mtlsSettings = (): TlsSettings => ({
    keystorePath: opensslKeystore,
    keystorePassword: 'correct horse',
    minVersion: 'TLSv1.2',
    clientCaPath: ca.certPath,
  });

  it('refuses a client without a certificate', async () => {
    const tls = await start(mtlsSettings());
    await expect(httpsGet(tls.port, { ca: ca.certPem })).rejects.toThrow(
      /certificate|alert|socket hang up|ECONNRESET/i,
    );
  });

  it('refuses a client certificate from another CA', async () => {
    const tls = await start(mtlsSettings());
    await expect(
      httpsGet(tls.port, {
        ca: ca.certPem,
        cert: strangerClient.certPem,
        key: await readFile(strangerClient.keyPath),
      }),
    ).rejects.toThrow(/certificate|alert|socket hang up|ECONNRESET/i);
  });

  it('accepts a client certificate signed by the configured CA', async () => {
    const tls = await start(mtlsSettings());
    const answer = await httpsGet(tls.port, {
      ca: ca.certPem,
      cert: client.certPem,
      key: await readFile(client.keyPath),
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['strict-transport-security']).toBe(HSTS_HEADER_VALUE);
  });
});
