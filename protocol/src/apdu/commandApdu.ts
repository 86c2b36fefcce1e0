// ISO/IEC 7816-3 §12.1 / 7816-4 §5.1 command APDUs (cases 1-4, short and extended length), the CLA coding
// of logical channels (ISO 7816-4 §5.4.1), and the instructions the ES10 transport uses.
import { ApduError, StatusWord } from './statusWords.js';

/** The instructions an LPA sends to the ISD-R and the card answers. */
export const Ins = {
  /** ISO 7816-4 §11.1.2 MANAGE CHANNEL. */
  manageChannel: 0x70,
  /** ISO 7816-4 §11.1.1 SELECT. */
  select: 0xa4,
  /** ISO 7816-4 §11.4.1 GET RESPONSE. */
  getResponse: 0xc0,
  /** GlobalPlatform Card Specification §11.11 STORE DATA, the carrier of every ES10 command (SGP.22 §5.7.2). */
  storeData: 0xe2,
  /** ETSI TS 102 221 §11.1.19 TERMINAL CAPABILITY; lpac sends it first and ignores the answer. */
  terminalCapability: 0xaa,
} as const;

export interface CommandApdu {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  /** Command data (empty for case 1 and 2). */
  readonly data: Uint8Array;
  /** Expected response length; undefined when the command has no Le field (case 1 and 3). 0 in short form means 256. */
  readonly le: number | undefined;
}

/** Parses a C-APDU; a malformed length field is an {@link ApduError} 6700 (wrong length). */
export function parseCommandApdu(bytes: Uint8Array): CommandApdu {
  if (bytes.length < 4) throw new ApduError(StatusWord.wrongLength, `C-APDU has ${bytes.length} bytes, needs at least 4`);
  const header = { cla: bytes[0] ?? 0, ins: bytes[1] ?? 0, p1: bytes[2] ?? 0, p2: bytes[3] ?? 0 };
  const body = bytes.subarray(4);
  if (body.length === 0) return { ...header, data: new Uint8Array(0), le: undefined };
  if (body.length === 1) return { ...header, data: new Uint8Array(0), le: shortLe(body[0] ?? 0) };
  const first = body[0] ?? 0;
  if (first !== 0) return parseShortBody(header, body, first);
  return parseExtendedBody(header, body);
}

function shortLe(value: number): number {
  return value === 0 ? 256 : value;
}

function parseShortBody(header: Omit<CommandApdu, 'data' | 'le'>, body: Uint8Array, lc: number): CommandApdu {
  const data = body.subarray(1, 1 + lc);
  if (data.length !== lc) throw new ApduError(StatusWord.wrongLength, `Lc is ${lc} but only ${body.length - 1} data bytes follow`);
  const rest = body.length - 1 - lc;
  if (rest === 0) return { ...header, data: Uint8Array.from(data), le: undefined };
  if (rest === 1) return { ...header, data: Uint8Array.from(data), le: shortLe(body[body.length - 1] ?? 0) };
  throw new ApduError(StatusWord.wrongLength, `${rest} bytes follow the command data, expected 0 or 1 (Le)`);
}

function parseExtendedBody(header: Omit<CommandApdu, 'data' | 'le'>, body: Uint8Array): CommandApdu {
  if (body.length === 3) {
    const le = ((body[1] ?? 0) << 8) | (body[2] ?? 0);
    return { ...header, data: new Uint8Array(0), le: le === 0 ? 65536 : le };
  }
  if (body.length < 3) throw new ApduError(StatusWord.wrongLength, 'extended length field is truncated');
  const lc = ((body[1] ?? 0) << 8) | (body[2] ?? 0);
  if (lc === 0) throw new ApduError(StatusWord.wrongLength, 'extended Lc of 0 is not allowed');
  const data = body.subarray(3, 3 + lc);
  if (data.length !== lc) throw new ApduError(StatusWord.wrongLength, `extended Lc is ${lc} but ${data.length} data bytes follow`);
  const rest = body.length - 3 - lc;
  if (rest === 0) return { ...header, data: Uint8Array.from(data), le: undefined };
  if (rest === 2) {
    const le = ((body[3 + lc] ?? 0) << 8) | (body[4 + lc] ?? 0);
    return { ...header, data: Uint8Array.from(data), le: le === 0 ? 65536 : le };
  }
  throw new ApduError(StatusWord.wrongLength, `${rest} bytes follow extended command data, expected 0 or 2 (Le)`);
}

