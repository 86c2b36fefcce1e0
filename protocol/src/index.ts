export * from './asn1/index.js';
export * from './crypto/index.js';
export * from './errors/index.js';
export * from './json/index.js';
