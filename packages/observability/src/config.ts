import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';

/** Trace export protocols the SDK can build from OTEL_EXPORTER_OTLP_PROTOCOL. */
const PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;
export type OtlpProtocol = (typeof PROTOCOLS)[number];

/** What the telemetry bootstrap decided from the environment; the SDK itself reads the remaining OTEL_* variables. */
export type TelemetryConfig =
  | { enabled: false; reason: string }
  | {
      enabled: true;
      /** The traces endpoint, without credentials, for the start-up line. */
      endpoint: string;
      protocol: OtlpProtocol;
      /** Our defaults; OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME still override them (the SDK's env detector runs last). */
      resource: Record<string, string>;
    };

/** Fallbacks for the resource when OTEL_SERVICE_NAME / OTEL_RESOURCE_ATTRIBUTES do not say. */
export interface ServiceDefaults {
  serviceName?: string;
  serviceVersion?: string;
}

type Env = Record<string, string | undefined>;

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** Drops user:password@ and keeps scheme, host, port and path, so the endpoint can be logged. */
function printable(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return '(adresse illisible)';
  }
}

/**
 * Finds the name and version of the application being started: npm's own variables first, then the
 * package.json nearest to the script (PM2 cluster mode runs its container, so it names the script in pm_exec_path).
 */
export function findServiceDefaults(env: Env = process.env, argv: readonly string[] = process.argv): ServiceDefaults {
  if (env.npm_package_name) return { serviceName: env.npm_package_name, serviceVersion: env.npm_package_version };
  const script = nonEmpty(env.pm_exec_path) ?? argv[1];
  if (!script) return {};
  for (let dir = dirname(script); ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      return {
        serviceName: typeof pkg.name === 'string' ? pkg.name : undefined,
        serviceVersion: typeof pkg.version === 'string' ? pkg.version : undefined,
      };
    } catch {
      if (dirname(dir) === dir) return {};
    }
  }
}

/** `@girlycrea/api` -> `girlycrea-api`: service names travel as labels, keep them plain. */
function serviceNameOf(packageName: string): string {
  return packageName.replace(/^@/, '').replace(/[^A-Za-z0-9._-]+/g, '-');
}

/**
 * Reads the standard OTEL_* variables (plus NODE_ENV and PM2's NODE_APP_INSTANCE) and decides whether tracing runs.
 * Telemetry is on only when an OTLP traces endpoint is configured and neither OTEL_SDK_DISABLED nor
 * OTEL_TRACES_EXPORTER=none says otherwise.
 */
export function readTelemetryConfig(env: Env = process.env, defaults: ServiceDefaults = {}): TelemetryConfig {
  if (nonEmpty(env.OTEL_SDK_DISABLED)?.toLowerCase() === 'true') return { enabled: false, reason: 'OTEL_SDK_DISABLED=true' };
  const exporters = (nonEmpty(env.OTEL_TRACES_EXPORTER) ?? 'otlp').split(',').map((name) => name.trim());
  if (exporters.includes('none')) return { enabled: false, reason: 'OTEL_TRACES_EXPORTER=none' };

  const endpoint = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  if (!endpoint) return { enabled: false, reason: 'ni OTEL_EXPORTER_OTLP_ENDPOINT ni OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' };

  const protocol = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_PROTOCOL) ?? 'http/protobuf';
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
    return { enabled: false, reason: `protocole OTLP inconnu « ${protocol} » (http/protobuf, http/json ou grpc)` };
  }

  const resource: Record<string, string> = {};
  const name = defaults.serviceName ? serviceNameOf(defaults.serviceName) : undefined;
  if (name) resource['service.name'] = name;
  if (defaults.serviceVersion) resource['service.version'] = defaults.serviceVersion;
  const environment = nonEmpty(env.NODE_ENV);
  if (environment) {
    resource['deployment.environment.name'] = environment;
    // The pre-1.27 key, which SigNoz's environment filter still reads.
    resource['deployment.environment'] = environment;
  }
  const instance = nonEmpty(env.NODE_APP_INSTANCE);
  if (instance !== undefined) resource['pm2.instance.id'] = instance;
  // Stable across PM2 reloads (same host, same slot), unlike a pid.
  resource['service.instance.id'] = `${hostname()}/${instance ?? process.pid}`;

  // Only an explicit traces endpoint is used verbatim; over HTTP the generic one gets /v1/traces appended by the exporter.
  const tracesEndpoint =
    nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) ?? (protocol === 'grpc' ? endpoint : `${endpoint.replace(/\/+$/, '')}/v1/traces`);
  return { enabled: true, endpoint: printable(tracesEndpoint), protocol: protocol as OtlpProtocol, resource };
}

/** readTelemetryConfig for this process: its environment, with the started package as default name and version. */
export function loadTelemetryConfig(overrides: ServiceDefaults = {}): TelemetryConfig {
  const found = findServiceDefaults(process.env, process.argv);
  return readTelemetryConfig(process.env, {
    serviceName: overrides.serviceName ?? found.serviceName,
    serviceVersion: overrides.serviceVersion ?? found.serviceVersion,
  });
}
