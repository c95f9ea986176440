import { describe, expect, it } from 'vitest';
import { findMalformedJsonParameter } from '../../src/app/query-parameters.js';

const at = (query: string) => new URL(`http://cairn.invalid/graphql?${query}`);

describe('GET JSON parameters', () => {
  it('accepts absent, empty and well-formed variables and extensions', () => {
    expect(findMalformedJsonParameter(at('query=%7B__typename%7D'))).toBeUndefined();
    expect(findMalformedJsonParameter(at('query=x&variables='))).toBeUndefined();
    expect(
      findMalformedJsonParameter(at('variables=%7B%22a%22%3A1%7D&extensions=%7B%7D')),
    ).toBeUndefined();
    // Not an object, but JSON: yoga itself answers that with BAD_REQUEST.
    expect(findMalformedJsonParameter(at('variables=5'))).toBeUndefined();
  });

  it('names the parameter that is not JSON and how to send it', () => {
    expect(findMalformedJsonParameter(at('variables=%7Bx'))).toBe(
      'the variables query parameter is not valid JSON; send a URL-encoded JSON object, e.g. variables=%7B%7D',
    );
    expect(findMalformedJsonParameter(at('variables=%7B%7D&extensions=%24%7Bjndi%7D'))).toMatch(
      /^the extensions query parameter is not valid JSON/,
    );
    expect(findMalformedJsonParameter(at('variables=%EF%BF%BD'))).toMatch(/^the variables/);
  });
});
