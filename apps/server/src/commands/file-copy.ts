import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { CliError } from './cli-error.js';

export interface CopiedFile {
  /** Path relative to the copied directory, `/`-separated. */
  readonly name: string;
  readonly bytes: number;
  readonly sha256: string;
}

async function writeDurably(path: string, bytes: Buffer): Promise<void> {
  const handle = await open(path, 'w', 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

interface Tree {
  readonly files: string[];
  readonly directories: string[];
}

async function listTree(
  root: string,
  dir = root,
  tree: Tree = { files: [], directories: [] },
): Promise<Tree> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      tree.directories.push(relative(root, path));
      await listTree(root, path, tree);
    } else if (entry.isFile()) {
      tree.files.push(relative(root, path));
    }
  }
  return tree;
}

const toPortable = (name: string) => name.split(sep).join('/');

/** What a copied tree holds: its files with digests, and every directory (empty ones matter). */
export interface CopiedTree {
  readonly directories: readonly string[];
  readonly files: readonly CopiedFile[];
}

/**
 * Copies a directory tree byte for byte (files 0600, fsynced), empty directories included
 * (PostgreSQL refuses a cluster without pg_tblspc, pg_twophase, …), with each file's SHA-256.
 */
export async function copyTreeWithDigests(source: string, target: string): Promise<CopiedTree> {
  const files: CopiedFile[] = [];
  const directories = new Set<string>([target]);
  await mkdir(target, { recursive: true, mode: 0o700 });
  const tree = await listTree(source);
  for (const name of tree.directories.sort()) {
    await mkdir(join(target, name), { recursive: true, mode: 0o700 });
    directories.add(join(target, name));
  }
  for (const name of tree.files.sort()) {
    const bytes = await readFile(join(source, name));
    const destination = join(target, name);
    await mkdir(dirname(destination), { recursive: true, mode: 0o700 });
    directories.add(dirname(destination));
    await writeDurably(destination, bytes);
    files.push({
      name: toPortable(name),
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
  }
  for (const dir of directories) await fsyncDirectory(dir);
  return { directories: tree.directories.map(toPortable).sort(), files };
}

function assertSafe(name: unknown): void {
  if (
    typeof name !== 'string' ||
    name.startsWith('/') ||
    name.split('/').some((part) => part === '..' || part === '')
  ) {
    throw new CliError(
      'failure',
      `the backup manifest names an unsafe path ${JSON.stringify(name)}`,
    );
  }
}

/** Copies a tree back, refusing (before writing anything) when a file is missing or differs. */
export async function restoreTreeChecked(
  source: string,
  target: string,
  tree: CopiedTree,
): Promise<void> {
  const { files } = tree;
  const contents: Buffer[] = [];
  for (const name of tree.directories) assertSafe(name);
  for (const file of files) {
    assertSafe(file.name);
    const bytes = await readFile(join(source, file.name)).catch((cause: unknown) => {
      throw new CliError(
        'failure',
        `the backup is missing ${join(source, file.name)}: it is incomplete`,
        { cause },
      );
    });
    if (
      bytes.length !== file.bytes ||
      createHash('sha256').update(bytes).digest('hex') !== file.sha256
    ) {
      throw new CliError(
        'failure',
        `${join(source, file.name)} differs from the backup manifest: the backup is damaged`,
      );
    }
    contents.push(bytes);
  }
  const directories = new Set<string>([target]);
  await mkdir(target, { recursive: true, mode: 0o700 });
  for (const name of tree.directories) {
    await mkdir(join(target, ...name.split('/')), { recursive: true, mode: 0o700 });
    directories.add(join(target, ...name.split('/')));
  }
  for (const [index, file] of files.entries()) {
    const destination = join(target, ...file.name.split('/'));
    await mkdir(dirname(destination), { recursive: true, mode: 0o700 });
    directories.add(dirname(destination));
    await writeDurably(destination, contents[index] as Buffer);
  }
  for (const dir of directories) await fsyncDirectory(dir);
}
