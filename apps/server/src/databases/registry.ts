import { open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyRing } from '@cairn/crypto';
import type { KnowledgeBaseOptions } from '@cairn/logic';
import type { DatabaseRow, SqlStore } from '@cairn/storage';
import { CairnError } from '../errors.js';
import { KnowledgeDatabase, type KnowledgeDatabaseEvents } from './knowledge-database.js';
import { DEFAULT_DATABASE, parseDatabaseName } from './names.js';

type Database = KnowledgeDatabase;

export interface OpenDatabaseRegistryOptions {
  readonly dataDir: string;
  readonly sql: SqlStore;
  readonly masterKeys: KeyRing;
  readonly snapshotEveryOperations: number;
  readonly knowledgeBase?: KnowledgeBaseOptions;
  readonly events: KnowledgeDatabaseEvents & {
    /** Something worth an operator's attention that did not stop the start. */
    onNotice(message: string, details: Record<string, unknown>): void;
  };
}

export interface DatabaseRegistry {
  get(name: string): Database;
  list(): Database[];
  create(name: string): Promise<Database>;
  /** Deletes the database: its key file is overwritten and its files removed. */
  delete(name: string): Promise<void>;
  /** Snapshot every database and close its log (graceful shutdown). */
  close(): Promise<void>;
}

/** Each database lives in `<dataDir>/databases/<id>` with its own data key (keys.json). */
export async function openDatabaseRegistry(
  options: OpenDatabaseRegistryOptions,
): Promise<DatabaseRegistry> {
  const root = join(options.dataDir, 'databases');
  const open = new Map<string, Database>();
  const busy = new Set<string>();

  const openRow = async (row: DatabaseRow): Promise<Database> => {
    const dir = join(root, row.id);
    const database = await KnowledgeDatabase.open({
      id: row.id,
      name: row.name,
      createdAt: row.createdAt,
      dir,
      masterKeys: options.masterKeys,
      snapshotEveryOperations: options.snapshotEveryOperations,
      ...(options.knowledgeBase ? { knowledgeBase: options.knowledgeBase } : {}),
      events: options.events,
    });
    // The SQL row mirrors the log's current wrapped data key (keys.json is the authority).
    const current = await readCurrentWrappedKey(dir);
    if (current !== undefined && current.wrapped !== row.wrappedDataKey) {
      await options.sql.databases.rewrapDataKey(
        row.id,
        current.wrapped,
        options.masterKeys.primary.id,
      );
    }
    return database;
  };

  try {
    for (const row of await options.sql.databases.list()) open.set(row.name, await openRow(row));
    if (!open.has(DEFAULT_DATABASE)) {
      open.set(DEFAULT_DATABASE, await createDatabase(DEFAULT_DATABASE));
    }
    await removeLeftovers();
  } catch (error) {
    await Promise.allSettled([...open.values()].map((db) => db.close({ snapshot: false })));
    throw error;
  }

  async function createDatabase(name: string): Promise<Database> {
    // The row comes first: its id names the directory and is bound into every record.
    const row = await options.sql.databases.create({
      name,
      wrappedDataKey: '',
      kekId: options.masterKeys.primary.id,
    });
    return openRow(row);
  }

  // A crash between marking a database deleted and removing its files leaves a directory
  // whose row is deleted; finish the job. Directories unknown to SQL are left alone.
  async function removeLeftovers(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(root);
    } catch {
      return;
    }
    const live = new Set([...open.values()].map((db) => db.id));
    for (const name of names) {
      if (live.has(name)) continue;
      const row = await options.sql.databases.findById(name).catch(() => undefined);
      if (row?.deletedAt != null) {
        await destroyFiles(join(root, name));
      } else {
        options.events.onNotice(
          'directory under databases/ belongs to no database; left untouched',
          {
            dir: join(root, name),
          },
        );
      }
    }
  }

  const registry: DatabaseRegistry = {
    get(name) {
      const database = open.get(name);
      if (database === undefined) {
        throw new CairnError(
          'NOT_FOUND',
          `no database named ${JSON.stringify(name)}; list them with the databases query or create it with createDatabase`,
        );
      }
      return database;
    },
    list: () => [...open.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    async create(rawName) {
      const name = parseDatabaseName(rawName, 'name');
      if (open.has(name) || busy.has(name)) {
        throw new CairnError('CONFLICT', `a database named "${name}" already exists`);
      }
      busy.add(name);
      try {
        const database = await createDatabase(name);
        open.set(name, database);
        return database;
      } finally {
        busy.delete(name);
      }
    },
    async delete(rawName) {
      const name = parseDatabaseName(rawName, 'name');
      if (name === DEFAULT_DATABASE) {
        throw new CairnError(
          'CONFLICT',
          'the "default" database cannot be deleted; retract its facts instead',
        );
      }
      const database = registry.get(name);
      open.delete(name);
      busy.add(name);
      try {
        await database.close({ snapshot: false });
        await options.sql.databases.markDeleted(database.id);
        await destroyFiles(database.dir);
      } finally {
        busy.delete(name);
      }
    },
    async close() {
      const all = [...open.values()];
      open.clear();
      const results = await Promise.allSettled(all.map((db) => db.close()));
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    },
  };
  return registry;
}

async function readCurrentWrappedKey(dir: string): Promise<{ wrapped: string } | undefined> {
  try {
    const file = JSON.parse(await readFile(join(dir, 'keys.json'), 'utf8')) as {
      current?: string;
      keys?: Array<{ id?: string; wrapped?: string }>;
    };
    const current = file.keys?.find((key) => key.id === file.current)?.wrapped;
    return current === undefined ? undefined : { wrapped: current };
  } catch {
    return undefined;
  }
}

/** Overwrites the key file before unlinking, so the data key is gone even from this inode. */
async function destroyFiles(dir: string): Promise<void> {
  try {
    const handle = await open(join(dir, 'keys.json'), 'r+');
    try {
      const { size } = await handle.stat();
      await handle.write(Buffer.alloc(size), 0, size, 0);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await rm(dir, { recursive: true, force: true });
}
