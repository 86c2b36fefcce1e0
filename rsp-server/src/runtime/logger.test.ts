// What reaches a log line: secrets by key at any depth never, identifiers (EID, ICCID, IMEI) only as their
// issuer prefix, wherever a caller puts them.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactIdentifiersInText } from './logger.js';

function capture(): { lines: () => Record<string, unknown>[]; text: () => string; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join(''), lines: () => chunks.join('').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const eid = '89049032123451234512345678901235';
const iccid = '8949449999990000012';

describe('the server logger', () => {
  it('redacts secret keys at any depth', () => {
    const out = capture();
    const logger = createLogger('sm-dp-plus', 'info', out.stream);
    logger.info({ profile: { akaParameter: { algo: { ki: 'AABBCCDDEEFF00112233445566778899', opc: 'OPCSECRET' } } }, list: [{ confirmationCode: '271828' }] }, 'nested');
    logger.info({ ki: 'TOPLEVELKI', a: { key: 'PRIVATEKEYMATERIAL', b: { c: { sharedSecret: 'SHAREDSECRET' } } } }, 'deep');
    logger.child({ session: { sessionKeys: 'SESSIONKEYS' } }).info('child bindings');
    for (const secret of ['AABBCCDDEEFF00112233445566778899', 'OPCSECRET', '271828', 'TOPLEVELKI', 'PRIVATEKEYMATERIAL', 'SHAREDSECRET', 'SESSIONKEYS']) {
      expect(out.text()).not.toContain(secret);
    }
    expect(out.lines()[0]).toMatchObject({ profile: { akaParameter: { algo: { ki: '[redacted]', opc: '[redacted]' } } }, list: [{ confirmationCode: '[redacted]' }] });
  });

  it('shows EIDs, ICCIDs and IMEIs only as their issuer prefix, at any depth and whoever logs them', () => {
    const out = capture();
    const logger = createLogger('sm-dp-plus', 'info', out.stream);
    logger.info({ function: 'handleNotification', iccid, eid, order: { iccid, device: { imei: '490154203237518' } } }, 'result');
    logger.info({ eid: `${eid.slice(0, 8)}…` }, 'already truncated by the caller');
    expect(out.text()).not.toContain(iccid);
    expect(out.text()).not.toContain(eid);
    expect(out.text()).not.toContain('490154203237518');
    const [first, second] = out.lines();
    expect(first).toMatchObject({ iccid: '8949449…', eid: '89049032…', order: { iccid: '8949449…', device: { imei: '49015420…' } } });
    expect(second).toMatchObject({ eid: '89049032…' });
  });

  it('cuts identifiers inside text: messages, error messages and stacks, the message argument', () => {
    const out = capture();
    const logger = createLogger('sm-dp-plus', 'info', out.stream);
    const error = Object.assign(new Error(`profile ${iccid} of ${eid} is no longer released`), { code: 7 });
    logger.error({ err: error, reason: `refused for IMEI 353301190000007` }, `order for ${iccid} failed`);
    const [line] = out.lines();
    expect(out.text()).not.toContain(iccid);
    expect(out.text()).not.toContain(eid);
    expect(out.text()).not.toContain('353301190000007');
    expect(line?.msg).toBe('order for 8949449… failed');
    expect(line?.err).toMatchObject({ type: 'Error', message: 'profile 8949449… of 89049032… is no longer released', code: 7 });
    expect(line?.reason).toBe('refused for IMEI 35330119…');
  });

  it('leaves digit runs inside longer words and short numbers alone', () => {
    expect(redactIdentifiersInText('transactionId a123456789012345678b, order 42, 12345678901234')).toBe('transactionId a123456789012345678b, order 42, 12345678901234');
  });
});
