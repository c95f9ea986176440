export { HSTS_HEADER_VALUE, INTERMEDIATE_CIPHERS, INTERMEDIATE_CURVES } from './cipher-policy.js';
export { isTlsConfigError, TlsConfigError, type TlsConfigErrorCode } from './errors.js';
export {
  createHttpsServer,
  type HttpsServerHandle,
  type HttpsServerOptions,
  type TlsLogger,
} from './https-server.js';
export { type LoadTlsOptions, loadTlsMaterial, type TlsMaterial } from './load-material.js';
export type { TlsMinVersion, TlsSettings } from './settings.js';
