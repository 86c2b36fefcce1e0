import { describe, expect, it } from 'vitest';
import { parseRequest, parseResponse, renderFailure, renderRequest, renderResponse } from './binding.js';
import { es11Functions, es12Functions, es2plusFunctions, es9plusFunctions, findFunctionByPath, rspFunctions } from './functions/index.js';
import type { FieldKind, FieldKinds, FieldSpecs } from './fields.js';
import type { RspFunction } from './functions/rspFunction.js';
import {
  Codes,
  InvalidField,
  MissingField,
  RemoteFunctionFailed,
  RspError,
  TransactionIdUnknown,
} from '../errors/index.js';

const { initiateAuthentication, authenticateClient, handleNotification, cancelSession } = es9plusFunctions;

function thrown(action: () => unknown): RspError {
  try {
    action();
  } catch (error) {
    if (error instanceof RspError) return error;
    throw error;
  }
  throw new Error('expected an RspError');
}

describe('ES9+ request parsing (SGP.22 §6.5.2)', () => {
  it('InitiateAuthentication: base64 fields become bytes, strings stay strings, unknown fields are ignored', () => {
    const request = parseRequest(initiateAuthentication, {
      euiccChallenge: 'AAECAwQFBgcICQoLDA0ODw==',
      euiccInfo1: 'vyAL\nggMCAgKpAwQBAA==',
      smdpAddress: 'smdp.example.com',
      lpaRspCapability: 'ignored (v3 field)',
    });
    expect(request.euiccChallenge).toEqual(Uint8Array.from({ length: 16 }, (_, i) => i));
    expect(Buffer.from(request.euiccInfo1).toString('hex')).toBe('bf200b8203020202a903040100');
    expect(request.smdpAddress).toBe('smdp.example.com');
    expect(Object.keys(request).sort()).toEqual(['euiccChallenge', 'euiccInfo1', 'smdpAddress']);
  });

  it('a missing mandatory field is 1.6 / 2.2 naming the field; JSON null counts as missing', () => {
    const error = thrown(() => parseRequest(authenticateClient, { transactionId: null, authenticateServerResponse: 'vzg=' }));
    expect(error).toBeInstanceOf(MissingField);
    expect(error.statusCode).toEqual({ subjectCode: '1.6', reasonCode: '2.2' });
    expect(error.subjectIdentifier).toBe('transactionId');
  });

  it('invalid base64, bad hex and wrong JSON types are 1.6 / 2.1 naming the field', () => {
    const badBase64 = thrown(() => parseRequest(authenticateClient, { transactionId: '01', authenticateServerResponse: 'vz*=' }));
    expect(badBase64).toBeInstanceOf(InvalidField);
    expect(badBase64.statusCode).toEqual({ subjectCode: '1.6', reasonCode: '2.1' });
    expect(badBase64.subjectIdentifier).toBe('authenticateServerResponse');
    expect(thrown(() => parseRequest(authenticateClient, { transactionId: 'XYZ', authenticateServerResponse: '' })).subjectIdentifier).toBe('transactionId');
    expect(thrown(() => parseRequest(initiateAuthentication, { euiccChallenge: 5, euiccInfo1: '', smdpAddress: 'a' })).subjectIdentifier).toBe('euiccChallenge');
    expect(thrown(() => parseRequest(initiateAuthentication, [])).subjectIdentifier).toBe('body');
    expect(thrown(() => parseRequest(initiateAuthentication, 'text')).is(Codes.invalidRequestField)).toBe(true);
  });

  it('transactionId is accepted in any case', () => {
    const request = parseRequest(cancelSession, { transactionId: 'a1b2', cancelSessionResponse: 'vzE=' });
    expect(Buffer.from(request.transactionId).toString('hex')).toBe('a1b2');
  });
});

