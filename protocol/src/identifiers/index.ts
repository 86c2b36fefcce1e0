export * from './errors.js';
export * from './eid.js';
export * from './iccid.js';
export * from './device.js';
export { luhnCheckDigit, isLuhnValid } from './luhn.js';
export * from './serverAddress.js';
export * from './matchingId.js';
export * from './activationCode.js';
