// The shop API's contract: request and response schemas (zod), error codes and the limits both sides
// enforce. The API validates with it and builds its OpenAPI document from it; the storefront decodes
// the API's answers with it, server and browser side.
export * from './common.js';
export * from './errors.js';
export * from './address.js';
export * from './lines.js';
export * from './catalog.js';
export * from './accounts.js';
export * from './cart.js';
export * from './delivery.js';
export * from './payments.js';
export * from './orders.js';
export * from './checkout.js';
