// Identifies the ES2+ caller from its TLS client certificate (SGP.22 §2.6.6, mutual TLS on ES2+): a
// configured operator is one of rsp-server's client trusts (chained to its CA with an optional CN, or
// pinned by fingerprint), whose identity is the operator id and callback URL the ES2+ functions use.
import { createClientIdentifier, type ClientTrust } from '@zkesim/rsp-server';
import type { Clock } from '@zkesim/protocol';
import type { OperatorIdentity } from '../../es2plus/operator.js';

export interface OperatorTrust extends Omit<ClientTrust<OperatorIdentity>, 'identity'> {
  operatorId: string;
  callbackUrl?: string;
}

/** An operator of the configuration as one of rsp-server's client trusts. */
export function operatorClients(operator: OperatorTrust): ClientTrust<OperatorIdentity> {
  const { operatorId, callbackUrl, ...trust } = operator;
  return { ...trust, identity: { operatorId, ...(callbackUrl === undefined ? {} : { callbackUrl }) } };
}

export function createOperatorIdentifier(operators: readonly OperatorTrust[], clock: Clock) {
  return createClientIdentifier(operators.map(operatorClients), clock);
}
