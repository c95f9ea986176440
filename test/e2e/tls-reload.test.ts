import { copyFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asn1Time,
  type CertificateFiles,
  createCertificateAuthority,
  createPkcs12,
  issueCertificate,
  LOCALHOST_NAMES,
  type TestCertificateAuthority,
} from '../support/certificates.js';
import { createTempDir, type TempDir } from '../support/temp-dir.js';
import {
  eventually,
  handshake,
  type RunningServer,
  startTlsServer,
} from '../support/tls-server.js';

let temp: TempDir;
let ca: TestCertificateAuthority;
let first: CertificateFiles;
let second: CertificateFiles;
let third: CertificateFiles;
const running: RunningServer[] = [];

beforeAll(async () => {
  temp = await createTempDir();
  await mkdir(temp.file('ca'));
  await mkdir(temp.file('live'));
  ca = await createCertificateAuthority(temp.file('ca'));
  const options = {
    commonName: 'localhost',
    usage: 'server',
    subjectAltName: LOCALHOST_NAMES,
  } as const;
  first = await issueCertificate(ca, { name: 'first', ...options });
  second = await issueCertificate(ca, { name: 'second', ...options });
  third = await issueCertificate(ca, { name: 'third', ...options });
});

afterAll(async () => {
  for (const started of running) await started.stop();
  await temp?.remove();
});

const served = async (port: number) => (await handshake(port, { ca: ca.certPem })).fingerprint256;

describe('certificate reload without restart', () => {
  it('swaps the keystore when the file is replaced, and keeps it when a bad file follows', async () => {
    const live = temp.file('live/server.p12');
    await createPkcs12(first, live, { password: 'pw' });
    const tls = await startTlsServer(
      { keystorePath: live, keystorePassword: 'pw', minVersion: 'TLSv1.2' },
      { watchDebounceMs: 50 },
    );
    running.push(tls);
    expect(await served(tls.port)).toBe(first.fingerprint256);

    // Replaced by rename, as certificate tooling does.
    await createPkcs12(second, temp.file('next.p12'), { password: 'pw' });
    await rename(temp.file('next.p12'), live);
    await eventually(
      async () => ((await served(tls.port)) === second.fingerprint256 ? true : undefined),
      'the new certificate to be served',
    );
    expect(tls.logs.some((entry) => entry.fields.event === 'tls.certificate_reloaded')).toBe(true);

    // A keystore with another password is a bad file: alert, old certificate stays.
    await createPkcs12(third, temp.file('bad.p12'), { password: 'other' });
    await copyFile(temp.file('bad.p12'), live);
    const alert = await eventually(
      () => tls.logs.find((entry) => entry.fields.event === 'tls.reload_failed'),
      'the reload alert',
    );
    expect(alert.level).toBe('error');
    expect(alert.fields.code).toBe('TLS_KEYSTORE_PASSWORD_WRONG');
    expect(alert.fields.keptFingerprint256).toBe(second.fingerprint256);
    expect(await served(tls.port)).toBe(second.fingerprint256);
    expect(tls.reload()).toBe(false);
    expect(await served(tls.port)).toBe(second.fingerprint256);

    // Fixed file: the explicit reload (what SIGHUP calls) picks it up.
    await createPkcs12(third, live, { password: 'pw' });
    expect(tls.reload()).toBe(true);
    expect(await served(tls.port)).toBe(third.fingerprint256);
  });

  it('reloads a PEM pair written in place, never serving a mismatched pair', async () => {
    const certPath = temp.file('live/tls.crt');
    const keyPath = temp.file('live/tls.key');
    await copyFile(first.certPath, certPath);
    await copyFile(first.keyPath, keyPath);
    const tls = await startTlsServer(
      { certPath, keyPath, minVersion: 'TLSv1.2' },
      { watchDebounceMs: 50 },
    );
    running.push(tls);
    expect(await served(tls.port)).toBe(first.fingerprint256);
    // Only the certificate: the pair no longer matches, so the first one stays.
    await writeFile(certPath, second.certPem);
    expect(tls.reload()).toBe(false);
    expect(await served(tls.port)).toBe(first.fingerprint256);
    await copyFile(second.keyPath, keyPath);
    await eventually(
      async () => ((await served(tls.port)) === second.fingerprint256 ? true : undefined),
      'the new PEM pair to be served',
    );
  });

  it('warns at start when the certificate expires within 14 days', async () => {
    const soon = await issueCertificate(ca, {
      name: 'soon',
      commonName: 'localhost',
      usage: 'server',
      subjectAltName: LOCALHOST_NAMES,
      endDate: asn1Time(new Date(Date.now() + 5 * 86_400_000)),
    });
    const tls = await startTlsServer({
      certPath: soon.certPath,
      keyPath: soon.keyPath,
      minVersion: 'TLSv1.2',
    });
    running.push(tls);
    const warning = tls.logs.find((entry) => entry.fields.event === 'tls.certificate_expiring');
    expect(warning?.level).toBe('warn');
    expect(warning?.fields.daysLeft).toBe(4);
    expect(warning?.fields.fingerprint256).toBe(soon.fingerprint256);
    const fresh = await startTlsServer({
      certPath: first.certPath,
      keyPath: first.keyPath,
      minVersion: 'TLSv1.2',
    });
    running.push(fresh);
    expect(fresh.logs.map((entry) => entry.fields.event)).toEqual(['tls.certificate_loaded']);
  });
});
