import { describe, expect, test } from 'vitest';
import { parseBridgeConfig } from '../src/config.js';

describe('parseBridgeConfig', () => {
  test('defaults: stdio, the local API, its origin as the resource, port 9301', () => {
    const config = parseBridgeConfig([], {});
    expect(config.transport).toBe('stdio');
    expect(config.apiUrl.href).toBe('http://127.0.0.1:9300/');
    expect(config.resource.href).toBe('http://127.0.0.1:9300/');
    expect(config.http).toMatchObject({
      host: '127.0.0.1',
      port: 9301,
      tls: undefined,
      allowedOrigins: [],
    });
    expect(config.timeoutMs).toBe(30_000);
  });

  test('reads every variable', () => {
    const config = parseBridgeConfig(['--http'], {
      CAIRN_URL: 'https://cairn.internal:9300',
      CAIRN_TOKEN: 'cairn_abc',
      CAIRN_CA_FILE: '/etc/cairn/ca.pem',
      CAIRN_DATABASE: 'crm',
      CAIRN_TENANT: 'acme',
      CAIRN_PUBLIC_URL: 'https://cairn.example.com',
      MCP_PORT: '8443',
      MCP_PUBLIC_URL: 'https://mcp.example.com',
      MCP_ALLOWED_ORIGINS: 'https://app.example.com, https://admin.example.com',
      TLS_ENABLED: 'true',
      TLS_CERT_PATH: '/tls/cert.pem',
      TLS_KEY_PATH: '/tls/key.pem',
    });
    expect(config).toMatchObject({
      transport: 'http',
      token: 'cairn_abc',
      caFile: '/etc/cairn/ca.pem',
      database: 'crm',
      tenant: 'acme',
      http: {
        port: 8443,
        allowedOrigins: ['https://app.example.com', 'https://admin.example.com'],
        tls: { certPath: '/tls/cert.pem', keyPath: '/tls/key.pem', minVersion: 'TLSv1.2' },
      },
    });
    expect(config.resource.href).toBe('https://cairn.example.com/');
    expect(config.http.publicUrl?.href).toBe('https://mcp.example.com/');
  });

  test.each([
    [{ CAIRN_URL: 'cairn.example.com' }, 'CAIRN_URL must be an http(s) URL'],
    [{ CAIRN_URL: 'ftp://cairn.example.com' }, 'CAIRN_URL must be an http(s) URL'],
    [{ MCP_PORT: '70000' }, 'MCP_PORT must be a port number'],
    [{ MCP_PORT: 'http' }, 'MCP_PORT'],
    [{ CAIRN_DATABASE: 'my db' }, 'CAIRN_DATABASE must be 1–64 letters'],
    [{ CAIRN_TIMEOUT_MS: '5' }, 'CAIRN_TIMEOUT_MS must be an integer'],
    [{ TLS_ENABLED: 'yes' }, 'TLS_ENABLED must be true or false'],
    [{ TLS_ENABLED: 'true' }, 'TLS_ENABLED=true needs TLS_KEYSTORE_PATH'],
    [{ TLS_ENABLED: 'true', TLS_CERT_PATH: '/c.pem' }, 'both TLS_CERT_PATH and TLS_KEY_PATH'],
    [{ MCP_ALLOWED_ORIGINS: 'https://app.example.com/path' }, 'is not an origin'],
  ])('refuses %o naming the variable', (env, message) => {
    expect(() => parseBridgeConfig(['--http'], env)).toThrow(message);
  });

  test('names every bad variable at once', () => {
    expect(() => parseBridgeConfig([], { CAIRN_URL: 'x', MCP_PORT: '-1' })).toThrow(
      /CAIRN_URL.*; MCP_PORT/,
    );
  });

  test('refuses an unknown argument with the usage', () => {
    expect(() => parseBridgeConfig(['--htp'], {})).toThrow(
      'unknown argument --htp; usage: cairn-mcp [--http]',
    );
  });
});
