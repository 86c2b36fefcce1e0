// RspError subclasses named after the condition they report; each carries its code from ./codes.ts.
import { Codes, type StatusCode } from './codes.js';
import { RspError, type RspErrorOptions } from './RspError.js';

/** A request or response field is malformed (bad base64, bad hex, wrong JSON type). §6.5. */
export class InvalidField extends RspError {
  constructor(field: string, detail: string, code: StatusCode = Codes.invalidRequestField, cause?: unknown) {
    super(code, `${field}: ${detail}`, { subjectIdentifier: field, cause });
  }
}

/** A mandatory request or response field is absent. §6.5. */
export class MissingField extends RspError {
  constructor(field: string, code: StatusCode = Codes.missingRequestField) {
    super(code, `${field}: mandatory field missing`, { subjectIdentifier: field });
  }
}

/** The request's X-Admin-Protocol is not a `gsma/rsp/v2.*` version. §6.5.1.3. */
export class UnsupportedAdminProtocol extends RspError {
  constructor(received: string | undefined) {
    super(Codes.unsupportedAdminProtocol, `X-Admin-Protocol ${JSON.stringify(received ?? null)} is not gsma/rsp/v2.*`);
  }
}

/** The request's Content-Type is not JSON. §6.5.1.3. */
export class InvalidContentType extends RspError {
  constructor(received: string | undefined) {
    super(Codes.invalidContentType, `Content-Type ${JSON.stringify(received ?? null)} is not application/json`);
  }
}

/** ES9+ / ES11: the transactionId is not one of an open session. §5.6.2, §5.6.3. */
export class TransactionIdUnknown extends RspError {
  constructor(options: RspErrorOptions = {}) {
    super(Codes.transactionIdUnknown, undefined, options);
  }
}

/** ES9+.AuthenticateClient / GetBoundProfilePackage: the eUICC signature does not verify. §5.6.2, §5.6.3. */
export class EuiccSignatureInvalid extends RspError {
  constructor(options: RspErrorOptions = {}) {
    super(Codes.euiccVerificationFailed, 'eUICC signature invalid', options);
  }
}

/** ES9+.AuthenticateClient: serverChallenge in euiccSigned1 is not the one of the session. §5.6.3. */
export class ServerChallengeMismatch extends RspError {
  constructor(options: RspErrorOptions = {}) {
    super(Codes.euiccVerificationFailed, 'serverChallenge in euiccSigned1 does not match the session', options);
  }
}

/** ES9+.InitiateAuthentication: smdpAddress is not this server's address. §5.6.1. */
export class InvalidSmdpAddress extends RspError {
  constructor(options: RspErrorOptions = {}) {
    super(Codes.smdpAddressInvalid, undefined, options);
  }
}

/** The EUM certificate does not chain to a known CI. §5.6.3. */
export class CiPublicKeyUnknown extends RspError {
  constructor(options: RspErrorOptions = {}) {
    super(Codes.ciPublicKeyUnknown, undefined, options);
  }
}

/** A certificate in the eUICC chain is expired (8.1.2 or 8.1.3 / 6.3). §5.6.3. */
export class CertificateExpired extends RspError {
  constructor(code: typeof Codes.eumCertificateExpired | typeof Codes.euiccCertificateExpired, options: RspErrorOptions = {}) {
    super(code, undefined, options);
  }
}

/** A certificate in the eUICC chain is invalid (8.1.2 or 8.1.3 / 6.1). §5.6.3. */
export class CertificateInvalid extends RspError {
  constructor(code: typeof Codes.eumCertificateInvalid | typeof Codes.euiccCertificateInvalid, options: RspErrorOptions = {}) {
    super(code, undefined, options);
  }
}

/** ES9+.GetBoundProfilePackage: the confirmation code is missing, wrong, or tried too often. §5.6.2. */
export class ConfirmationCodeRejected extends RspError {
  constructor(
    code:
      | typeof Codes.confirmationCodeMissing
      | typeof Codes.confirmationCodeRefused
      | typeof Codes.confirmationCodeRetriesExceeded,
    options: RspErrorOptions = {},
  ) {
    super(code, undefined, options);
  }
}

/** AC_Token or EventID unknown, used or not downloadable. §5.6.3. */
export class MatchingIdRefused extends RspError {
  constructor(options: RspErrorOptions = {}) {
    super(Codes.matchingIdRefused, undefined, options);
  }
}
