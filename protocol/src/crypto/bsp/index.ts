export * from './kdf.js';
export * from './mac.js';
export * from './cipher.js';
export * from './segment.js';
export * from './chunks.js';
export * from './aes.js';
