// Errors of the chain layer. It sits beside the SGP.22 roles and has no subjectCode/reasonCode of its own, so
// it uses one small base class; the SM-DP+ never sees these (the outbox decouples it from the chain).

export class ChainError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The JSON-RPC node cannot be reached or did not answer. Retried later; never fatal to a download. */
export class ChainUnavailable extends ChainError {}

/** A transaction was not mined after every fee bump. */
export class TransactionNotMined extends ChainError {}

/** Configuration is missing or malformed: the ConfigError every component uses, under its earlier name here. */
export { ConfigError as ChainConfigError } from '@zkesim/config';

/** An anchor event or id given to the outbox is malformed; the message names the field. */
export class InvalidAnchorEvent extends ChainError {}

/** The outbox has no event with this id. */
export class UnknownAnchorEvent extends ChainError {}

/** The recorded contract addresses do not match the chain (no code there, or another chain id). */
export class DeploymentMismatch extends ChainError {}

/** A Semaphore proof, proof file, commitment or tree depth is malformed or not usable; the message says why. */
export class InvalidIdentityProof extends ChainError {}

/** A wallet address is not a valid EIP-55 address (wrong length, characters or mixed-case checksum). */
export class InvalidWalletAddress extends ChainError {}
