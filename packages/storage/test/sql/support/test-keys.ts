import { generateMasterKey } from '@cairn/crypto';

/** The master key the shared test stores are opened with. */
export const testMasterKey = generateMasterKey();
