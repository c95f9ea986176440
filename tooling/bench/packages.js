// @ts-check
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * @typedef {object} BenchPackage
 * @property {string} name package name, e.g. `@cairn/crypto`
 * @property {string} directory absolute path
 * @property {string} script its `bench` script, as package.json says
 */

/**
 * The workspace packages that have a `bench` script, in the order of pnpm-workspace.yaml's
 * globs and then by directory name. Reads the workspace file itself (only `dir/*` and `dir`
 * entries, which is all this repository uses) so the runner needs no dependency.
 *
 * @param {string} root repository root
 * @returns {Promise<BenchPackage[]>}
 */
export async function listBenchPackages(root) {
  const workspace = await readFile(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const globs = [];
  let inPackages = false;
  for (const line of workspace.split('\n')) {
    if (/^packages:\s*$/.test(line)) {
      inPackages = true;
      continue;
    }
    if (inPackages && /^\S/.test(line)) inPackages = false;
    const entry = inPackages ? /^\s+-\s+["']?([^"'\s]+)["']?\s*$/.exec(line) : null;
    if (entry?.[1] !== undefined) globs.push(entry[1]);
  }
  if (globs.length === 0) throw new Error('pnpm-workspace.yaml lists no packages');
  /** @type {BenchPackage[]} */
  const found = [];
  for (const glob of globs) {
    const directories = glob.endsWith('/*')
      ? (await readdir(join(root, glob.slice(0, -2)), { withFileTypes: true }))
          .filter((entry) => entry.isDirectory())
          .map((entry) => join(root, glob.slice(0, -2), entry.name))
          .sort()
      : [join(root, glob)];
    for (const directory of directories) {
      let manifest;
      try {
        manifest = JSON.parse(await readFile(join(directory, 'package.json'), 'utf8'));
      } catch {
        continue; // a directory without a package.json is not a workspace package
      }
      const script = manifest?.scripts?.bench;
      if (typeof script === 'string' && typeof manifest.name === 'string') {
        found.push({ name: manifest.name, directory, script });
      }
    }
  }
  return found;
}
