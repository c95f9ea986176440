import { graphql } from './graphql.js';

// The operations the client speaks. Each one is checked against schema.graphql at compile time;
// `idempotent` in the client marks which may be retried.

const FACT_FIELDS = graphql(`
  fragment FactFields on Fact @_unmask {
    text
    predicate
    args
    negated
    tenant
    confidence
    validFrom
    validUntil
    assertedAt
    assertedBy
  }
`);

const RULE_FIELDS = graphql(`
  fragment RuleFields on Rule @_unmask {
    id
    head
    text
    taughtAt
    taughtBy
  }
`);

export const ASK = graphql(`
  query Ask($database: String, $tenant: String, $query: String!, $limit: Int, $proof: Boolean) {
    ask(database: $database, tenant: $tenant, query: $query, limit: $limit, proof: $proof) {
      solutions
      count
      truncated
      proofs
    }
  }
`);

export const TELL = graphql(
  `
  mutation Tell($database: String, $tenant: String, $fact: String!) {
    tell(database: $database, tenant: $tenant, fact: $fact) {
      ...FactFields
    }
  }
`,
  [FACT_FIELDS],
);

export const TELL_MANY = graphql(
  `
  mutation TellMany($database: String, $tenant: String, $facts: [String!]!) {
    tellMany(database: $database, tenant: $tenant, facts: $facts) {
      count
      facts {
        ...FactFields
      }
    }
  }
`,
  [FACT_FIELDS],
);

export const RETRACT = graphql(`
  mutation Retract($database: String, $tenant: String, $pattern: String!) {
    retract(database: $database, tenant: $tenant, pattern: $pattern) {
      retracted
    }
  }
`);

export const TEACH = graphql(
  `
  mutation Teach($database: String, $rule: String!) {
    teach(database: $database, rule: $rule) {
      ...RuleFields
    }
  }
`,
  [RULE_FIELDS],
);

export const DATABASES = graphql(`
  query Databases {
    databases {
      name
      createdAt
      rules
      tenants
      lastSequence
    }
  }
`);

export const PREDICATES = graphql(`
  query Predicates($database: String, $tenant: String) {
    predicates(database: $database, tenant: $tenant) {
      name
      arity
      facts
      derived
    }
  }
`);

export const ME = graphql(`
  query Me {
    me {
      id
      kind
      name
      tenant
    }
  }
`);
