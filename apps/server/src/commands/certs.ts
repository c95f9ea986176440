import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmod, mkdir, open } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join, resolve } from 'node:path';
import forge from 'node-forge';
import { CliError } from './cli-error.js';

export interface DevCertificateOptions {
  /** Directory the files are written to. */
  readonly outDir: string;
  /** Names and addresses beyond localhost, 127.0.0.1 and ::1. */
  readonly extraNames?: readonly string[];
  readonly days?: number;
  /** Keystore password; generated when absent. */
  readonly password?: string;
  /** Replace existing files. */
  readonly force?: boolean;
  readonly now?: Date;
}

export interface DevCertificate {
  readonly keystorePath: string;
  readonly certPath: string;
  readonly keyPath: string;
  readonly password: string;
  readonly names: readonly string[];
  readonly notAfter: Date;
  /** The `.env` lines that serve this certificate. */
  readonly envLines: readonly string[];
}

const DEFAULT_NAMES = ['localhost', '127.0.0.1', '::1'];
export const DEV_FILE_STEM = 'cairn-dev';

function altName(name: string): { type: number; value?: string; ip?: string } {
  return isIP(name) === 0 ? { type: 2, value: name } : { type: 7, ip: name };
}

async function writePrivateFile(
  path: string,
  bytes: Buffer | string,
  force: boolean,
): Promise<void> {
  let handle: import('node:fs/promises').FileHandle;
  try {
    handle = await open(path, force ? 'w' : 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CliError(
        'usage',
        `${path} already exists: pass --force to replace it, or --out <dir> for another place`,
      );
    }
    throw new CliError('failure', `cannot write ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  // `open` applies the mode only when it creates the file; a replaced file keeps its old mode.
  await chmod(path, 0o600);
}

/**
 * A self-signed certificate for local HTTPS (localhost, 127.0.0.1, ::1): a PKCS#12 keystore
 * whose key is sealed with AES-256 (PBES2, PBKDF2-HMAC-SHA256) plus the same certificate and key as PEM, all mode 0600.
 * The RSA key comes from Node's crypto; node-forge only assembles the certificate and keystore
 * (Node has no X.509 or PKCS#12 writer).
 */
export async function createDevCertificate(
  options: DevCertificateOptions,
): Promise<DevCertificate> {
  const days = options.days ?? 30;
  if (!Number.isInteger(days) || days < 1 || days > 397) {
    throw new CliError('usage', `--days must be a whole number from 1 to 397 (got ${days})`);
  }
  const names = [...new Set([...DEFAULT_NAMES, ...(options.extraNames ?? [])])];
  for (const name of names) {
    if (isIP(name) === 0 && !/^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(name)) {
      throw new CliError(
        'usage',
        `--name ${JSON.stringify(name)} is neither a host name nor an IP address`,
      );
    }
  }
  const password = options.password ?? randomBytes(18).toString('base64url');
  const now = options.now ?? new Date();
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(keyPem);

  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(
    publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  );
  // Positive 128-bit serial: the high bit cleared so DER does not read it as negative.
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  certificate.serialNumber = serial.toString('hex');
  // A little backdating tolerates clock skew between the server and the machines it serves.
  certificate.validity.notBefore = new Date(now.getTime() - 3_600_000);
  certificate.validity.notAfter = new Date(now.getTime() + days * 86_400_000);
  const subject = [
    { name: 'commonName', value: 'localhost' },
    { name: 'organizationName', value: 'Cairn development certificate' },
  ];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: names.map(altName) },
    { name: 'subjectKeyIdentifier' },
  ]);
  certificate.sign(forgeKey, forge.md.sha256.create());
  const certPem = forge.pki.certificateToPem(certificate);

  // The key bag is AES-256-CBC under PBKDF2-HMAC-SHA256 (passed through to forge's
  // encryptPrivateKeyInfo; its typings omit the option). forge's integrity MAC is HMAC-SHA1,
  // which Node and keytool accept; the certificate bag is not encrypted (it is public anyway).
  const keystoreOptions = {
    algorithm: 'aes256',
    count: 10_000,
    friendlyName: DEV_FILE_STEM,
    generateLocalKeyId: true,
    prfAlgorithm: 'sha256',
  } as Parameters<typeof forge.pkcs12.toPkcs12Asn1>[3];
  const keystore = forge.pkcs12.toPkcs12Asn1(forgeKey, [certificate], password, keystoreOptions);
  const keystoreBytes = Buffer.from(forge.asn1.toDer(keystore).getBytes(), 'binary');

  const outDir = resolve(options.outDir);
  await mkdir(outDir, { recursive: true, mode: 0o700 });
  const keystorePath = join(outDir, `${DEV_FILE_STEM}.p12`);
  const certPath = join(outDir, `${DEV_FILE_STEM}.crt`);
  const keyPath = join(outDir, `${DEV_FILE_STEM}.key`);
  const force = options.force ?? false;
  await writePrivateFile(keystorePath, keystoreBytes, force);
  await writePrivateFile(certPath, certPem, force);
  await writePrivateFile(keyPath, keyPem, force);

  return {
    keystorePath,
    certPath,
    keyPath,
    password,
    names,
    notAfter: certificate.validity.notAfter,
    envLines: [
      'TLS_ENABLED=true',
      `TLS_KEYSTORE_PATH=${keystorePath}`,
      `TLS_KEYSTORE_PASSWORD=${password}`,
      `# or the PEM pair instead of the keystore:`,
      `# TLS_CERT_PATH=${certPath}`,
      `# TLS_KEY_PATH=${keyPath}`,
    ],
  };
}
