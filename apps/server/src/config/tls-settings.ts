import { isAbsolute, resolve } from 'node:path';

/** TLS settings as the TLS module consumes them (keystore XOR PEM pair). */
export interface TlsSettings {
  keystorePath?: string;
  keystorePassword?: string;
  certPath?: string;
  keyPath?: string;
  minVersion: 'TLSv1.2' | 'TLSv1.3';
  clientCaPath?: string;
}

export interface TlsVariables {
  readonly TLS_ENABLED?: boolean | undefined;
  readonly TLS_KEYSTORE_PATH?: string | undefined;
  readonly TLS_KEYSTORE_PASSWORD?: string | undefined;
  readonly TLS_CERT_PATH?: string | undefined;
  readonly TLS_KEY_PATH?: string | undefined;
  readonly TLS_MIN_VERSION?: 'TLSv1.2' | 'TLSv1.3' | undefined;
  readonly TLS_CLIENT_CA_PATH?: string | undefined;
}

/** Keystore XOR PEM pair; a keystore needs its password. Undefined when TLS is off. */
export function readTls(raw: TlsVariables, problems: string[]): TlsSettings | undefined {
  if (raw.TLS_ENABLED !== true) return undefined;
  const keystore = raw.TLS_KEYSTORE_PATH !== undefined;
  const pem = raw.TLS_CERT_PATH !== undefined || raw.TLS_KEY_PATH !== undefined;
  const settings: TlsSettings = { minVersion: raw.TLS_MIN_VERSION ?? 'TLSv1.2' };
  if (raw.TLS_CLIENT_CA_PATH !== undefined)
    settings.clientCaPath = absolute(raw.TLS_CLIENT_CA_PATH);
  if (keystore && pem) {
    problems.push(
      'TLS_KEYSTORE_PATH: set either a PKCS#12 keystore (TLS_KEYSTORE_PATH) or PEM files (TLS_CERT_PATH + TLS_KEY_PATH), not both',
    );
  } else if (keystore) {
    settings.keystorePath = absolute(raw.TLS_KEYSTORE_PATH as string);
    if (raw.TLS_KEYSTORE_PASSWORD === undefined) {
      problems.push(
        'TLS_KEYSTORE_PASSWORD: required with TLS_KEYSTORE_PATH; set the keystore password',
      );
    } else {
      settings.keystorePassword = raw.TLS_KEYSTORE_PASSWORD;
    }
  } else if (pem) {
    if (raw.TLS_CERT_PATH === undefined || raw.TLS_KEY_PATH === undefined) {
      problems.push('TLS_CERT_PATH: PEM needs both TLS_CERT_PATH and TLS_KEY_PATH');
    } else {
      settings.certPath = absolute(raw.TLS_CERT_PATH);
      settings.keyPath = absolute(raw.TLS_KEY_PATH);
    }
  } else {
    problems.push(
      'TLS_ENABLED: true but no certificate; set TLS_KEYSTORE_PATH + TLS_KEYSTORE_PASSWORD, or TLS_CERT_PATH + TLS_KEY_PATH (make dev ones with `cairn certs dev`)',
    );
  }
  return settings;
}

function absolute(path: string): string {
  return isAbsolute(path) ? path : resolve(path);
}
