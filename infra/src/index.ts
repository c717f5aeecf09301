export * from './site.js';
export * from './render.js';
export { appPoolSize } from './pgbouncer/pool.js';
