import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import {
  checkValidity,
  describeCertificate,
  readPresentedCertificate,
} from './certificate-reader.js';
import {
  CIPHER_SECURE_OPTIONS,
  HONOR_CIPHER_ORDER,
  INTERMEDIATE_CIPHERS,
  INTERMEDIATE_CURVES,
} from './cipher-policy.js';
import { TlsConfigError } from './errors.js';
import { decryptPemKeyCommand, reExportKeystoreCommands } from './remedies.js';
import type { TlsSettings } from './settings.js';

/** Everything needed to serve TLS, already checked. */
export interface TlsMaterial {
  readonly source: 'keystore' | 'pem';
  /** Ready for https.createServer / server.setSecureContext (protocol and cipher policy included). */
  readonly secureContextOptions: SecureContextOptions;
  /** True when client certificates signed by TLS_CLIENT_CA_PATH are required (mTLS). */
  readonly requireClientCertificate: boolean;
  /** The certificate clients are shown. */
  readonly certificate: X509Certificate;
  /** SHA-256 fingerprint of that certificate, `AB:CD:…`. */
  readonly fingerprint256: string;
  /** The files the material came from (what a reload watches). */
  readonly files: readonly string[];
}

export interface LoadTlsOptions {
  /** The instant validity is checked against (tests); defaults to now. */
  readonly now?: Date;
}

interface FileRef {
  readonly path: string;
  readonly variable: string;
}

