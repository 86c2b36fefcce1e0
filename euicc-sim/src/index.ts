// Public API of the software eUICC.
export { createEuicc, type CreateEuiccOptions, type EuiccCard } from './createEuicc.js';
export type { CardConnection } from './apdu/transport.js';
export { IsoCard } from './apdu/isoCard.js';
export { DEFAULT_ATR } from './apdu/atr.js';
export type { Deps } from './core/deps.js';
export { systemEuiccDeps } from './systemDeps.js';
export type { EuiccState, EuiccStore, ProfileRecord, NotificationRecord, EuiccCredential } from './core/state.js';
export { freeMemory } from './core/state.js';
export { buildInstallationResult, type FinalResult, type InstallationResultInput } from './core/installationResult.js';
export { defaultQuirks, SMALL_MEMORY_BYTES, type Quirks } from './core/quirks.js';
export { memoryStore } from './core/memoryStore.js';
export { openSqliteStore, type SqliteEuiccStore } from './adapters/sqliteStore.js';
export { newEuiccState, InvalidEidError, DEFAULT_ROOT_DS_ADDRESS } from './stateFactory.js';
export { connectVpcd, type VpcdConnection } from './adapters/vpcdClient.js';
export { serveHexLines, listenHexLines } from './adapters/lineServer.js';
export { serveLpacStdio } from './adapters/lpacStdio.js';