/**
 * A C-APDU in short form: Lc and data when there is data, then Le when one is given (256 is coded 00).
 * ISO 7816-3 §12.2: over T=0 a case 1 command still carries a fifth byte P3 = 00, so callers that talk
 * T=0 style (as lpac does for MANAGE CHANNEL close) pass `le: 256`.
 */
export function encodeCommandApdu(command: { cla: number; ins: number; p1: number; p2: number; data?: Uint8Array; le?: number }): Uint8Array {
  const data = command.data ?? new Uint8Array(0);
  if (data.length > 255) throw new RangeError(`short C-APDU data is at most 255 bytes, got ${data.length}`);
  if (command.le !== undefined && (command.le < 1 || command.le > 256)) throw new RangeError(`short Le is 1 to 256, got ${command.le}`);
  const out = [command.cla, command.ins, command.p1, command.p2];
  if (data.length > 0) out.push(data.length, ...data);
  if (command.le !== undefined) out.push(command.le & 0xff);
  return Uint8Array.from(out);
}

/** MANAGE CHANNEL open with the card choosing the channel (P2 00, Le 01: it answers the channel number). */
export function manageChannelOpenCommand(): Uint8Array {
  return encodeCommandApdu({ cla: 0x00, ins: Ins.manageChannel, p1: 0x00, p2: 0x00, le: 1 });
}

/** MANAGE CHANNEL close of `channel`, with the P3 = 00 byte lpac sends (T=0 form of a case 1 command). */
export function manageChannelCloseCommand(channel: number): Uint8Array {
  return encodeCommandApdu({ cla: 0x00, ins: Ins.manageChannel, p1: 0x80, p2: channel, le: 256 });
}

/**
 * The logical channel a CLA byte addresses (ISO/IEC 7816-4 §5.4.1): first interindustry values (b8-b7 = 00)
 * carry channels 0-3 in b2-b1, further interindustry values (b7 = 1) carry 4-19 in b4-b1. Proprietary CLA
 * values (b8 = 1, as GlobalPlatform's 80/81 for STORE DATA) use the same coding.
 */
export function channelOfCla(cla: number): number {
  if ((cla & 0x40) === 0) return cla & 0x03;
  return 4 + (cla & 0x0f);
}

/**
 * The CLA byte of a command on `channel` without secure messaging (the inverse of {@link channelOfCla}):
 * interindustry (00-03, 40-4F) or, with `proprietary`, GlobalPlatform's (80-83, C0-CF).
 */
export function claOfChannel(channel: number, proprietary = false): number {
  if (channel < 0 || channel > 19) throw new RangeError(`logical channel ${channel} is outside 0 to 19`);
  const interindustry = channel < 4 ? channel : 0x40 | (channel - 4);
  return proprietary ? 0x80 | interindustry : interindustry;
}

/** True when the CLA byte is coded per ISO 7816-4 §5.4.1 (interindustry or GlobalPlatform proprietary). */
export function isSupportedCla(cla: number): boolean {
  if (cla === 0xff) return false;
  const secureMessaging = (cla & 0x40) === 0 ? (cla & 0x0c) !== 0 : (cla & 0x20) !== 0;
  return !secureMessaging && (cla & 0x10) === 0;
}

export function isProprietaryCla(cla: number): boolean {
  return (cla & 0x80) !== 0;
}
