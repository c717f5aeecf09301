// Preload entry: `node --import @girlycrea/observability/register dist/main.js`. Tracing starts (or says once that
// it is off) before the app's first import, so express, pg, ioredis and node:http are patched as they load.
// Where a preload flag is awkward (PM2 cluster mode), an entry script does the same: `await startTelemetry()` from
// `@girlycrea/observability/telemetry`, then `await import('./main.js')`.
import { startTelemetry } from './telemetry.js';

await startTelemetry();
