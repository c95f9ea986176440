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

/** Mozilla intermediate groups, in preference order. */
export const INTERMEDIATE_CURVES = ['X25519', 'prime256v1', 'secp384r1'].join(':');

/** Two years, all subdomains: what HSTS preload lists ask for, without opting into preload. */
export const HSTS_HEADER_VALUE = 'max-age=63072000; includeSubDomains';