describe('ES9+ responses (SGP.22 §6.5.1.4)', () => {
  it('success: Executed-Success header, base64 bytes, upper-case transactionId', () => {
    const rendered = renderResponse(authenticateClient, {
      transactionId: Uint8Array.from([0xa1, 0xb2]),
      profileMetadata: Uint8Array.from([0xbf, 0x25, 0x00]),
      smdpSigned2: Uint8Array.from([0x30, 0x00]),
      smdpSignature2: Uint8Array.from([0x5f, 0x37, 0x00]),
      smdpCertificate: Uint8Array.from([0x30, 0x00]),
    });
    expect(rendered).toEqual({
      status: 200,
      body: {
        header: { functionExecutionStatus: { status: 'Executed-Success' } },
        transactionId: 'A1B2',
        profileMetadata: 'vyUA',
        smdpSigned2: 'MAA=',
        smdpSignature2: 'XzcA',
        smdpCertificate: 'MAA=',
      },
    });
  });

  it('HandleNotification success is 204 with no body; CancelSession is the header only', () => {
    expect(renderResponse(handleNotification, {})).toEqual({ status: 204 });
    expect(renderResponse(cancelSession, {})).toEqual({
      status: 200,
      body: { header: { functionExecutionStatus: { status: 'Executed-Success' } } },
    });
  });

  it('failure: HTTP 200, status Failed, statusCodeData from the RspError', () => {
    const rendered = renderFailure(new TransactionIdUnknown({ subjectIdentifier: 'A1B2' }));
    expect(rendered).toEqual({
      status: 200,
      body: {
        header: {
          functionExecutionStatus: {
            status: 'Failed',
            statusCodeData: { subjectCode: '8.10.1', reasonCode: '3.9', subjectIdentifier: 'A1B2', message: 'TransactionId unknown' },
          },
        },
      },
    });
  });

  it('the client turns Failed / Expired into RemoteFunctionFailed with the peer codes', () => {
    const failed = renderFailure(new RspError(Codes.matchingIdRefused, 'Bad profile state'));
    const body = failed.status === 200 ? failed.body : {};
    const error = thrown(() => parseResponse(authenticateClient, body));
    expect(error).toBeInstanceOf(RemoteFunctionFailed);
    expect(error.is(Codes.matchingIdRefused)).toBe(true);
    expect(error.message).toBe('Bad profile state');
    expect((error as RemoteFunctionFailed).status).toBe('Failed');
    const expired = thrown(() => parseResponse(cancelSession, { header: { functionExecutionStatus: { status: 'Expired' } } }));
    expect(expired.is(Codes.functionExecutionError)).toBe(true);
  });

  it('the client reports malformed responses with the function provider codes', () => {
    expect(thrown(() => parseResponse(cancelSession, {})).is(Codes.missingResponseField)).toBe(true);
    const badStatus = thrown(() => parseResponse(cancelSession, { header: { functionExecutionStatus: { status: 'Done' } } }));
    expect(badStatus.is(Codes.invalidResponseField)).toBe(true);
    const missing = thrown(() =>
      parseResponse(es9plusFunctions.getBoundProfilePackage, { header: { functionExecutionStatus: { status: 'Executed-Success' } }, transactionId: '01' }),
    );
    expect(missing.subjectIdentifier).toBe('boundProfilePackage');
    expect(missing.is(Codes.missingResponseField)).toBe(true);
  });

  it('the client accepts 204 without a body and Executed-WithWarning with its data', () => {
    expect(parseResponse(handleNotification, undefined).header.functionExecutionStatus.status).toBe('Executed-Success');
    const warned = parseResponse(cancelSession, {
      header: { functionExecutionStatus: { status: 'Executed-WithWarning', statusCodeData: { subjectCode: '8.1', reasonCode: '4.8' } } },
    });
    expect(warned.header.functionExecutionStatus.statusCodeData?.reasonCode).toBe('4.8');
  });
});

