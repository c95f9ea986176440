import { execFile } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import {
  createHttpsServer,
  loadTlsMaterial,
  TlsConfigError,
  type TlsSettings,
} from '@cairn/server/tls';
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

const run = promisify(execFile);
const DAY = 86_400_000;

let temp: TempDir;
let ca: TestCertificateAuthority;
let server: CertificateFiles;
let other: CertificateFiles;
let expired: CertificateFiles;
let future: CertificateFiles;
let modernKeystore: string;
let legacyKeystore: string;

beforeAll(async () => {
  temp = await createTempDir();
  await mkdir(temp.file('ca'));
  ca = await createCertificateAuthority(temp.file('ca'));
  const serverOptions = {
    commonName: 'localhost',
    usage: 'server',
    subjectAltName: LOCALHOST_NAMES,
  } as const;
  server = await issueCertificate(ca, { name: 'server', ...serverOptions });
  other = await issueCertificate(ca, { name: 'other', ...serverOptions });
  expired = await issueCertificate(ca, {
    name: 'expired',
    ...serverOptions,
    startDate: asn1Time(new Date(Date.now() - 20 * DAY)),
    endDate: asn1Time(new Date(Date.now() - 2 * DAY)),
  });
  future = await issueCertificate(ca, {
    name: 'future',
    ...serverOptions,
    startDate: asn1Time(new Date(Date.now() + 2 * DAY)),
    endDate: asn1Time(new Date(Date.now() + 20 * DAY)),
  });
  modernKeystore = await createPkcs12(server, temp.file('modern.p12'), { password: 'right' });
  legacyKeystore = await createPkcs12(server, temp.file('legacy.p12'), {
    password: 'right-password',
    legacy: true,
  });
});

afterAll(async () => {
  await temp?.remove();
});

function failure(settings: TlsSettings): TlsConfigError {
  try {
    loadTlsMaterial(settings);
  } catch (error) {
    expect(error).toBeInstanceOf(TlsConfigError);
    const typed = error as TlsConfigError;
    expect(typed.message).not.toContain('\n');
    return typed;
  }
  throw new Error('loadTlsMaterial accepted bad settings');
}

const base = { minVersion: 'TLSv1.2' } as const;

