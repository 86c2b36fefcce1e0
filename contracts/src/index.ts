// Public API of @zkesim/contracts: the chain layer. The SM-DP+ uses AnchorOutbox.record(); `npm start` uses
// startBundledNode, openChainStack / ensureDeployed and createAnchorWorker.
export * from './generated/index.js';
export * from './errors.js';
export { systemDeps, type ChainDeps } from './deps.js';
export { ChainClient } from './client/chainClient.js';
export { chainConfigFromEnvironment, resolveChainConfig, DEFAULT_CHAIN_CONFIG, CHAIN_CONFIG, type ChainConfig, type RpcAuth } from './client/chainConfig.js';
export { describeRpc, rpcEndpoint } from './client/rpcConnection.js';
export {
  anchorEventId,
  anchorRecordOf,
  recordLeafHash,
  recordValues,
  resultText,
  RECORD_ENCODING,
  OUTCOME,
  type AnchorEventId,
  type AnchorRecord,
  type InstallResult,
  type InstallResultEvent,
  type Outcome,
  type ProfileManagementOperation,
  type SubscriberReference,
} from './anchor/anchorRecord.js';
export { AnchorOutbox, type AnchorProof, type AnchorState, type AnchorStatus, type BatchSummary, type OutboxBacklog, type AnchoredBatch } from './anchor/anchorOutbox.js';
export { AnchorWorker, type AnchorPass, type AnchorWorkerOptions } from './anchor/anchorWorker.js';
export { downloadAnchorChain, AnchorReverted, type AnchorChain, type OnChainBatch } from './anchor/anchorChain.js';
export { verifyAnchorProof, type ProofVerdict } from './anchor/verifyProof.js';
export { ensureDeployed, readDeployment, DEPLOYMENT_FILE, type Deployment } from './deploy/ensureDeployed.js';
export { startBundledNode, anvilBinaryPath, BUNDLED_CHAIN_ID, BUNDLED_NODE_FILE, type BundledNode } from './node/bundledNode.js';
export { acceptsConnections, findFreePort } from './node/freePort.js';
export { PORT_ATTEMPTS, PortTaken, processListensOn, startOnFreePort, waitForOwnPorts, type ChildPortWait } from './node/childPort.js';
export { openAnchorOutbox, openChainStack, resolveChainEndpoint, createAnchorWorker, OUTBOX_FILE, type ChainStack, type ChainEndpoint } from './chainService.js';
export { startRpcProcess, type RpcProcess, type RpcProcessOptions } from './node/rpcProcess.js';
export * from './identity/index.js';
