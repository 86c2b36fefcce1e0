export * from './errors.js';
export * from './curves.js';
export * from './signature.js';
export * from './ecka.js';
export * from './tbs.js';
export * from './confirmationCode.js';
export * from './bsp/index.js';