describe('ES2+ / ES12 request header (SGP.22 §6.5.1.3)', () => {
  const header = { functionRequesterIdentifier: 'operator-1', functionCallIdentifier: 'call-7' };

  it('is required and parsed', () => {
    const request = parseRequest(es2plusFunctions.releaseProfile, { header, iccid: '89000123456789012341' });
    expect(request.header).toEqual(header);
    expect(thrown(() => parseRequest(es2plusFunctions.releaseProfile, { iccid: '1' })).subjectIdentifier).toBe('header');
    const partial = thrown(() => parseRequest(es2plusFunctions.releaseProfile, { header: { functionCallIdentifier: 'x' }, iccid: '1' }));
    expect(partial.subjectIdentifier).toBe('header.functionRequesterIdentifier');
  });

  it('checks string constraints: EID digits and enumerated values', () => {
    const base = { header, iccid: '89000123456789012341' };
    expect(thrown(() => parseRequest(es2plusFunctions.cancelOrder, { ...base, finalProfileStatusIndicator: 'Gone' })).subjectIdentifier).toBe(
      'finalProfileStatusIndicator',
    );
    expect(thrown(() => parseRequest(es12Functions.deleteEvent, { header, eid: '8904', eventId: 'E1' })).subjectIdentifier).toBe('eid');
    expect(thrown(() => parseRequest(es2plusFunctions.confirmOrder, { ...base, releaseFlag: 'true' })).subjectIdentifier).toBe('releaseFlag');
  });
});

function sampleValue(kind: FieldKind): FieldKinds[FieldKind] {
  const samples: FieldKinds = {
    base64: Uint8Array.from([0xbf, 0x20, 0x01, 0xff]),
    transactionId: Uint8Array.from([0x01, 0xab]),
    string: 'Available',
    boolean: true,
    number: 3,
    eventEntries: [{ eventId: 'EVT-1', rspServerAddress: 'smdp.example.com' }],
    executionStatus: { status: 'Failed', statusCodeData: { subjectCode: '8.1', reasonCode: '6.1', message: 'bad' } },
  };
  return samples[kind];
}

function sampleBody(specs: FieldSpecs): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(specs).map(([field, spec]) => [field, field === 'eid' ? '89049032123451234512345678901235' : sampleValue(spec.kind)]),
  );
}

describe('every function round-trips through the client and server sides', () => {
  it.each(rspFunctions.map((fn) => [`${fn.interface}.${fn.name}`, fn] as const))('%s', (_name, fn: RspFunction) => {
    const request = sampleBody(fn.request);
    if (fn.requestHeader) request.header = { functionRequesterIdentifier: 'a', functionCallIdentifier: 'b' };
    const json = JSON.parse(JSON.stringify(renderRequest(fn, request as never))) as unknown;
    expect(parseRequest(fn, json)).toEqual(request);

    const response = sampleBody(fn.response);
    const rendered = renderResponse(fn, response as never);
    const wire = rendered.status === 200 ? (JSON.parse(JSON.stringify(rendered.body)) as unknown) : undefined;
    const { header, ...body } = parseResponse(fn, wire) as Record<string, unknown>;
    expect(header).toEqual({ functionExecutionStatus: { status: 'Executed-Success' } });
    expect(body).toEqual(response);
  });

  it('paths follow /gsma/rsp2/<interface>/<function>; ES11 is also served on es11 paths', () => {
    for (const fn of rspFunctions) expect(fn.path.endsWith(`/${fn.name}`)).toBe(true);
    expect(findFunctionByPath('/gsma/rsp2/es9plus/authenticateClient', ['es11', 'es12'])).toBe(es11Functions.authenticateClient);
    expect(findFunctionByPath('/gsma/rsp2/es11/authenticateClient', ['es11'])).toBe(es11Functions.authenticateClient);
    expect(findFunctionByPath('/gsma/rsp2/es9plus/authenticateClient', ['es9plus', 'es2plus'])).toBe(authenticateClient);
    expect(findFunctionByPath('/gsma/rsp2/es2plus/confirmOrder', ['es9plus'])).toBeUndefined();
  });

  it('rendering without a mandatory output field is a programming error reported as 1.6 / 4.2', () => {
    expect(thrown(() => renderResponse(initiateAuthentication, {} as never)).is(Codes.functionExecutionError)).toBe(true);
  });
});
