// The process entry PM2 and `npm run dev` start: tracing must be set up before express, pg and
// ioredis are first imported, and a preload flag under PM2 cluster mode would run before the
// ecosystem's environment arrives. So: start telemetry, then load the server.
import { startTelemetry } from '@girlycrea/observability/telemetry';

await startTelemetry({ serviceName: 'girlycrea-api' });
await import('./main.js');
