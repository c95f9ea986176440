/** GraphQL-over-HTTP GET parameters that carry JSON (the spec's `variables` and `extensions`). */
const JSON_PARAMETERS = ['variables', 'extensions'] as const;

/**
 * Why a GET request's JSON parameters cannot be parsed, or undefined when they can. Yoga
 * parses them with a bare JSON.parse, so malformed JSON would surface as an unexpected error
 * (masked, HTTP 200) instead of telling the client what to fix.
 */
export function findMalformedJsonParameter(url: URL): string | undefined {
  for (const name of JSON_PARAMETERS) {
    const value = url.searchParams.get(name);
    if (value === null || value === '') continue;
    try {
      JSON.parse(value);
    } catch {
      return `the ${name} query parameter is not valid JSON; send a URL-encoded JSON object, e.g. ${name}=%7B%7D`;
    }
  }
  return undefined;
}
