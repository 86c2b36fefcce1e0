import { describe, expect, it } from 'vitest';
import { IsoCard, type StoreDataApplication } from './isoCard.js';

const ISD_R_AID = 'A0000005591010FFFFFFFF8900000100';
const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex').toUpperCase();

/** Echo application: answers each complete command with 30 <len> <command>, or with a long body for 'BF2D'. */
class RecordingApplication implements StoreDataApplication {
  readonly received: string[] = [];
  processStoreData(command: Uint8Array): Uint8Array {
    this.received.push(toHex(command));
    if (command[0] === 0xaa) return new Uint8Array(0);
    if (command[0] === 0xbf && command[1] === 0x2d) return Uint8Array.from({ length: 700 }, (_, i) => i & 0xff);
    return command;
  }
}

function newCard(): { card: IsoCard; app: RecordingApplication; errors: unknown[] } {
  const app = new RecordingApplication();
  const errors: unknown[] = [];
  const card = new IsoCard({
    isdRAid: hex(ISD_R_AID),
    selectResponse: hex('6F108410' + ISD_R_AID),
    channelCount: 4,
    maxStoreDataLength: 4096,
    application: app,
    onInternalError: (error) => errors.push(error),
  });
  return { card, app, errors };
}

const send = (card: IsoCard, apdu: string): string => toHex(card.transmit(hex(apdu)));

describe('ISO 7816-4 logical channels (MANAGE CHANNEL)', () => {
  it('opens a channel with exactly <channel> 90 00 and closes it', () => {
    const { card } = newCard();
    expect(send(card, '0070000001')).toBe('019000');
    expect(send(card, '0070000001')).toBe('029000');
    expect(card.openChannels).toEqual([0, 1, 2]);
    expect(send(card, '0070800100')).toBe('9000');
    expect(card.openChannels).toEqual([0, 2]);
    expect(send(card, '0070000001')).toBe('019000');
  });

  it('refuses commands on a closed channel, closing channel 0 and too many channels', () => {
    const { card } = newCard();
    expect(send(card, '03A4040010' + ISD_R_AID)).toBe('6881');
    expect(send(card, '0070800000')).toBe('6A86');
    for (let i = 0; i < 3; i++) send(card, '0070000001');
    expect(send(card, '0070000001')).toBe('6A81');
  });
});

describe('ISO 7816-4 SELECT of the ISD-R', () => {
  it('answers the FCI via 61xx when no Le is sent, directly with Le 00', () => {
    const { card } = newCard();
    expect(send(card, '00A4040010' + ISD_R_AID)).toBe('6114');
    expect(send(card, '00C0000014')).toBe('6F108410' + ISD_R_AID + '9000');
    expect(send(card, '00A4040010' + ISD_R_AID + '00')).toBe('6F108410' + ISD_R_AID + '9000');
    expect(send(card, '00A4040C10' + ISD_R_AID)).toBe('9000');
  });

  it('answers 6A82 for an unknown AID and 6A86 for unsupported P1/P2', () => {
    const { card } = newCard();
    expect(send(card, '00A4040010A0000005591010FFFFFFFF8900000200')).toBe('6A82');
    expect(send(card, '00A4000002 3F00'.replace(' ', ''))).toBe('6A86');
  });
});

describe('SGP.22 §5.7 STORE DATA sequences', () => {
  it('refuses STORE DATA before SELECT, with a wrong CLA class and unknown INS/CLA', () => {
    const { card } = newCard();
    expect(send(card, '80E2910003BF2E00')).toBe('6985');
    send(card, '00A4040C10' + ISD_R_AID);
    expect(send(card, '00E2910003BF2E00')).toBe('6E00');
    expect(send(card, '80CA00005A')).toBe('6D00');
    expect(send(card, 'FFE2910003BF2E00')).toBe('6E00');
    expect(send(card, '80E2')).toBe('6700');
    expect(send(card, '80E2910005BF2E')).toBe('6700');
  });

  it('reassembles blocks across P1 11/91 and block numbers and answers through GET RESPONSE', () => {
    const { card, app } = newCard();
    expect(send(card, '0070000001')).toBe('019000');
    expect(send(card, '01A4040010' + ISD_R_AID)).toBe('6114');
    expect(send(card, '81E2110003BF2D05')).toBe('9000');
    expect(send(card, '81E2110102A003')).toBe('9000');
    expect(send(card, '81E291020380015A')).toBe('6100');
    expect(app.received).toEqual(['BF2D05A00380015A']);
    const first = send(card, '81C0000000');
    expect(first.length).toBe((256 + 2) * 2);
    expect(first.endsWith('6100')).toBe(true);
    const second = send(card, '81C0000000');
    expect(second.endsWith('61BC')).toBe(true);
    expect(send(card, '81C00000BC').endsWith('9000')).toBe(true);
    expect(send(card, '81C0000000')).toBe('6985');
  });

  it('answers 9000 without data when the application has nothing to return', () => {
    const { card } = newCard();
    send(card, '00A4040C10' + ISD_R_AID);
    expect(send(card, '80E2910002AA00')).toBe('9000');
  });

  it('aborts a sequence on a block number out of order or a bad P1', () => {
    const { card, app } = newCard();
    send(card, '00A4040C10' + ISD_R_AID);
    expect(send(card, '80E2110003BF2E00')).toBe('9000');
    expect(send(card, '80E2910203BF2E00')).toBe('6A86');
    expect(send(card, '80E2010003BF2E00')).toBe('6A86');
    expect(send(card, '80E2910003BF2E00')).toBe('6103');
    expect(app.received).toEqual(['BF2E00']);
  });

  it('refuses a sequence larger than the limit with 6A84', () => {
    const { card } = newCard();
    send(card, '00A4040C10' + ISD_R_AID);
    const block = 'FF'.repeat(255);
    let lastSw = '';
    for (let i = 0; i < 17; i++) lastSw = send(card, '80E211' + i.toString(16).padStart(2, '0') + 'FF' + block);
    expect(lastSw).toBe('6A84');
  });

  it('accepts TERMINAL CAPABILITY as lpac sends it', () => {
    const { card } = newCard();
    expect(send(card, '80AA00000AA9088100820101830107')).toBe('9000');
  });
});
