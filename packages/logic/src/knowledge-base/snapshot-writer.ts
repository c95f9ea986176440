import { crc32 } from './crc32.js';
import type { FactRecord } from './fact-record.js';
import type { KnowledgeState } from './knowledge-state.js';
import { ruleToWire } from './wire-format.js';

export const SNAPSHOT_FORMAT = 'cairn-logic-snapshot';
export const SNAPSHOT_VERSION = 1;
const CHUNK_BYTES = 64 * 1024;

/**
 * JSON lines: a versioned header, the rules, then per tenant its facts (current versions,
 * explicit falses, closed history — each in stored order so a restore rebuilds the same
 * iteration order and re-snapshots to identical bytes), then an `end` line with the line count
 * and a CRC-32 of everything before it, so truncation and bit flips are detected.
 */
export function* writeSnapshot(state: KnowledgeState): Iterable<Uint8Array> {
  const encoder = new TextEncoder();
  let crc = 0;
  let lines = 0;
  let pending: string[] = [];
  let pendingLength = 0;
  const flush = (): Uint8Array => {
    const bytes = encoder.encode(pending.join(''));
    crc = crc32(bytes, crc);
    pending = [];
    pendingLength = 0;
    return bytes;
  };
  const line = (value: unknown): boolean => {
    const text = `${JSON.stringify(value)}\n`;
    pending.push(text);
    pendingLength += text.length;
    lines++;
    return pendingLength >= CHUNK_BYTES;
  };
  line({ format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION });
  for (const stored of state.rules.values()) {
    const by = stored.by !== undefined ? { by: stored.by } : {};
    if (line({ k: 'rule', id: stored.id, at: stored.at, ...by, rule: ruleToWire(stored.rule) }))
      yield flush();
  }
  for (const [name, tenant] of state.tenants) {
    if (line({ k: 'tenant', name })) yield flush();
    for (const store of tenant.predicates.values()) {
      const write = (kind: string, record: FactRecord): boolean =>
        line({
          k: kind,
          p: store.name,
          a: record.ids.map((id) => state.interner.value(id)),
          ...(record.confidence !== undefined ? { c: record.confidence } : {}),
          f: record.validFrom,
          ...(record.validUntil !== undefined ? { u: record.validUntil } : {}),
          at: record.at,
          ...(record.by !== undefined ? { by: record.by } : {}),
        });
      for (const record of store.current) if (write('fact', record)) yield flush();
      for (const record of store.negatives.values()) if (write('not', record)) yield flush();
      for (const record of store.history) if (write('old', record)) yield flush();
    }
  }
  const body = flush();
  if (body.length > 0) yield body;
  yield encoder.encode(`${JSON.stringify({ k: 'end', lines, crc })}\n`);
}
