import { resolveLimits } from '../engine/limits.js';
import { LogicError } from '../errors.js';
import { crc32 } from './crc32.js';
import type { FactRecord } from './fact-record.js';
import {
  type KnowledgeBase,
  type KnowledgeBaseOptions,
  knowledgeBaseOver,
} from './knowledge-base.js';
import { KnowledgeState } from './knowledge-state.js';
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from './snapshot-writer.js';
import { TenantFacts } from './tenant-facts.js';
import type { StoredRule } from './types.js';
import { WireReader } from './wire-format.js';

function concat(snapshot: Iterable<Uint8Array> | Uint8Array): Uint8Array {
  if (snapshot instanceof Uint8Array) return snapshot;
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (const chunk of snapshot) {
    if (!(chunk instanceof Uint8Array))
      throw new LogicError('INVALID_SNAPSHOT', 'snapshot chunks must be Uint8Arrays');
    chunks.push(chunk);
    length += chunk.length;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

/** Rebuilds the exact state written by `writeSnapshot`; damage of any kind is INVALID_SNAPSHOT. */
export function restoreKnowledgeBase(
  snapshot: Iterable<Uint8Array> | Uint8Array,
  options: KnowledgeBaseOptions = {},
): KnowledgeBase {
  resolveLimits(options.limits);
  const reader = new WireReader('INVALID_SNAPSHOT');
  const bytes = concat(snapshot);
  // The end line is the last line; everything before it is covered by its CRC.
  const lastNewline = bytes.lastIndexOf(0x0a, bytes.length - 2);
  if (bytes.length === 0 || bytes[bytes.length - 1] !== 0x0a || lastNewline < 0) {
    reader.fail('snapshot is empty or truncated (no end line)');
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const parse = (text: string, what: string): Record<string, unknown> => {
    try {
      return reader.object(JSON.parse(text), what);
    } catch (cause) {
      if (cause instanceof LogicError) throw cause;
      throw new LogicError('INVALID_SNAPSHOT', `${what} is not valid JSON`, { cause });
    }
  };
  let endText: string;
  let bodyText: string;
  try {
    endText = decoder.decode(bytes.subarray(lastNewline + 1, bytes.length - 1));
    bodyText = decoder.decode(bytes.subarray(0, lastNewline + 1));
  } catch (cause) {
    throw new LogicError('INVALID_SNAPSHOT', 'snapshot is not valid UTF-8', { cause });
  }
  const end = parse(endText, 'snapshot end line');
  if (end.k !== 'end') reader.fail('snapshot is truncated: its last line is not the end line');
  if (crc32(bytes.subarray(0, lastNewline + 1)) !== end.crc)
    reader.fail('snapshot checksum mismatch: the file is damaged');
  const lines = bodyText.split('\n');
  lines.pop();
  if (lines.length !== end.lines)
    reader.fail(`snapshot has ${lines.length} lines, its end line says ${String(end.lines)}`);

  const header = parse(lines[0] ?? '', 'snapshot header');
  if (header.format !== SNAPSHOT_FORMAT) reader.fail('not a Cairn logic snapshot (bad header)');
  if (header.version !== SNAPSHOT_VERSION) {
    reader.fail(
      `unsupported snapshot version ${String(header.version)}; this build reads ${SNAPSHOT_VERSION}`,
    );
  }
  const state = new KnowledgeState(options.limits ?? {});
  const rules = new Map<string, StoredRule>();
  let tenant: TenantFacts | undefined;
  for (let i = 1; i < lines.length; i++) {
    const where = `snapshot line ${i + 1}`;
    const o = parse(lines[i] as string, where);
    const at = o.k === 'tenant' ? 0 : reader.number(o.at, `${where}.at`);
    const by = reader.optionalString(o.by, `${where}.by`);
    if (o.k === 'rule') {
      const id = reader.string(o.id, `${where}.id`);
      rules.set(id, {
        id,
        rule: reader.rule(o.rule, `${where}.rule`),
        at,
        ...(by !== undefined ? { by } : {}),
      });
    } else if (o.k === 'tenant') {
      tenant = new TenantFacts();
      state.tenants.set(reader.string(o.name, `${where}.name`), tenant);
    } else if (o.k === 'fact' || o.k === 'not' || o.k === 'old') {
      const facts = tenant ?? reader.fail(`${where}: fact before any tenant line`);
      const fact = reader.fact({ p: o.p, a: o.a }, where);
      const confidence = reader.optionalNumber(o.c, `${where}.c`);
      const validFrom = reader.number(o.f, `${where}.f`);
      const validUntil = reader.optionalNumber(o.u, `${where}.u`);
      const record: FactRecord = {
        ids: fact.atom.args.map((t) =>
          state.interner.intern((t as { value: string | number | boolean }).value),
        ),
        ...(confidence !== undefined ? { confidence } : {}),
        validFrom,
        ...(validUntil !== undefined ? { validUntil } : {}),
        at,
        ...(by !== undefined ? { by } : {}),
      };
      facts
        .store(fact.atom.predicate, record.ids.length)
        .restore(record, o.k === 'fact' ? 'current' : o.k === 'not' ? 'negative' : 'history');
    } else {
      reader.fail(`${where}: unknown record kind ${JSON.stringify(o.k)}`);
    }
  }
  try {
    state.setRules(rules);
  } catch (cause) {
    throw new LogicError('INVALID_SNAPSHOT', 'snapshot rules are not stratifiable', { cause });
  }
  return knowledgeBaseOver(state);
}
