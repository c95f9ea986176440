import { constants } from 'node:crypto';

/**
 * Mozilla's "intermediate" server-side TLS configuration (version 5.7): TLS 1.2 and 1.3,
 * forward-secret AEAD suites only. Set explicitly rather than trusting Node's default list, which
 * still accepts static-RSA and CBC suites. The DHE suites are inert: no dhparam is configured, so
 * OpenSSL never picks them; they stay so the list reads the same as Mozilla's.
 */
export const INTERMEDIATE_CIPHERS = [
  // TLS 1.3 (OpenSSL keeps these in a separate list; Node accepts them in `ciphers`)
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  // TLS 1.2
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'DHE-RSA-AES128-GCM-SHA256',
  'DHE-RSA-AES256-GCM-SHA384',
  'DHE-RSA-CHACHA20-POLY1305',
].join(':');

/**
 * The server picks from INTERMEDIATE_CIPHERS in its own order (graders such as testssl.sh rate
 * "no cipher order" as a finding), and OpenSSL's PRIORITIZE_CHACHA keeps what Mozilla's
 * client-order advice is for: a client that lists ChaCha20 first (a mobile CPU without AES
 * instructions) still gets ChaCha20.
 */
export const HONOR_CIPHER_ORDER = true;
export const CIPHER_SECURE_OPTIONS = constants.SSL_OP_PRIORITIZE_CHACHA;

/** Mozilla intermediate groups, in preference order. */
export const INTERMEDIATE_CURVES = ['X25519', 'prime256v1', 'secp384r1'].join(':');

/** Two years, all subdomains: what HSTS preload lists ask for, without opting into preload. */
export const HSTS_HEADER_VALUE = 'max-age=63072000; includeSubDomains';
