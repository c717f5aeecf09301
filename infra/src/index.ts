export * from './site.js';
export * from './render.js';
