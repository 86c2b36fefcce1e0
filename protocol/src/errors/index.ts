export * from './codes.js';
export * from './RspError.js';
export * from './conditions.js';
export * from './plainWords.js';
