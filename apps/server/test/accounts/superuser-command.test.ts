import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyPassword } from '@cairn/crypto';
import { openSqlStore } from '@cairn/storage';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CliError } from '../../src/commands/cli-error.js';
import { createSuperuserFromCli, type Prompter } from '../../src/commands/superuser.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cairn-superuser-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const noTerminal: Prompter = {
  interactive: false,
  ask: () => Promise.reject(new Error('not interactive')),
  askHidden: () => Promise.reject(new Error('not interactive')),
};

function terminal(answers: string[]): Prompter & { asked: string[] } {
  const asked: string[] = [];
  const next = (question: string) => {
    asked.push(question);
    return Promise.resolve(answers.shift() ?? '');
  };
  return { interactive: true, ask: next, askHidden: next, asked };
}

describe('cairn superuser', () => {
  test('creates the superuser from flags, then leaves it alone; refuses while a server holds the store', async () => {
    const passwordFile = join(dir, 'password');
    await writeFile(passwordFile, 'a long enough password\n', { mode: 0o600 });
    const env = { DATA_DIR: join(dir, 'data') };
    const created = await createSuperuserFromCli(
      { username: 'root', passwordFile },
      noTerminal,
      env,
    );
    expect(created).toEqual({ created: true, lines: ['superuser "root" created'] });
    const again = await createSuperuserFromCli({ username: 'ROOT', passwordFile }, noTerminal, env);
    expect(again.created).toBe(false);

    // Interactive: asked twice, hidden; a mismatch creates nothing.
    const mismatch = terminal(['second-admin', 'first passphrase', 'other passphrase']);
    await expect(createSuperuserFromCli({}, mismatch, env)).rejects.toThrow(/passwords differ/);
    const asking = terminal(['second-admin', 'first passphrase', 'first passphrase']);
    expect((await createSuperuserFromCli({}, asking, env)).created).toBe(true);
    expect(asking.asked).toEqual(['Username: ', 'Password: ', 'Password again: ']);

    const store = await openSqlStore({ dataDir: env.DATA_DIR });
    try {
      const root = await store.users.findByUsername('root');
      expect(root).toMatchObject({ isSuperuser: true, isActive: true });
      expect(await verifyPassword(root?.passwordHash ?? '', 'a long enough password')).toBe(true);
      expect(await store.users.findByUsername('second-admin')).toMatchObject({ isSuperuser: true });
      // The open store is what a running server holds: the command refuses, naming why.
      const refused = createSuperuserFromCli({ username: 'third', passwordFile }, noTerminal, env);
      await expect(refused).rejects.toThrow(/in use by a running server/);
      await expect(refused).rejects.toSatisfy(
        (error) => error instanceof CliError && error.kind === 'failure',
      );
    } finally {
      await store.close();
    }
    // Opening the embedded store four times: seconds each on a loaded machine.
  }, 120_000);

  test('usage errors name what is missing or wrong', async () => {
    const env = { DATA_DIR: join(dir, 'unused') };
    await expect(createSuperuserFromCli({}, noTerminal, env)).rejects.toThrow(
      /no username: pass --username/,
    );
    await expect(createSuperuserFromCli({ username: 'x' }, noTerminal, env)).rejects.toThrow(
      /no password: pass --password-file/,
    );
    await expect(
      createSuperuserFromCli({ username: 'x' }, noTerminal, {
        ...env,
        SUPERUSER_PASSWORD: 'short',
      }),
    ).rejects.toThrow(/SUPERUSER_PASSWORD must be at least 12 characters/);
    await expect(
      createSuperuserFromCli(
        { username: 'x', passwordFile: join(dir, 'missing') },
        noTerminal,
        env,
      ),
    ).rejects.toThrow(/--password-file: cannot read .* \(ENOENT\)/);
  });
});
