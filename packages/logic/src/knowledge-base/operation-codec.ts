import { LogicError } from '../errors.js';
import { crc32 } from './crc32.js';
import type { Operation } from './types.js';
import { atomToWire, factToWire, ruleToWire, WireReader } from './wire-format.js';

// Frame: "CLO" magic, format version, CRC-32 of the payload (big endian), UTF-8 JSON payload.
// The WAL around it is authenticated; the CRC makes a damaged record fail here too, by name.
const MAGIC = [0x43, 0x4c, 0x4f];
const VERSION = 1;
const HEADER = 8;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeOperation(op: Operation): Uint8Array {
  const payload = encoder.encode(JSON.stringify(operationToWire(op)));
  const out = new Uint8Array(HEADER + payload.length);
  out.set(MAGIC, 0);
  out[3] = VERSION;
  new DataView(out.buffer).setUint32(4, crc32(payload));
  out.set(payload, HEADER);
  return out;
}

export function decodeOperation(bytes: Uint8Array): Operation {
  const reader = new WireReader('INVALID_OPERATION');
  if (!(bytes instanceof Uint8Array)) reader.fail('an encoded operation must be a Uint8Array');
  if (
    bytes.length < HEADER ||
    bytes[0] !== MAGIC[0] ||
    bytes[1] !== MAGIC[1] ||
    bytes[2] !== MAGIC[2]
  ) {
    reader.fail('not an encoded operation (bad magic or too short)');
  }
  if (bytes[3] !== VERSION)
    reader.fail(`unsupported operation format version ${bytes[3]}; this build reads ${VERSION}`);
  const payload = bytes.subarray(HEADER);
  const expected = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4);
  if (crc32(payload) !== expected)
    reader.fail('operation checksum mismatch: the record is damaged or truncated');
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(payload));
  } catch (cause) {
    throw new LogicError('INVALID_OPERATION', 'operation payload is not valid UTF-8 JSON', {
      cause,
    });
  }
  return operationFromWire(json, reader);
}

export function operationToWire(op: Operation): unknown {
  const by = 'by' in op && op.by !== undefined ? { by: op.by } : {};
  switch (op.type) {
    case 'assert':
      return {
        type: op.type,
        tenant: op.tenant,
        facts: op.facts.map(factToWire),
        at: op.at,
        ...by,
      };
    case 'retract':
      return {
        type: op.type,
        tenant: op.tenant,
        pattern: atomToWire(op.pattern),
        at: op.at,
        ...by,
      };
    case 'teach':
      return { type: op.type, id: op.id, rule: ruleToWire(op.rule), at: op.at, ...by };
    case 'forget-rule':
      return { type: op.type, id: op.id, at: op.at, ...by };
    case 'drop-tenant':
      return { type: op.type, tenant: op.tenant, at: op.at, ...by };
    case 'compact':
      return { type: op.type, at: op.at };
  }
}

export function operationFromWire(json: unknown, reader: WireReader): Operation {
  const o = reader.object(json, 'operation');
  const at = reader.number(o.at, 'operation.at');
  const by = reader.optionalString(o.by, 'operation.by');
  const withBy = by === undefined ? {} : { by };
  switch (o.type) {
    case 'assert': {
      if (!Array.isArray(o.facts)) reader.fail('operation.facts must be an array');
      const facts = o.facts.map((f, i) => reader.fact(f, `operation.facts[${i}]`));
      return {
        type: 'assert',
        tenant: reader.string(o.tenant, 'operation.tenant'),
        facts,
        at,
        ...withBy,
      };
    }
    case 'retract':
      return {
        type: 'retract',
        tenant: reader.string(o.tenant, 'operation.tenant'),
        pattern: reader.atom(o.pattern, 'operation.pattern'),
        at,
        ...withBy,
      };
    case 'teach':
      return {
        type: 'teach',
        id: reader.string(o.id, 'operation.id'),
        rule: reader.rule(o.rule, 'operation.rule'),
        at,
        ...withBy,
      };
    case 'forget-rule':
      return { type: 'forget-rule', id: reader.string(o.id, 'operation.id'), at, ...withBy };
    case 'drop-tenant':
      return {
        type: 'drop-tenant',
        tenant: reader.string(o.tenant, 'operation.tenant'),
        at,
        ...withBy,
      };
    case 'compact':
      return { type: 'compact', at };
    default:
      return reader.fail(`unknown operation type ${JSON.stringify(o.type)}`);
  }
}
