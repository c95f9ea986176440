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

async function listFiles(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(root, path)));
    else if (entry.isFile()) out.push(relative(root, path));
  }
  return out.sort();
}

/** Copies a directory tree byte for byte (files 0600, fsynced) and lists each file's SHA-256. */
export async function copyTreeWithDigests(source: string, target: string): Promise<CopiedFile[]> {
  const files: CopiedFile[] = [];
  const directories = new Set<string>([target]);
  await mkdir(target, { recursive: true, mode: 0o700 });
  for (const name of await listFiles(source)) {
    const bytes = await readFile(join(source, name));
    const destination = join(target, name);
    await mkdir(dirname(destination), { recursive: true, mode: 0o700 });
    directories.add(dirname(destination));
    await writeDurably(destination, bytes);
    files.push({
      name: name.split(sep).join('/'),
      bytes: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
  }
  for (const dir of directories) await fsyncDirectory(dir);
  return files;
}

/** Copies the listed files back, refusing (before writing anything) when one differs. */
export async function restoreTreeChecked(
  source: string,
  target: string,
  files: readonly CopiedFile[],
): Promise<void> {
  const contents: Buffer[] = [];
  for (const file of files) {
    if (
      file.name.split('/').some((part) => part === '..' || part === '') ||
      file.name.startsWith('/')
    ) {
      throw new CliError(
        'failure',
        `the backup manifest names an unsafe path ${JSON.stringify(file.name)}`,
      );
    }
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
  for (const [index, file] of files.entries()) {
    const destination = join(target, ...file.name.split('/'));
    await mkdir(dirname(destination), { recursive: true, mode: 0o700 });
    directories.add(dirname(destination));
    await writeDurably(destination, contents[index] as Buffer);
  }
  for (const dir of directories) await fsyncDirectory(dir);
}
