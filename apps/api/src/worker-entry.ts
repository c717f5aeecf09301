// The process entry of PM2's girlycrea-worker: tracing first (as in entry.ts), then the jobs.
import { startTelemetry } from '@girlycrea/observability/telemetry';

await startTelemetry({ serviceName: 'girlycrea-worker' });
await import('./worker.js');
