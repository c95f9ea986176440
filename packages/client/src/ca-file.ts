import { readFile } from 'node:fs/promises';
import { CairnClientError } from './errors.js';

/** Reads a PEM CA bundle (e.g. `CAIRN_CA_FILE`) with an error that names the file and the fix. */
export async function readCaFile(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as { code?: string }).code ?? 'unreadable';
    throw new CairnClientError(
      'BAD_CONFIG',
      `cannot read the CA file ${path} (${reason}); point it at a PEM certificate`,
      { cause: error },
    );
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new CairnClientError(
      'BAD_CONFIG',
      `the CA file ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
    );
  }
  return text;
}
