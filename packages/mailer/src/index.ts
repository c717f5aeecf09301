export * from './mailer.js';
export * from './outbox.js';
export * from './templates/index.js';
export * from './bounces.js';
