// The process entry PM2 and `npm run dev` start: tracing must be set up before express, pg and
// ioredis are first imported, and a preload flag under PM2 cluster mode would run before the
// ecosystem's environment arrives. So: start telemetry, then load the server.
import { setFlagsFromString } from 'node:v8';
import { startTelemetry } from '@girlycrea/observability/telemetry';

// Under load V8 lets the old generation grow to several times what is live (23–32 MB measured after
// forced GCs): 230–370 MB of RSS at 64 connections. Capping the growth at 2× keeps the API under
// 200 MB for a few percent more GC (bench/README.md, "Memory of the API"). V8 reads this after every
// full GC, so setting it here works; a --heap-growing-percent given on the command line
// (bench --api-node-args) wins.
if (!process.execArgv.some((arg) => arg.startsWith('--heap-growing-percent'))) setFlagsFromString('--heap-growing-percent=100');

await startTelemetry({ serviceName: 'girlycrea-api' });
await import('./main.js');