function readSettingFile(file: FileRef): Buffer {
  try {
    return readFileSync(file.path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new TlsConfigError(
      'TLS_FILE_UNREADABLE',
      file.variable,
      `${file.variable}=${file.path} cannot be read (${code}): point it at an existing file the server user may read`,
      { cause: error },
    );
  }
}

function openSslMessage(error: unknown): string {
  const { message, code } = error as { message?: string; code?: string };
  return `${code ?? ''} ${message ?? String(error)}`;
}

function chooseSource(settings: TlsSettings): 'keystore' | 'pem' {
  const hasKeystore = settings.keystorePath !== undefined && settings.keystorePath !== '';
  const hasPem = Boolean(settings.certPath) || Boolean(settings.keyPath);
  if (hasKeystore && hasPem) {
    throw new TlsConfigError(
      'TLS_SETTINGS_INCOMPLETE',
      'TLS_KEYSTORE_PATH',
      'TLS_KEYSTORE_PATH and TLS_CERT_PATH/TLS_KEY_PATH are both set: keep either the PKCS#12 keystore or the PEM pair, not both',
    );
  }
  if (hasKeystore) return 'keystore';
  if (!settings.certPath || !settings.keyPath) {
    const missing = settings.certPath ? 'TLS_KEY_PATH' : 'TLS_CERT_PATH';
    throw new TlsConfigError(
      'TLS_SETTINGS_INCOMPLETE',
      hasPem ? missing : 'TLS_KEYSTORE_PATH',
      hasPem
        ? `${missing} is not set: TLS from PEM files needs both TLS_CERT_PATH and TLS_KEY_PATH`
        : 'TLS is enabled but no certificate is configured: set TLS_KEYSTORE_PATH (+ TLS_KEYSTORE_PASSWORD) or TLS_CERT_PATH + TLS_KEY_PATH (`cairn certs dev` makes a local pair)',
    );
  }
  return 'pem';
}

function keystoreError(settings: TlsSettings, error: unknown): TlsConfigError {
  const path = settings.keystorePath ?? '';
  const text = openSslMessage(error);
  if (/mac verify failure|invalid password/i.test(text)) {
    return settings.keystorePassword === undefined
      ? new TlsConfigError(
          'TLS_KEYSTORE_PASSWORD_WRONG',
          'TLS_KEYSTORE_PASSWORD',
          `TLS_KEYSTORE_PASSWORD is not set and the keystore ${path} needs a password: set TLS_KEYSTORE_PASSWORD to the keystore's password`,
          { cause: error },
        )
      : new TlsConfigError(
          'TLS_KEYSTORE_PASSWORD_WRONG',
          'TLS_KEYSTORE_PASSWORD',
          `TLS_KEYSTORE_PASSWORD does not open the keystore ${path} (MAC check failed): set the password the keystore was exported with`,
          { cause: error },
        );
  }
  if (/unsupported/i.test(text)) {
    const fix = reExportKeystoreCommands(path);
    return new TlsConfigError(
      'TLS_KEYSTORE_LEGACY',
      'TLS_KEYSTORE_PATH',
      `TLS_KEYSTORE_PATH=${path} uses legacy PKCS#12 encryption (RC2/3DES) that Node's OpenSSL 3 refuses: re-export it with AES-256 and point TLS_KEYSTORE_PATH at the new file: ${fix.keytool} (Java 17+), or ${fix.openssl}`,
      { cause: error },
    );
  }
  if (/key values mismatch/i.test(text)) {
    return new TlsConfigError(
      'TLS_KEY_MISMATCH',
      'TLS_KEYSTORE_PATH',
      `TLS_KEYSTORE_PATH=${path}: the private key does not belong to the certificate; export the key together with its own certificate`,
      { cause: error },
    );
  }
  return new TlsConfigError(
    'TLS_KEYSTORE_INVALID',
    'TLS_KEYSTORE_PATH',
    `TLS_KEYSTORE_PATH=${path} is not a readable PKCS#12 keystore (${text.trim()}): give a .p12/.pfx file, or use TLS_CERT_PATH + TLS_KEY_PATH for PEM files`,
    { cause: error },
  );
}

function checkPemFiles(settings: TlsSettings, cert: Buffer, key: Buffer): void {
  const certPath = settings.certPath ?? '';
  const keyPath = settings.keyPath ?? '';
  try {
    new X509Certificate(cert);
  } catch (error) {
    throw new TlsConfigError(
      'TLS_PEM_INVALID',
      'TLS_CERT_PATH',
      `TLS_CERT_PATH=${certPath} holds no PEM certificate: give the server certificate (then its chain) in PEM form ("-----BEGIN CERTIFICATE-----")`,
      { cause: error },
    );
  }
  try {
    createPrivateKey(key);
  } catch (error) {
    // OpenSSL reports a key that needs a passphrase as an "interrupted" passphrase prompt.
    const encrypted =
      key.toString('latin1').includes('ENCRYPTED') ||
      /passphrase|interrupted or cancelled/i.test(openSslMessage(error));
    throw new TlsConfigError(
      'TLS_PEM_INVALID',
      'TLS_KEY_PATH',
      encrypted
        ? `TLS_KEY_PATH=${keyPath} is an encrypted private key: store it unencrypted with mode 0600 (${decryptPemKeyCommand(keyPath)}) or use a PKCS#12 keystore with TLS_KEYSTORE_PASSWORD`
        : `TLS_KEY_PATH=${keyPath} holds no PEM private key: give the key that belongs to TLS_CERT_PATH ("-----BEGIN PRIVATE KEY-----")`,
      { cause: error },
    );
  }
}

function loadClientCa(settings: TlsSettings): Buffer | undefined {
  if (settings.clientCaPath === undefined || settings.clientCaPath === '') return undefined;
  const file = { path: settings.clientCaPath, variable: 'TLS_CLIENT_CA_PATH' };
  const ca = readSettingFile(file);
  try {
    new X509Certificate(ca);
  } catch (error) {
    throw new TlsConfigError(
      'TLS_CLIENT_CA_INVALID',
      'TLS_CLIENT_CA_PATH',
      `TLS_CLIENT_CA_PATH=${file.path} holds no PEM certificate: give the CA certificate(s) that sign client certificates, in PEM form`,
      { cause: error },
    );
  }
  return ca;
}

/**
 * Reads and checks the configured certificate: files readable, password right, keystore not in
 * a legacy encryption, key matching the certificate, certificate valid now. Throws
 * TlsConfigError with a one-line fix; never returns something a server would fail on later.
 */
export function loadTlsMaterial(settings: TlsSettings, options: LoadTlsOptions = {}): TlsMaterial {
  const source = chooseSource(settings);
  const policy: SecureContextOptions = {
    minVersion: settings.minVersion,
    ciphers: INTERMEDIATE_CIPHERS,
    ecdhCurve: INTERMEDIATE_CURVES,
    honorCipherOrder: HONOR_CIPHER_ORDER,
    secureOptions: CIPHER_SECURE_OPTIONS,
  };
  const ca = loadClientCa(settings);
  if (ca !== undefined) policy.ca = ca;

  let secureContextOptions: SecureContextOptions;
  const files: string[] = [];
  let variable: string;
  if (source === 'keystore') {
    const keystorePath = settings.keystorePath ?? '';
    const pfx = readSettingFile({ path: keystorePath, variable: 'TLS_KEYSTORE_PATH' });
    secureContextOptions = { ...policy, pfx };
    if (settings.keystorePassword !== undefined) {
      secureContextOptions.passphrase = settings.keystorePassword;
    }
    files.push(keystorePath);
    variable = 'TLS_KEYSTORE_PATH';
  } else {
    const certPath = settings.certPath ?? '';
    const keyPath = settings.keyPath ?? '';
    const cert = readSettingFile({ path: certPath, variable: 'TLS_CERT_PATH' });
    const key = readSettingFile({ path: keyPath, variable: 'TLS_KEY_PATH' });
    checkPemFiles(settings, cert, key);
    secureContextOptions = { ...policy, cert, key };
    files.push(certPath, keyPath);
    variable = 'TLS_CERT_PATH';
  }
  if (settings.clientCaPath) files.push(settings.clientCaPath);

  let certificate: X509Certificate | undefined;
  try {
    certificate = readPresentedCertificate(createSecureContext(secureContextOptions));
  } catch (error) {
    if (source === 'keystore') throw keystoreError(settings, error);
    const text = openSslMessage(error);
    throw new TlsConfigError(
      /key values mismatch/i.test(text) ? 'TLS_KEY_MISMATCH' : 'TLS_PEM_INVALID',
      'TLS_KEY_PATH',
      /key values mismatch/i.test(text)
        ? `TLS_KEY_PATH=${settings.keyPath} is not the private key of the certificate in TLS_CERT_PATH=${settings.certPath}: give the key the certificate was issued for`
        : `TLS_CERT_PATH/TLS_KEY_PATH cannot be used together (${text.trim()}): check both are PEM and belong together`,
      { cause: error },
    );
  }
  if (certificate === undefined) {
    throw new TlsConfigError(
      source === 'keystore' ? 'TLS_KEYSTORE_INVALID' : 'TLS_PEM_INVALID',
      variable,
      `${variable} yields no certificate: the keystore must hold a private key entry with its certificate`,
    );
  }
  const problem = checkValidity(certificate, options.now ?? new Date());
  if (problem !== undefined) {
    throw new TlsConfigError(
      problem === 'expired' ? 'TLS_CERTIFICATE_EXPIRED' : 'TLS_CERTIFICATE_NOT_YET_VALID',
      variable,
      problem === 'expired'
        ? `${variable}: the certificate ${describeCertificate(certificate)} has expired: renew it and replace the file (the server reloads it without restart)`
        : `${variable}: the certificate ${describeCertificate(certificate)} is not valid yet: check the machine clock or issue it with an earlier start date`,
    );
  }
  return {
    source,
    secureContextOptions,
    requireClientCertificate: ca !== undefined,
    certificate,
    fingerprint256: certificate.fingerprint256,
    files,
  };
}
