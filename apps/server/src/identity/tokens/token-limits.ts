/**
 * The fixed rules every token check applies. They are constants, not options, because each one
 * closes an attack: a deployment that could loosen them would eventually do so by accident.
 */

/** The one signing algorithm of Cairn's access tokens (Ed25519). Nothing else is accepted. */
export const ACCESS_TOKEN_ALGORITHM = 'EdDSA';
/** The curve of that algorithm's keys (RFC 8037). */
export const ACCESS_TOKEN_CURVE = 'Ed25519';
/** RFC 9068 media type: an access token cannot be passed off as an ID token or vice versa. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
/** External tokens (JWT_SECRET): the shape PyJWT's `jwt.encode(payload, secret, "HS256")` makes. */
export const EXTERNAL_TOKEN_ALGORITHM = 'HS256';
/** Clock skew tolerated between this server and whoever minted the token. */
export const CLOCK_TOLERANCE_SECONDS = 30;
/**
 * Tokens longer than this are refused before any parsing: ours are ~400 characters, and a
 * megabyte of base64 would otherwise be decoded and JSON-parsed for nothing.
 */
export const MAX_TOKEN_LENGTH = 8192;
/** Unknown key ids reload the key table at most this often (random kids must not hammer SQL). */
export const UNKNOWN_KID_RELOAD_INTERVAL_MS = 5_000;
/**
 * How long a server keeps signing with its cached active key after another server rotated it.
 * Part of the publication window of a retired key.
 */
export const ACTIVE_KEY_CACHE_MS = 60_000;
