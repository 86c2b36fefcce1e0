export * from './crypto/index.js';
export * from './errors/index.js';
