import type { KeyRing } from '@cairn/crypto';
import {
  type ApplyResult,
  createKnowledgeBase,
  decodeOperation,
  encodeOperation,
  type KnowledgeBase,
  type KnowledgeBaseOptions,
  type Operation,
  restoreKnowledgeBase,
} from '@cairn/logic';
import { type DatabaseLog, isLogError, openDatabaseLog, type StorageWarning } from '@cairn/storage';
import { CairnError } from '../errors.js';
import { translateLogicError } from './logic-errors.js';

export interface KnowledgeDatabaseEvents {
  onWarning(warning: StorageWarning): void;
  /** A background snapshot failed; the log still holds everything, so nothing is lost. */
  onSnapshotError(error: unknown): void;
  /** Seconds an append took until durable (fsync included). */
  onAppend?(seconds: number): void;
}

export interface OpenKnowledgeDatabaseOptions {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
  readonly dir: string;
  readonly masterKeys: KeyRing;
  readonly snapshotEveryOperations: number;
  readonly knowledgeBase?: KnowledgeBaseOptions;
  readonly events: KnowledgeDatabaseEvents;
}

export interface Committed {
  readonly sequence: number;
  readonly result: ApplyResult;
}

interface Pending {
  readonly op: Operation;
  resolve(value: Committed): void;
  reject(error: unknown): void;
}

/**
 * One open database: its encrypted log and the knowledge base folded from it. Writes are
 * validated, made durable, then applied in sequence order; nothing is acknowledged before its
 * fsync and nothing logged can fail on replay.
 */
export class KnowledgeDatabase {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
  readonly dir: string;
  readonly replayed: number;
  private readonly log: DatabaseLog;
  private readonly kb: KnowledgeBase;
  private readonly options: OpenKnowledgeDatabaseOptions;
  private applied: number;
  private snapshotSequence: number;
  private readonly pending = new Map<number, Pending>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private ruleChanges: Promise<unknown> = Promise.resolve();
  private snapshotRunning: Promise<void> | undefined;
  private failure: unknown;
  private closed = false;

  private constructor(
    options: OpenKnowledgeDatabaseOptions,
    log: DatabaseLog,
    kb: KnowledgeBase,
    snapshotSequence: number,
    replayed: number,
  ) {
    this.options = options;
    this.id = options.id;
    this.name = options.name;
    this.createdAt = options.createdAt;
    this.dir = options.dir;
    this.log = log;
    this.kb = kb;
    this.applied = log.lastSequence;
    this.snapshotSequence = snapshotSequence;
    this.replayed = replayed;
  }

  /** Opens the log and rebuilds the knowledge base from the newest snapshot plus the WAL. */
  static async open(options: OpenKnowledgeDatabaseOptions): Promise<KnowledgeDatabase> {
    const log = await openDatabaseLog({
      dir: options.dir,
      databaseId: options.id,
      masterKeys: options.masterKeys,
      onWarning: options.events.onWarning,
    });
    try {
      const { snapshot, operations } = await log.recover();
      let kb: KnowledgeBase;
      if (snapshot === undefined) {
        kb = createKnowledgeBase(options.knowledgeBase);
      } else {
        const chunks: Uint8Array[] = [];
        for await (const chunk of snapshot.open()) chunks.push(chunk as Uint8Array);
        kb = restoreKnowledgeBase(chunks, options.knowledgeBase);
      }
      let replayed = 0;
      for await (const { sequence, payload } of operations) {
        try {
          kb.apply(decodeOperation(payload));
        } catch (cause) {
          throw new CairnError(
            'INTERNAL',
            `database "${options.name}": operation ${sequence} in ${options.dir} cannot be replayed (${(cause as Error).message})`,
            { cause },
          );
        }
        replayed++;
      }
      return new KnowledgeDatabase(options, log, kb, snapshot?.sequence ?? 0, replayed);
    } catch (error) {
      await log.close().catch(() => {});
      throw error;
    }
  }

  /** The live knowledge base, for reads only: every change goes through `commit`. */
  get knowledge(): Pick<KnowledgeBase, 'ask' | 'facts' | 'rules' | 'predicates' | 'tenants'> {
    return this.kb;
  }

  get lastSequence(): number {
    return this.applied;
  }

  /** False after a storage failure: the database refuses writes until the server restarts. */
  get healthy(): boolean {
    return this.failure === undefined && !this.closed;
  }