describe('loadTlsMaterial refuses unusable TLS settings with a one-line fix', () => {
  it('accepts the good keystore and reports its certificate', () => {
    const material = loadTlsMaterial({
      ...base,
      keystorePath: modernKeystore,
      keystorePassword: 'right',
    });
    expect(material.fingerprint256).toBe(server.fingerprint256);
    expect(material.source).toBe('keystore');
    expect(material.requireClientCertificate).toBe(false);
  });

  it('wrong and missing keystore password', () => {
    const wrong = failure({ ...base, keystorePath: modernKeystore, keystorePassword: 'wrong' });
    expect(wrong.code).toBe('TLS_KEYSTORE_PASSWORD_WRONG');
    expect(wrong.variable).toBe('TLS_KEYSTORE_PASSWORD');
    expect(wrong.message).toMatch(/TLS_KEYSTORE_PASSWORD does not open/);
    expect(wrong.message).not.toContain('wrong');
    const missing = failure({ ...base, keystorePath: modernKeystore });
    expect(missing.message).toMatch(/TLS_KEYSTORE_PASSWORD is not set/);
  });

  it('legacy RC2/3DES keystore: names the problem and the command that fixes it, which works', async () => {
    const error = failure({
      ...base,
      keystorePath: legacyKeystore,
      keystorePassword: 'right-password',
    });
    expect(error.code).toBe('TLS_KEYSTORE_LEGACY');
    expect(error.variable).toBe('TLS_KEYSTORE_PATH');
    expect(error.message).toContain('keytool -importkeystore');
    const keytool = /(keytool -importkeystore \S+(?: \S+)*? -deststoretype PKCS12)/.exec(
      error.message,
    )?.[1];
    const openssl = /(\(umask 077 .*\))/.exec(error.message)?.[1];
    expect(keytool).toBeDefined();
    expect(openssl).toBeDefined();
    // Run both advised commands, supplying the passwords an operator would type at the prompts.
    await run('sh', [
      '-c',
      `${keytool} -srcstorepass right-password -deststorepass right-password`,
    ]);
    const viaKeytool = loadTlsMaterial({
      ...base,
      keystorePath: legacyKeystore.replace(/\.p12$/, '-aes.p12'),
      keystorePassword: 'right-password',
    });
    expect(viaKeytool.fingerprint256).toBe(server.fingerprint256);
    await rm(legacyKeystore.replace(/\.p12$/, '-aes.p12'));
    const scripted = (openssl ?? '')
      .replace('-nodes', '-nodes -passin pass:right-password')
      .replace('-macalg sha256', '-macalg sha256 -passout pass:right-password');
    await run('sh', ['-c', scripted]);
    expect(await readdir(temp.path)).not.toContain('legacy.p12.tmp.pem');
    const fixed = loadTlsMaterial({
      ...base,
      keystorePath: legacyKeystore.replace(/\.p12$/, '-aes.p12'),
      keystorePassword: 'right-password',
    });
    expect(fixed.fingerprint256).toBe(server.fingerprint256);
  });

  it('expired and not-yet-valid certificates', () => {
    const old = failure({ ...base, certPath: expired.certPath, keyPath: expired.keyPath });
    expect(old.code).toBe('TLS_CERTIFICATE_EXPIRED');
    expect(old.message).toMatch(/TLS_CERT_PATH: the certificate .* has expired: renew it/);
    const early = failure({ ...base, certPath: future.certPath, keyPath: future.keyPath });
    expect(early.code).toBe('TLS_CERTIFICATE_NOT_YET_VALID');
  });

  it('an expired certificate inside a keystore', async () => {
    const keystore = await createPkcs12(expired, temp.file('expired.p12'), { password: 'p' });
    const error = failure({ ...base, keystorePath: keystore, keystorePassword: 'p' });
    expect(error.code).toBe('TLS_CERTIFICATE_EXPIRED');
    expect(error.variable).toBe('TLS_KEYSTORE_PATH');
  });

  it('a key that does not belong to the certificate', () => {
    const error = failure({ ...base, certPath: server.certPath, keyPath: other.keyPath });
    expect(error.code).toBe('TLS_KEY_MISMATCH');
    expect(error.variable).toBe('TLS_KEY_PATH');
  });

  it('missing files, garbage files, and incomplete settings', async () => {
    const absent = failure({
      ...base,
      keystorePath: temp.file('absent.p12'),
      keystorePassword: 'x',
    });
    expect(absent.code).toBe('TLS_FILE_UNREADABLE');
    expect(absent.message).toMatch(/^TLS_KEYSTORE_PATH=.*absent\.p12 cannot be read \(ENOENT\)/);
    await writeFile(temp.file('garbage.p12'), 'not a keystore at all');
    expect(
      failure({ ...base, keystorePath: temp.file('garbage.p12'), keystorePassword: 'x' }).code,
    ).toBe('TLS_KEYSTORE_INVALID');
    expect(
      failure({ ...base, certPath: temp.file('garbage.p12'), keyPath: server.keyPath }).code,
    ).toBe('TLS_PEM_INVALID');
    expect(failure({ ...base, certPath: server.certPath, keyPath: server.certPath }).variable).toBe(
      'TLS_KEY_PATH',
    );
    expect(failure({ ...base }).code).toBe('TLS_SETTINGS_INCOMPLETE');
    expect(failure({ ...base, certPath: server.certPath }).variable).toBe('TLS_KEY_PATH');
    expect(failure({ ...base, keystorePath: modernKeystore, certPath: server.certPath }).code).toBe(
      'TLS_SETTINGS_INCOMPLETE',
    );
    const badCa = failure({
      ...base,
      keystorePath: modernKeystore,
      keystorePassword: 'right',
      clientCaPath: server.keyPath,
    });
    expect(badCa.code).toBe('TLS_CLIENT_CA_INVALID');
  });

  it('an encrypted PEM key says how to store it', async () => {
    const encryptedKey = temp.file('encrypted.key');
    await run('openssl', [
      'pkey',
      '-in',
      server.keyPath,
      '-aes256',
      '-passout',
      'pass:k',
      '-out',
      encryptedKey,
    ]);
    const error = failure({ ...base, certPath: server.certPath, keyPath: encryptedKey });
    expect(error.message).toMatch(/encrypted private key.*openssl pkey/);
  });

  it('createHttpsServer refuses to start on the same errors', () => {
    const logger = { info: () => {}, warn: () => {}, error: () => {} };
    expect(() =>
      createHttpsServer(
        { ...base, keystorePath: modernKeystore, keystorePassword: 'nope' },
        () => {},
        logger,
      ),
    ).toThrow(TlsConfigError);
  });
});
