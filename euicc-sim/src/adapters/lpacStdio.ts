// lpac's stdio APDU driver (LPAC_APDU=stdio, as lpac 2.3.0 speaks it): newline-delimited JSON
// requests {"type":"apdu","payload":{"func":..,"param":..}}, exactly one response line each,
// {"type":"apdu","payload":{"ecode":n[,"data":hex]}}.
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { Ins, claOfChannel, encodeCommandApdu, fromHex, isHex, manageChannelCloseCommand, manageChannelOpenCommand, toHex } from '@zkesim/protocol';
import type { CardConnection } from '../apdu/transport.js';

interface LpacResponse {
  readonly type: 'apdu';
  readonly payload: { readonly ecode: number; readonly data?: string };
}

const FAILED: LpacResponse = { type: 'apdu', payload: { ecode: -1 } };
const OK: LpacResponse = { type: 'apdu', payload: { ecode: 0 } };

/** Serves lpac on a pair of streams until the input ends. Non-APDU lines (lpac's HTTP driver) are ignored. */
export async function serveLpacStdio(input: Readable, output: Writable, card: CardConnection): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const response = await answer(line, card);
    if (response !== undefined) output.write(`${JSON.stringify(response)}\n`);
  }
}

async function answer(line: string, card: CardConnection): Promise<LpacResponse | undefined> {
  const request = parseRequest(line);
  if (request === undefined) return FAILED;
  if (request === 'not-apdu') return undefined;
  switch (request.func) {
    case 'connect':
      card.reset();
      return OK;
    case 'disconnect':
      return OK;
    case 'logic_channel_open':
      return openChannel(request.param, card);
    case 'logic_channel_close':
      return closeChannel(request.param, card);
    case 'transmit':
      return transmit(request.param, card);
    default:
      return FAILED;
  }
}

interface LpacRequest {
  readonly func: string;
  readonly param: string | null;
}

function parseRequest(line: string): LpacRequest | 'not-apdu' | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    // A line that is not JSON is a protocol error; lpac gets ecode -1 rather than a silent hang.
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { type, payload } = parsed as { type?: unknown; payload?: unknown };
  if (type !== 'apdu') return 'not-apdu';
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { func, param } = payload as { func?: unknown; param?: unknown };
  if (typeof func !== 'string') return undefined;
  if (param !== null && param !== undefined && typeof param !== 'string') return undefined;
  return { func, param: param ?? null };
}

/** lpac expects the channel number as ecode; the card answers MANAGE CHANNEL, then SELECT on that channel. */
async function openChannel(aidHex: string | null, card: CardConnection): Promise<LpacResponse> {
  if (aidHex === null || !isHexBytes(aidHex) || aidHex.length / 2 > 16) return FAILED;
  const opened = await card.transmit(manageChannelOpenCommand());
  if (opened.length !== 3 || opened[1] !== 0x90 || opened[2] !== 0x00) return FAILED;
  const channel = opened[0] ?? 0;
  const aid = fromHex(aidHex);
  const select = encodeCommandApdu({ cla: claOfChannel(channel), ins: Ins.select, p1: 0x04, p2: 0x00, data: aid, le: 256 });
  const selected = await card.transmit(select);
  const sw1 = selected[selected.length - 2];
  if (sw1 !== 0x90 && sw1 !== 0x61) {
    await card.transmit(manageChannelCloseCommand(channel));
    return FAILED;
  }
  return { type: 'apdu', payload: { ecode: channel } };
}

async function closeChannel(channelHex: string | null, card: CardConnection): Promise<LpacResponse> {
  if (channelHex !== null && isHexBytes(channelHex) && channelHex.length === 2) {
    await card.transmit(manageChannelCloseCommand(parseInt(channelHex, 16)));
  }
  return OK;
}

async function transmit(apduHex: string | null, card: CardConnection): Promise<LpacResponse> {
  if (apduHex === null || !isHexBytes(apduHex)) return FAILED;
  const response = await card.transmit(fromHex(apduHex));
  return { type: 'apdu', payload: { ecode: 0, data: toHex(response) } };
}

/** At least one byte of hex. */
function isHexBytes(text: string): boolean {
  return text.length > 0 && isHex(text);
}