  /** Validates, logs durably, applies; resolves after the operation is visible to reads. */
  commit(op: Operation, argument: string): Promise<Committed> {
    this.assertWritable();
    const rulesChange = op.type === 'teach' || op.type === 'forget-rule';
    // Rule changes are checked against the current rule set, so they run one at a time; facts
    // are checked on their own and share group commits.
    const run = rulesChange
      ? this.serialRuleChange(() => this.validateAndAppend(op, argument, true))
      : this.validateAndAppend(op, argument, false);
    this.inFlight.add(run);
    const settled = () => this.inFlight.delete(run);
    run.then(settled, settled);
    return run;
  }

  /** Writes a snapshot of the applied state now (no-op when nothing changed). */
  async snapshot(): Promise<void> {
    while (this.snapshotRunning !== undefined) await this.snapshotRunning;
    if (this.applied === this.snapshotSequence) return;
    await this.startSnapshot();
  }

  /** Finishes in-flight writes, snapshots, closes the log. */
  async close(options: { snapshot: boolean } = { snapshot: true }): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    if (options.snapshot && this.failure === undefined) {
      try {
        await this.snapshot();
      } catch (error) {
        this.options.events.onSnapshotError(error);
      }
    } else if (this.snapshotRunning !== undefined) {
      await this.snapshotRunning.catch(() => {});
    }
    await this.log.close();
  }

  private assertWritable(): void {
    if (this.closed) {
      throw new CairnError('UNAVAILABLE', `database "${this.name}" is closing; retry shortly`);
    }
    if (this.failure !== undefined) {
      throw new CairnError(
        'UNAVAILABLE',
        `database "${this.name}" stopped accepting writes after a storage failure; see the server log`,
      );
    }
  }

  private serialRuleChange<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.ruleChanges.then(fn, fn);
    this.ruleChanges = next.catch(() => {});
    return next;
  }

  private async validateAndAppend(
    op: Operation,
    argument: string,
    withRules: boolean,
  ): Promise<Committed> {
    this.assertWritable();
    this.dryRun(op, argument, withRules);
    const payload = encodeOperation(op);
    const started = performance.now();
    let sequence: number;
    try {
      sequence = await this.log.append(payload);
    } catch (error) {
      if (isLogError(error, 'LOG_NO_SPACE')) {
        // Rolled back by the log: nothing of it is stored, and the next write may succeed.
        throw new CairnError(
          'UNAVAILABLE',
          `database "${this.name}": no space left on the disk holding DATA_DIR; the write was not stored. Free disk space and retry`,
          { cause: error },
        );
      }
      this.fail(error);
      throw error;
    }
    this.options.events.onAppend?.((performance.now() - started) / 1000);
    return new Promise<Committed>((resolve, reject) => {
      this.pending.set(sequence, { op, resolve, reject });
      this.drain();
    });
  }

  /**
   * Applies the operation to a scratch knowledge base first (holding the current rules when
   * rules change), so an operation that would fail is refused before it reaches the log.
   */
  private dryRun(op: Operation, argument: string, withRules: boolean): void {
    try {
      const scratch = createKnowledgeBase(this.options.knowledgeBase);
      if (withRules) {
        for (const stored of this.kb.rules()) {
          scratch.apply({ type: 'teach', id: stored.id, rule: stored.rule, at: stored.at });
        }
      }
      scratch.apply(op);
    } catch (error) {
      translateLogicError(error, argument);
    }
  }

  private drain(): void {
    for (;;) {
      const next = this.pending.get(this.applied + 1);
      if (next === undefined) break;
      this.pending.delete(this.applied + 1);
      this.applied++;
      try {
        next.resolve({ sequence: this.applied, result: this.kb.apply(next.op) });
      } catch (error) {
        // The dry run makes this unreachable; if it happens, replay would fail the same way.
        this.fail(error);
        next.reject(error);
      }
    }
    if (
      this.applied - this.snapshotSequence >= this.options.snapshotEveryOperations &&
      this.snapshotRunning === undefined &&
      !this.closed
    ) {
      this.startSnapshot().catch((error) => this.options.events.onSnapshotError(error));
    }
  }

  private startSnapshot(): Promise<void> {
    const sequence = this.applied;
    // Materialised now: the state must be exactly the one at `sequence`, and writes go on.
    const state = [...this.kb.writeSnapshot()];
    const run = this.log.writeSnapshot(sequence, state).then(() => {
      this.snapshotSequence = Math.max(this.snapshotSequence, sequence);
    });
    this.snapshotRunning = run.finally(() => {
      this.snapshotRunning = undefined;
    });
    return this.snapshotRunning;
  }

  private fail(error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    for (const [sequence, pending] of this.pending) {
      this.pending.delete(sequence);
      pending.reject(
        new CairnError('UNAVAILABLE', `database "${this.name}" failed`, { cause: error }),
      );
    }
  }
}
