export * from './statusWords.js';
export * from './commandApdu.js';
export * from './storeData.js';
export * from './transport.js';
export * from './es10Channel.js';
export * from './bppPieces.js';
