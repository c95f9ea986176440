/**
 * Child process of the crash test: performs security-relevant writes forever and prints the
 * name of each one on stdout only after the store acknowledged it. The parent SIGKILLs it.
 * (stdout to a pipe is synchronous on Linux, so a printed line was really handed over.)
 */
import { openSqlStore } from '../../../src/sql/open-sql-store.js';

const [dataDir, round] = process.argv.slice(2);
if (dataDir === undefined || round === undefined) {
  throw new Error('usage: crash-writer <dataDir> <round>');
}
const store = await openSqlStore({ dataDir });
process.stdout.write('ready\n');
const tenant = await store.tenants.create(`crash-tenant-${round}`);
process.stdout.write(`tenant ${tenant.name}\n`);
for (let index = 0; ; index++) {
  const username = `crash-${round}-${index}`;
  const user = await store.users.create({ username, passwordHash: `hash-${index}` });
  process.stdout.write(`user ${username}\n`);
  const key = await store.apiKeys.create({
    name: username,
    keyHash: `key-${round}-${index}`,
    role: 'writer',
    ownerUserId: user.id,
  });
  process.stdout.write(`key ${key.keyHash}\n`);
  if (index % 3 === 0) {
    await store.apiKeys.revoke(key.id);
    process.stdout.write(`revoked ${key.keyHash}\n`);
  }
}
