export * from './fields.js';
export * from './codecs.js';
export * from './header.js';
export * from './values.js';
export * from './binding.js';
export * from './http.js';
export * from './functions/index.js';
