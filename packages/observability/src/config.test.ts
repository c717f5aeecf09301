import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findServiceDefaults, readTelemetryConfig } from './config.js';

const ENDPOINT = 'http://127.0.0.1:4318';

describe('readTelemetryConfig', () => {
  it('is off without an OTLP endpoint, or with an empty one', () => {
    expect(readTelemetryConfig({})).toEqual({ enabled: false, reason: 'ni OTEL_EXPORTER_OTLP_ENDPOINT ni OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' });
    expect(readTelemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }).enabled).toBe(false);
  });

  it('is off when OTEL_SDK_DISABLED or OTEL_TRACES_EXPORTER=none says so, endpoint or not', () => {
    expect(readTelemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT, OTEL_SDK_DISABLED: 'true' })).toEqual({
      enabled: false,
      reason: 'OTEL_SDK_DISABLED=true',
    });
    expect(readTelemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT, OTEL_TRACES_EXPORTER: 'none' }).enabled).toBe(false);
  });

  it('refuses a protocol other than http/protobuf, http/json or grpc instead of guessing', () => {
    const config = readTelemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/xml' });
    expect(config).toMatchObject({ enabled: false, reason: expect.stringContaining('http/xml') });
  });

  it('defaults to http/protobuf and names the traces URL the exporter will post to, without credentials', () => {
    expect(readTelemetryConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://user:secret@signoz.example.fr:4318/' })).toMatchObject({
      enabled: true,
      protocol: 'http/protobuf',
      endpoint: 'https://signoz.example.fr:4318/v1/traces',
    });
    expect(
      readTelemetryConfig({
        OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT,
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:9999/custom',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      }),
    ).toMatchObject({ enabled: true, protocol: 'http/json', endpoint: 'http://127.0.0.1:9999/custom' });
  });

  it('describes the service: package name and version, NODE_ENV, and the PM2 instance', () => {
    const config = readTelemetryConfig(
      { OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT, NODE_ENV: 'production', NODE_APP_INSTANCE: '3' },
      { serviceName: '@girlycrea/api', serviceVersion: '1.4.0' },
    );
    expect(config).toMatchObject({
      enabled: true,
      resource: {
        'service.name': 'girlycrea-api',
        'service.version': '1.4.0',
        'deployment.environment.name': 'production',
        'deployment.environment': 'production',
        'pm2.instance.id': '3',
        'service.instance.id': `${hostname()}/3`,
      },
    });
  });
});

describe('findServiceDefaults', () => {
  const here = fileURLToPath(import.meta.url);

  it("prefers npm's variables, then the package.json nearest to PM2's script, then to argv[1]", () => {
    expect(findServiceDefaults({ npm_package_name: '@girlycrea/api', npm_package_version: '2.0.0' }, [])).toEqual({
      serviceName: '@girlycrea/api',
      serviceVersion: '2.0.0',
    });
    const own = { serviceName: '@girlycrea/observability', serviceVersion: '0.1.0' };
    expect(findServiceDefaults({ pm_exec_path: here }, ['node', '/somewhere/else.js'])).toEqual(own);
    expect(findServiceDefaults({}, ['node', here])).toEqual(own);
    expect(findServiceDefaults({}, ['node'])).toEqual({});
  });
});
