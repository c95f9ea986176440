export type TlsMinVersion = 'TLSv1.2' | 'TLSv1.3';

/** Values from config.ts (TLS_* variables); paths as given, passwords in clear. */
export interface TlsSettings {
  keystorePath?: string;
  keystorePassword?: string;
  certPath?: string;
  keyPath?: string;
  minVersion: TlsMinVersion;
  clientCaPath?: string;
}
