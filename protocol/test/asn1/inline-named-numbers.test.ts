// Named numbers declared inline on a component (X.680 §19.1), such as `enableResult INTEGER {ok(0), ...}` in
// EnableProfileResponse, are generated as `<Type>_<component>` constants. The expected tables below were copied
// by hand from protocol/asn1/rsp.asn (SGP.22 ES10c and ES10b responses, §5.7).
import {
  CancelSessionResponse_cancelSessionResponseError,
  DeleteProfileResponse_deleteResult,
  DisableProfileResponse_disableResult,
  DownloadErrorCode,
  EnableProfileResponse,
  EnableProfileResponse_enableResult,
  EuiccMemoryResetRequest_resetOptions,
  PEStatus_status,
  nameOfNumber,
} from '@zkesim/protocol';
import { describe, expect, it } from 'vitest';
import { toHex } from '../support.js';

describe('inline named numbers', () => {
  it('EnableProfileResponse.enableResult (rsp.asn)', () => {
    expect(EnableProfileResponse_enableResult.wrongProfileReenabling).toBe(4);
    expect(EnableProfileResponse_enableResult).toEqual({
      ok: 0, iccidOrAidNotFound: 1, profileNotInDisabledState: 2, disallowedByPolicy: 3, wrongProfileReenabling: 4, undefinedError: 127,
    });
  });

  it('DisableProfileResponse.disableResult and DeleteProfileResponse.deleteResult (rsp.asn)', () => {
    expect(DisableProfileResponse_disableResult).toEqual({
      ok: 0, iccidOrAidNotFound: 1, profileNotInEnabledState: 2, disallowedByPolicy: 3, undefinedError: 127,
    });
    expect(DeleteProfileResponse_deleteResult).toEqual({
      ok: 0, iccidOrAidNotFound: 1, profileNotInDisabledState: 2, disallowedByPolicy: 3, undefinedError: 127,
    });
  });

  it('a CHOICE alternative: CancelSessionResponse.cancelSessionResponseError (rsp.asn)', () => {
    expect(CancelSessionResponse_cancelSessionResponseError).toEqual({ invalidTransactionId: 5, undefinedError: 127 });
  });

  it('named bits and SAIP names with hyphens keep the module spelling', () => {
    expect(EuiccMemoryResetRequest_resetOptions).toEqual({ deleteOperationalProfiles: 0, deleteFieldLoadedTestProfiles: 1, resetDefaultSmdpAddress: 2 });
    expect(PEStatus_status['pe-not-supported']).toBe(1);
    expect(PEStatus_status['unsupported-profile-version']).toBe(31);
  });

  it('is the number that goes on the wire', () => {
    // BF31 { [0] IMPLICIT INTEGER 4 } under AUTOMATIC TAGS (X.680 §25.3).
    const der = EnableProfileResponse.encode({ enableResult: EnableProfileResponse_enableResult.wrongProfileReenabling });
    expect(toHex(der)).toBe('bf3103800104');
  });

  it('nameOfNumber reads a table the other way: number → name, undefined for an unnamed number', () => {
    expect(nameOfNumber(EnableProfileResponse_enableResult, 4)).toBe('wrongProfileReenabling');
    expect(nameOfNumber(EnableProfileResponse_enableResult, 0)).toBe('ok');
    expect(nameOfNumber(CancelSessionResponse_cancelSessionResponseError, 127)).toBe('undefinedError');
    expect(nameOfNumber(DownloadErrorCode.named, 5)).toBe('invalidTransactionId');
    expect(nameOfNumber(EnableProfileResponse_enableResult, 5)).toBeUndefined();
    expect(nameOfNumber(EuiccMemoryResetRequest_resetOptions, 2)).toBe('resetDefaultSmdpAddress');
  });
});
