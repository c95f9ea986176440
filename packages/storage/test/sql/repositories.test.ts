import { apiKeysSuite } from './repositories/api-keys.suite.js';
import { auditEventsSuite } from './repositories/audit-events.suite.js';
import { databasesAndGrantsSuite } from './repositories/databases-grants.suite.js';
import { refreshTokensSuite } from './repositories/refresh-tokens.suite.js';
import { secretsSuite } from './repositories/secrets.suite.js';
import { tenantsSuite } from './repositories/tenants.suite.js';
import { usersSuite } from './repositories/users.suite.js';
import { describeOnBackends } from './support/backends.js';
import { testMasterKey } from './support/test-keys.js';

// One store per backend for every repository suite: opening PGlite costs seconds of CPU, a
// test milliseconds. The suites use names of their own, so they do not see each other's rows.
describeOnBackends(
  'SQL repositories',
  (shared) => {
    usersSuite(shared);
    tenantsSuite(shared);
    apiKeysSuite(shared);
    refreshTokensSuite(shared);
    databasesAndGrantsSuite(shared);
    auditEventsSuite(shared);
    secretsSuite(shared);
  },
  () => ({ masterKey: testMasterKey }),
);
