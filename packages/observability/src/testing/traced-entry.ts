// The entry-script pattern (for PM2 cluster mode): start telemetry first, then import the app dynamically,
// so express, pg and ioredis load after the instrumentations are in place.
import { startTelemetry } from '@girlycrea/observability/telemetry';

await startTelemetry();
await import('./traced-app.js');
