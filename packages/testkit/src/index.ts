export * from './names.js';
export * from './net.js';
export * from './postgres.js';
export * from './redis.js';
import './provided.js';
export * from './seller.js';
