import type { AuditEventsRepository } from '@cairn/storage';
import type { Logger } from '../observability/logger.js';
import type { AuditEntry, AuditRecorder } from './audit.js';

export interface AuditRecorderOptions {
  readonly auditEvents: AuditEventsRepository;
  readonly logger: Logger;
}

/**
 * Writes audit events in the background. A request never waits for its audit row and never
 * fails because of it: a refused or failed write is logged (without the details, which are
 * what was refused) and the request goes on.
 */
export function createAuditRecorder({ auditEvents, logger }: AuditRecorderOptions): AuditRecorder {
  const pending = new Set<Promise<void>>();
  return {
    record(entry: AuditEntry) {
      const write = (async () => {
        try {
          await auditEvents.append({
            action: entry.action,
            outcome: entry.outcome,
            actor: entry.actor,
            target: entry.target ?? null,
            clientIp: entry.clientIp ?? null,
            requestId: entry.requestId ?? null,
            details: entry.details ?? null,
          });
        } catch (error) {
          logger.error(
            {
              audit: { action: entry.action, outcome: entry.outcome, actor: entry.actor },
              error: error instanceof Error ? error.message : String(error),
            },
            'audit event not written',
          );
        }
      })();
      pending.add(write);
      void write.finally(() => pending.delete(write));
    },
    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
