import { randomBytes } from 'node:crypto';
import { hashPassword } from '@cairn/crypto';

let dummy: Promise<string> | undefined;

/**
 * A hash of a random password nobody knows, made once per process with the current
 * parameters. Logins for unknown usernames verify against it, so they cost as much time as a
 * wrong password for a real user and the response time does not reveal which usernames exist.
 */
export function dummyPasswordHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(24).toString('base64url'));
  return dummy;
}
