import { X509Certificate } from 'node:crypto';
import { type SecureContext, TLSSocket } from 'node:tls';

/**
 * The certificate a secure context would present. Node has no PKCS#12 parser of its own besides
 * OpenSSL's inside createSecureContext, so rather than adding a second parser (node-forge lacks
 * some of the PBES2 variants keytool writes) we ask a server-side TLSSocket that is never
 * connected for its local certificate: exactly what clients will be shown.
 */
export function readPresentedCertificate(context: SecureContext): X509Certificate | undefined {
  const socket = new TLSSocket(null as never, { secureContext: context, isServer: true });
  try {
    const peer = socket.getCertificate();
    if (peer === null || !('raw' in peer) || !Buffer.isBuffer(peer.raw)) return undefined;
    return new X509Certificate(peer.raw);
  } finally {
    socket.destroy();
  }
}

export type ValidityProblem = 'expired' | 'not-yet-valid' | undefined;

export function checkValidity(certificate: X509Certificate, now: Date): ValidityProblem {
  if (now.getTime() > Date.parse(certificate.validTo)) return 'expired';
  if (now.getTime() < Date.parse(certificate.validFrom)) return 'not-yet-valid';
  return undefined;
}

/** One-line description used in messages and logs: subject, serial, expiry. */
export function describeCertificate(certificate: X509Certificate): string {
  const subject = certificate.subject.replace(/\n/g, ', ');
  return `"${subject}" (valid ${certificate.validFrom} to ${certificate.validTo})`;
}
