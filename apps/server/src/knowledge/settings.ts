import { DEFAULT_IMPORT_MAX_BYTES, type ImportSettings } from './import-file.js';
import type { QuerySettings } from './operations.js';

/** What the operator decided about knowledge operations (ALLOW_RAW_QUERY, IMPORT_DIR, …). */
export interface KnowledgeSettings extends QuerySettings {
  readonly import: ImportSettings;
}

/** DESIGN §2 defaults: raw queries allowed, no server-side import. */
export const DEFAULT_KNOWLEDGE_SETTINGS: KnowledgeSettings = Object.freeze({
  allowRawQuery: true,
  import: Object.freeze({ importDir: undefined, maxBytes: DEFAULT_IMPORT_MAX_BYTES }),
});

/** From the parsed configuration: import only with ACCEPT_LOCAL_FILE_PATH and IMPORT_DIR. */
export function knowledgeSettingsFrom(config: {
  readonly allowRawQuery: boolean;
  readonly acceptLocalFilePath: boolean;
  readonly importDir: string | undefined;
}): KnowledgeSettings {
  return {
    allowRawQuery: config.allowRawQuery,
    import: {
      importDir: config.acceptLocalFilePath ? config.importDir : undefined,
      maxBytes: DEFAULT_IMPORT_MAX_BYTES,
    },
  };
}
