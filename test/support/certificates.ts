import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs openssl/keytool; a failure carries the tool's stderr so a broken fixture is obvious. */
async function tool(command: string, args: readonly string[], cwd: string): Promise<void> {
  try {
    // A timeout turns an unexpected interactive prompt into an error instead of a hang.
    await run(command, args, { cwd, timeout: 30_000 });
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${stderr ?? String(error)}`);
  }
}

export interface CertificateFiles {
  readonly certPath: string;
  readonly keyPath: string;
  readonly certPem: string;
  /** `AB:CD:…`, as X509Certificate.fingerprint256 and TLSSocket peers report it. */
  readonly fingerprint256: string;
}

export interface TestCertificateAuthority extends CertificateFiles {
  readonly dir: string;
}

export interface IssueOptions {
  /** File name stem inside the CA's directory. */
  readonly name: string;
  readonly commonName: string;
  readonly usage: 'server' | 'client';
  /** Subject alternative names, e.g. `DNS:localhost,IP:127.0.0.1` (servers). */
  readonly subjectAltName?: string;
  /** `YYYYMMDDHHMMSSZ`; defaults to one day ago. */
  readonly startDate?: string;
  /** `YYYYMMDDHHMMSSZ`; defaults to 30 days ahead. */
  readonly endDate?: string;
}

export function asn1Time(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

async function describe(certPath: string, keyPath: string): Promise<CertificateFiles> {
  const certPem = await readFile(certPath, 'utf8');
  return {
    certPath,
    keyPath,
    certPem,
    fingerprint256: new X509Certificate(certPem).fingerprint256,
  };
}

/** A throwaway CA (EC P-256) able to issue server and client certificates with any dates. */
export async function createCertificateAuthority(dir: string): Promise<TestCertificateAuthority> {
  await writeFile(join(dir, 'index.txt'), '');
  await writeFile(join(dir, 'serial'), '1000\n');
  await writeFile(
    join(dir, 'ca.cnf'),
    [
      '[ca]',
      'default_ca = test_ca',
      '[test_ca]',
      `dir = ${dir}`,
      'database = $dir/index.txt',
      'serial = $dir/serial',
      'new_certs_dir = $dir',
      'certificate = $dir/ca.crt',
      'private_key = $dir/ca.key',
      'default_md = sha256',
      'policy = any_policy',
      'unique_subject = no',
      'copy_extensions = copy',
      '[any_policy]',
      'commonName = supplied',
      '[server_ext]',
      'basicConstraints = critical,CA:FALSE',
      'keyUsage = critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage = serverAuth',
      '[client_ext]',
      'basicConstraints = critical,CA:FALSE',
      'keyUsage = critical,digitalSignature',
      'extendedKeyUsage = clientAuth',
      '',
    ].join('\n'),
  );
  await tool(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '30',
      '-subj',
      '/CN=Cairn Test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ],
    dir,
  );
  return { dir, ...(await describe(join(dir, 'ca.crt'), join(dir, 'ca.key'))) };
}

/** Signs a certificate request from `csrPath` with the CA (dates and extensions as asked). */
export async function signRequest(
  ca: TestCertificateAuthority,
  csrPath: string,
  certPath: string,
  options: Pick<IssueOptions, 'usage' | 'startDate' | 'endDate'>,
): Promise<void> {
  const now = Date.now();
  await tool(
    'openssl',
    [
      'ca',
      '-batch',
      '-notext',
      '-config',
      'ca.cnf',
      '-extensions',
      `${options.usage}_ext`,
      '-startdate',
      options.startDate ?? asn1Time(new Date(now - 86_400_000)),
      '-enddate',
      options.endDate ?? asn1Time(new Date(now + 30 * 86_400_000)),
      '-in',
      csrPath,
      '-out',
      certPath,
    ],
    ca.dir,
  );
}

/** A new EC key and a certificate for it signed by `ca`. */
export async function issueCertificate(
  ca: TestCertificateAuthority,
  options: IssueOptions,
): Promise<CertificateFiles> {
  const keyPath = join(ca.dir, `${options.name}.key`);
  const csrPath = join(ca.dir, `${options.name}.csr`);
  const certPath = join(ca.dir, `${options.name}.crt`);
  const request = [
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    keyPath,
    '-out',
    csrPath,
    '-subj',
    `/CN=${options.commonName}`,
  ];
  if (options.subjectAltName) request.push('-addext', `subjectAltName=${options.subjectAltName}`);
  await tool('openssl', request, ca.dir);
  await signRequest(ca, csrPath, certPath, options);
  return describe(certPath, keyPath);
}

export const LOCALHOST_NAMES = 'DNS:localhost,IP:127.0.0.1,IP:::1';

export interface Pkcs12Options {
  readonly password: string;
  /** RC2-40/3DES with a SHA-1 MAC, as OpenSSL 1.x and old Windows exports wrote them. */
  readonly legacy?: boolean;
  /** Extra certificates (the chain) to put in the keystore. */
  readonly chainPath?: string;
}

/** `openssl pkcs12 -export` of a certificate and its key. */
export async function createPkcs12(
  files: CertificateFiles,
  outPath: string,
  options: Pkcs12Options,
): Promise<string> {
  const args = [
    'pkcs12',
    '-export',
    '-in',
    files.certPath,
    '-inkey',
    files.keyPath,
    '-out',
    outPath,
    '-passout',
    `pass:${options.password}`,
    '-name',
    'cairn',
  ];
  if (options.chainPath) args.push('-certfile', options.chainPath);
  if (options.legacy) args.push('-legacy');
  else args.push('-keypbe', 'AES-256-CBC', '-certpbe', 'AES-256-CBC', '-macalg', 'sha256');
  await tool('openssl', args, files.certPath.slice(0, files.certPath.lastIndexOf('/')));
  return outPath;
}

/**
 * A keystore made the Java way: `keytool -genkeypair -storetype PKCS12`, a certificate request,
 * the reply signed by `ca`, and the chain imported back, as an operator following a Java
 * server's TLS guide would do. Returns the keystore path and the served certificate.
 */
export async function createKeytoolKeystore(
  ca: TestCertificateAuthority,
  name: string,
  password: string,
  options: { readonly viaJks?: boolean } = {},
): Promise<{ keystorePath: string; certificate: CertificateFiles }> {
  const keystorePath = join(ca.dir, `${name}.p12`);
  const jksPath = join(ca.dir, `${name}.jks`);
  const csrPath = join(ca.dir, `${name}-keytool.csr`);
  const certPath = join(ca.dir, `${name}-keytool.crt`);
  // viaJks: the keystore a Java server already has (JKS), converted as Java guides advise.
  const common = options.viaJks
    ? ['-keystore', jksPath, '-storetype', 'JKS', '-storepass', password, '-keypass', password]
    : ['-keystore', keystorePath, '-storetype', 'PKCS12', '-storepass', password];
  await tool(
    'keytool',
    [
      '-genkeypair',
      '-alias',
      'cairn',
      '-keyalg',
      'EC',
      '-groupname',
      'secp256r1',
      '-dname',
      'CN=localhost',
      '-ext',
      'SAN=dns:localhost,ip:127.0.0.1',
      '-validity',
      '30',
      ...common,
    ],
    ca.dir,
  );
  await tool('keytool', ['-certreq', '-alias', 'cairn', '-file', csrPath, ...common], ca.dir);
  await signRequest(ca, csrPath, certPath, { usage: 'server' });
  await tool(
    'keytool',
    [
      '-importcert',
      '-noprompt',
      '-trustcacerts',
      '-alias',
      'test-ca',
      '-file',
      ca.certPath,
      ...common,
    ],
    ca.dir,
  );
  await tool(
    'keytool',
    ['-importcert', '-noprompt', '-alias', 'cairn', '-file', certPath, ...common],
    ca.dir,
  );
  if (options.viaJks) {
    await tool(
      'keytool',
      [
        '-importkeystore',
        '-noprompt',
        '-srckeystore',
        jksPath,
        '-srcstoretype',
        'JKS',
        '-srcstorepass',
        password,
        '-destkeystore',
        keystorePath,
        '-deststoretype',
        'PKCS12',
        '-deststorepass',
        password,
      ],
      ca.dir,
    );
  }
  return { keystorePath, certificate: await describe(certPath, '') };
}
