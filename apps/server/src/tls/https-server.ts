import type { RequestListener } from 'node:http';
import { createServer, type Server } from 'node:https';
import { describeCertificate } from './certificate-reader.js';
import { HSTS_HEADER_VALUE } from './cipher-policy.js';
import { isTlsConfigError } from './errors.js';
import { hashFiles, watchFiles } from './file-watcher.js';
import { loadTlsMaterial, type TlsMaterial } from './load-material.js';
import type { TlsSettings } from './settings.js';

export interface TlsLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface HttpsServerOptions {
  /** Quiet period after a file event before reloading (editors and tools write in steps). */
  readonly watchDebounceMs?: number;
  /** Warn at start and reload when the certificate expires within this many days. */
  readonly expiryWarningDays?: number;
}

export interface HttpsServerHandle {
  readonly server: Server;
  /** Loads the files again; a bad file keeps the current certificate. True when swapped in. */
  reload(): boolean;
  /** Stops watching the files (the server itself is closed by its owner). */
  close(): void;
}

const DAY_MS = 86_400_000;

function certificateFields(material: TlsMaterial): object {
  return {
    subject: material.certificate.subject.replace(/\n/g, ', '),
    fingerprint256: material.fingerprint256,
    validTo: new Date(material.certificate.validTo).toISOString(),
    source: material.source,
    mtls: material.requireClientCertificate,
  };
}

/**
 * An HTTPS server with the checked certificate, Mozilla intermediate ciphers, optional mTLS and
 * HSTS on every response; the certificate is swapped without restart when its files change or
 * reload() is called (SIGHUP). Throws TlsConfigError at creation when the material is unusable.
 */
export function createHttpsServer(
  settings: TlsSettings,
  listener: RequestListener,
  logger: TlsLogger,
  options: HttpsServerOptions = {},
): HttpsServerHandle {
  const { watchDebounceMs = 250, expiryWarningDays = 14 } = options;
  let material = loadTlsMaterial(settings);
  let loadedHash = hashFiles(material.files);

  const warnIfExpiringSoon = (current: TlsMaterial) => {
    const daysLeft = (Date.parse(current.certificate.validTo) - Date.now()) / DAY_MS;
    if (daysLeft < expiryWarningDays) {
      logger.warn(
        {
          event: 'tls.certificate_expiring',
          daysLeft: Math.floor(daysLeft),
          ...certificateFields(current),
        },
        `TLS certificate ${describeCertificate(current.certificate)} expires in ${Math.floor(daysLeft)} days: renew it`,
      );
    }
  };

  const server = createServer(
    {
      ...material.secureContextOptions,
      requestCert: material.requireClientCertificate,
      rejectUnauthorized: material.requireClientCertificate,
    },
    (request, response) => {
      response.setHeader('Strict-Transport-Security', HSTS_HEADER_VALUE);
      listener(request, response);
    },
  );
  logger.info(
    { event: 'tls.certificate_loaded', ...certificateFields(material) },
    'TLS certificate loaded',
  );
  warnIfExpiringSoon(material);

  const reload = (): boolean => {
    try {
      const next = loadTlsMaterial(settings);
      server.setSecureContext(next.secureContextOptions);
      const previous = material.fingerprint256;
      material = next;
      loadedHash = hashFiles(next.files);
      logger.info(
        {
          event: 'tls.certificate_reloaded',
          previousFingerprint256: previous,
          ...certificateFields(next),
        },
        'TLS certificate reloaded',
      );
      warnIfExpiringSoon(next);
      return true;
    } catch (error) {
      // An alert, not a crash: the server keeps serving the certificate it has.
      logger.error(
        {
          event: 'tls.reload_failed',
          alert: true,
          code: isTlsConfigError(error) ? error.code : 'TLS_RELOAD_FAILED',
          variable: isTlsConfigError(error) ? error.variable : undefined,
          keptFingerprint256: material.fingerprint256,
        },
        `TLS certificate reload failed, still serving the previous certificate: ${(error as Error).message}`,
      );
      return false;
    }
  };

  const watcher = watchFiles(
    material.files,
    () => {
      if (hashFiles(material.files) !== loadedHash) reload();
    },
    (error) =>
      logger.warn(
        { event: 'tls.watch_failed', err: error.message },
        'Cannot watch the TLS files; reload with SIGHUP',
      ),
    watchDebounceMs,
  );

  return { server, reload, close: () => watcher.close() };
}
