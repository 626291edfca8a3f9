import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.ts';

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      databaseUrl: undefined,
      dataDir: './data',
      port: 8080,
      host: '127.0.0.1',
      adminUsername: 'admin',
      adminPassword: undefined,
      apiSecretKey: undefined,
      allowGet: false,
      adminToken: undefined,
      logLevel: 'info',
    });
  });

  it('reads every variable of the environment table', () => {
    const config = parseConfig({
      DATABASE_URL: 'postgres://u@h:5432/db',
      DATA_DIR: 'memory://',
      PORT: '9000',
      HOST: '0.0.0.0',
      MOR_ADMIN_USERNAME: 'root',
      MOR_ADMIN_PASSWORD: 'longenough',
      MOR_API_SECRET_KEY: 'abcdef',
      MOR_ALLOW_GET: '1',
      MOR_ADMIN_TOKEN: '0123456789abcdef',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      databaseUrl: 'postgres://u@h:5432/db',
      dataDir: 'memory://',
      port: 9000,
      host: '0.0.0.0',
      adminUsername: 'root',
      adminPassword: 'longenough',
      apiSecretKey: 'abcdef',
      allowGet: true,
      adminToken: '0123456789abcdef',
      logLevel: 'debug',
    });
  });

  it('treats empty values as unset', () => {
    expect(parseConfig({ DATABASE_URL: '', PORT: '' }).port).toBe(8080);
  });

  it('names every bad variable in one clear message', () => {
    let error: unknown;
    try {
      parseConfig({ PORT: 'eighty', MOR_API_SECRET_KEY: '12345', MOR_ALLOW_GET: 'maybe', DATABASE_URL: 'mysql://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT: must be a port number');
    expect(message).toContain('MOR_API_SECRET_KEY: must be longer than 5 characters');
    expect(message).toContain('MOR_ALLOW_GET: must be 0 or 1');
    expect(message).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL');
    expect(message).not.toContain('12345'.repeat(2));
  });

  it('refuses a port out of range', () => {
    expect(() => parseConfig({ PORT: '70000' })).toThrow(/PORT/);
  });
});

describe('RATE_INDEX_MAX_MB (and the deprecated RATE_INDEX_MAX_ROWS)', () => {
  it('defaults to 512 MB, accepts 0 (off), maps a row count and refuses anything but a whole number', () => {
    expect(parseConfig({}).rateIndexMaxMb).toBe(512);
    expect(parseConfig({ RATE_INDEX_MAX_MB: '0' }).rateIndexMaxMb).toBe(0);
    expect(parseConfig({ RATE_INDEX_MAX_MB: '300' }).rateIndexMaxMb).toBe(300);
    // Deprecated row count: 64 bytes a row, rounded up to whole MB; RATE_INDEX_MAX_MB wins when both are set.
    expect(parseConfig({ RATE_INDEX_MAX_ROWS: '0' }).rateIndexMaxMb).toBe(0);
    expect(parseConfig({ RATE_INDEX_MAX_ROWS: '2000000' }).rateIndexMaxMb).toBe(128);
    expect(parseConfig({ RATE_INDEX_MAX_ROWS: '5', RATE_INDEX_MAX_MB: '7' }).rateIndexMaxMb).toBe(7);
    expect(() => parseConfig({ RATE_INDEX_MAX_MB: '1.5' })).toThrow(/RATE_INDEX_MAX_MB/);
    expect(() => parseConfig({ RATE_INDEX_MAX_ROWS: '-1' })).toThrow(/RATE_INDEX_MAX_ROWS: must be a whole number/);
    expect(() => parseConfig({ RATE_INDEX_MAX_ROWS: '1e6' })).toThrow(ConfigError);
  });
});

describe('DB_POOL_MAX', () => {
  it('defaults to 2 connections per CPU, at least 4 and at most 10; an explicit value wins', () => {
    expect(parseConfig({}, 1).poolMax).toBe(4);
    expect(parseConfig({}, 2).poolMax).toBe(4);
    expect(parseConfig({}, 3).poolMax).toBe(6);
    expect(parseConfig({}, 64).poolMax).toBe(10);
    expect(parseConfig({ DB_POOL_MAX: '32' }, 2).poolMax).toBe(32);
  });
});
