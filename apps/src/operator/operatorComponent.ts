// The operator component of the demo: what an operator runs on its side of the onboarding. It keeps its KYC
// records in its own store (kycStore.ts) and onboards a customer by calling our onboarding API over mutual TLS
// with the operator's client certificate, sending only the record's opaque reference and the wallet. Its
// configuration is its own; it refuses a KYC store inside the folders our services use, so a service of ours
// never opens it (and the operator's data never lands beside ours).
import { randomInt } from 'node:crypto';
import { isAbsolute, relative, resolve } from 'node:path';
import { stackPaths } from '@zkesim/config';
import { ERASURE_PATH, ONBOARDING_PATH, type ErasureAnswer, type OnboardingAnswer } from '@zkesim/sm-dp-plus';
import { postAsOperator, type Es2ClientOptions } from '../stack/es2Client.js';
import { openKycStore, type KycRecord, type KycStore } from './kycStore.js';

export interface OperatorComponentConfig {
  /** The operator's KYC store (SQLite). */
  readonly kycStorePath: string;
  /** Our onboarding API: the SM-DP+'s ES2+ listener, with the operator's client certificate and key. */
  readonly api: Omit<Es2ClientOptions, 'operatorId'>;
  /** The stack's data directory, whose service folders the KYC store must stay out of. */
  readonly serviceDataDir: string;
}

export class OperatorConfigError extends Error {
  override readonly name = 'OperatorConfigError';
}

/** The onboarding API refused the request; `status` and `field` as it answered them. */
export class OnboardingApiError extends Error {
  override readonly name = 'OnboardingApiError';
  constructor(
    readonly status: number,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function inside(folder: string, path: string): boolean {
  const near = relative(resolve(folder), resolve(path));
  return near === '' || (!near.startsWith('..') && !isAbsolute(near));
}

/** Checks the configuration: the KYC store lies outside every folder our services read and write. */
export function checkOperatorConfig(config: OperatorComponentConfig): void {
  const paths = stackPaths(config.serviceDataDir);
  for (const [service, folder] of [['SM-DP+', paths.smdp], ['chain', paths.chain], ['LPA', paths.lpa], ['PKI', paths.pki]] as const) {
    if (inside(folder, config.kycStorePath)) {
      throw new OperatorConfigError(`kycStorePath: ${config.kycStorePath} is inside the ${service} folder ${folder}; the operator's KYC store must stay out of our services' folders`);
    }
  }
}

export interface OperatorComponent {
  readonly kyc: KycStore;
  /**
   * Records the customer's KYC (once per document) and onboards them: the API's answer. With
   * `requireConfirmationCode`, a fresh confirmation code is generated for the order and returned here only: this
   * component keeps it nowhere (the SM-DP+ keeps its digest), so the caller shows it once.
   */
  onboardCustomer(
    customer: Omit<KycRecord, 'reference' | 'checkedAt'>,
    order: { profileType: string; eid?: string; requireConfirmationCode?: boolean },
  ): Promise<OnboardingAnswer & { kycReference: string; confirmationCode?: string }>;
  /**
   * Right to erasure: asks us to forget the subscriber, then deletes the KYC record. Ours first: should our call
   * fail, the record (and with it the reference) is still here and the call is repeated; should the local delete
   * fail after ours succeeded, repeating is harmless too (ours answers `erased: false`).
   */
  eraseCustomer(reference: string): Promise<ErasureAnswer & { kycRecordErased: boolean }>;
  close(): void;
}

/** Calls the onboarding API with a reference (and wallet); throws OnboardingApiError on a refusal. */
export function callOnboardingApi(
  api: Omit<Es2ClientOptions, 'operatorId'>,
  request: { kycReference: string; wallet?: string; profileType: string; eid?: string; confirmationCode?: string },
): Promise<OnboardingAnswer> {
  return callApi<OnboardingAnswer>(api, ONBOARDING_PATH, request);
}

export const CONFIRMATION_CODE_DIGITS = 8;

/**
 * A confirmation code (SGP.22 v2.2.2 §3.1.1: the operator generates it and gives it to the end user): 8 decimal
 * digits from the CSPRNG, each drawn uniformly (randomInt rejects the modulo bias). Digits, so any device's
 * keypad types it.
 */
export function generateConfirmationCode(): string {
  return Array.from({ length: CONFIRMATION_CODE_DIGITS }, () => randomInt(10).toString()).join('');
}

/** Calls the erasure of the onboarding API; throws OnboardingApiError on a refusal. */
export function callErasureApi(api: Omit<Es2ClientOptions, 'operatorId'>, request: { kycReference: string }): Promise<ErasureAnswer> {
  return callApi<ErasureAnswer>(api, ERASURE_PATH, request);
}

async function callApi<T>(api: Omit<Es2ClientOptions, 'operatorId'>, path: string, request: object): Promise<T> {
  const response = await postAsOperator(api, path, JSON.stringify(request));
  let body: unknown;
  try {
    body = JSON.parse(response.text);
  } catch {
    throw new OnboardingApiError(response.status, '', `onboarding answered HTTP ${response.status}: ${response.text.slice(0, 200)}`);
  }
  if (response.status !== 200) {
    const error = (body as { error?: { field?: string; message?: string } }).error;
    throw new OnboardingApiError(response.status, error?.field ?? '', `onboarding answered HTTP ${response.status}: ${error?.message ?? response.text.slice(0, 200)}`);
  }
  return body as T;
}

export function openOperatorComponent(config: OperatorComponentConfig, now: () => number = Date.now): OperatorComponent {
  checkOperatorConfig(config);
  const kyc = openKycStore(config.kycStorePath);
  return {
    kyc,
    async onboardCustomer(customer, { requireConfirmationCode, ...order }) {
      const record = kyc.record(customer, now());
      const confirmationCode = requireConfirmationCode === true ? generateConfirmationCode() : undefined;
      const answer = await callOnboardingApi(config.api, {
        kycReference: record.reference,
        ...(record.wallet === undefined ? {} : { wallet: record.wallet }),
        ...order,
        ...(confirmationCode === undefined ? {} : { confirmationCode }),
      });
      return { ...answer, kycReference: record.reference, ...(confirmationCode === undefined ? {} : { confirmationCode }) };
    },
    async eraseCustomer(reference) {
      const answer = await callErasureApi(config.api, { kycReference: reference });
      return { ...answer, kycRecordErased: kyc.erase(reference) };
    },
    close: () => kyc.close(),
  };
}
