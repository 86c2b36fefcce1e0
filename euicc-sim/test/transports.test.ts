// The transport adapters over real streams and sockets: lpac's stdio JSON protocol, the hex line server on
// TCP, and the vpcd wire protocol against a loopback vpcd stand-in.
import { connect, createServer, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '@zkesim/protocol';
import { connectVpcd, listenHexLines, serveLpacStdio } from '../src/index.js';
import { sgp26Card, SGP26_EID } from '@zkesim/testing/euicc/sgp26Euicc';

async function lines(stream: PassThrough, count: number): Promise<string[]> {
  const received: string[] = [];
  let buffer = '';
  for await (const chunk of stream) {
    buffer += String(chunk);
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    received.push(...parts);
    if (received.length >= count) break;
  }
  return received;
}

describe("lpac's stdio APDU driver protocol (LPAC_APDU=stdio)", () => {
  it('answers connect, logic_channel_open with the channel, transmit with data+SW, close and disconnect', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const served = serveLpacStdio(input, output, sgp26Card());
    const requests = [
      { func: 'connect', param: null },
      { func: 'logic_channel_open', param: 'a0000005591010ffffffff8900000100' },
      { func: 'transmit', param: '81e2910006bf3e035c015a' },
      { func: 'transmit', param: '81c0000015' },
      { func: 'logic_channel_close', param: '01' },
      { func: 'disconnect', param: null },
    ];
    for (const payload of requests) input.write(`${JSON.stringify({ type: 'apdu', payload })}\n`);
    input.write('not json\n');
    input.end();
    const answers = (await lines(output, 7)).map((line) => JSON.parse(line) as { payload: { ecode: number; data?: string } });
    await served;
    expect(answers.map((answer) => answer.payload.ecode)).toEqual([0, 1, 0, 0, 0, 0, -1]);
    expect(answers[2]?.payload.data).toBe('6115');
    expect(answers[3]?.payload.data).toBe(`bf3e125a10${SGP26_EID}9000`);
  });

  it('fails logic_channel_open for an AID the card does not have', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const served = serveLpacStdio(input, output, sgp26Card());
    input.end(`${JSON.stringify({ type: 'apdu', payload: { func: 'logic_channel_open', param: 'a0000005591010ffffffff8900050500' } })}\n`);
    expect(await lines(output, 1)).toEqual(['{"type":"apdu","payload":{"ecode":-1}}']);
    await served;
  });
});

/** Drives the stdio protocol as lpac does: transmit, then GET RESPONSE while SW1 is 61. */
async function lpacSession(commands: readonly string[]): Promise<string[]> {
  const input = new PassThrough();
  const output = new PassThrough();
  const served = serveLpacStdio(input, output, sgp26Card());
  const replies = output[Symbol.asyncIterator]();
  let pending = '';
  const request = async (func: string, param: string | null): Promise<{ ecode: number; data?: string }> => {
    input.write(`${JSON.stringify({ type: 'apdu', payload: { func, param } })}\n`);
    while (!pending.includes('\n')) pending += String((await replies.next()).value);
    const [line = '', ...rest] = pending.split('\n');
    pending = rest.join('\n');
    return (JSON.parse(line) as { payload: { ecode: number; data?: string } }).payload;
  };
  await request('connect', null);
  const channel = (await request('logic_channel_open', 'a0000005591010ffffffff8900000100')).ecode;
  const results: string[] = [];
  for (const command of commands) {
    const body = command.toLowerCase();
    let reply = await request('transmit', `8${channel}e29100${(body.length / 2).toString(16).padStart(2, '0')}${body}`);
    let data = '';
    while ((reply.data ?? '').startsWith('61', (reply.data ?? '').length - 4)) {
      data += (reply.data ?? '').slice(0, -4);
      reply = await request('transmit', `8${channel}c00000${(reply.data ?? '').slice(-2)}`);
    }
    results.push(data + (reply.data ?? ''));
  }
  await request('logic_channel_close', `0${channel}`);
  await request('disconnect', null);
  input.end();
  await served;
  return results;
}

describe("lpac's chip info and profile list over the stdio driver", () => {
  it('answers the exact ES10 commands lpac sends (GetEID, addresses, RAT, EUICCInfo2, ProfilesInfo)', async () => {
    const results = await lpacSession(['bf3e035c015a', 'bf3c00', 'bf4300', 'bf2200', 'bf2d00']);
    expect(results[0]).toBe(`bf3e125a10${SGP26_EID}9000`);
    for (const result of results) expect(result.endsWith('9000')).toBe(true);
    expect(results[1]?.startsWith('bf3c')).toBe(true);
    expect(results[3]?.startsWith('bf22')).toBe(true);
    expect(results[4]).toBe('bf2d02a0009000');
  });
});

describe('hex APDU line server on TCP', () => {
  it('answers one hex R-APDU line per C-APDU line on 127.0.0.1', async () => {
    const server = await listenHexLines('127.0.0.1', 0, sgp26Card(), (error) => {
      throw error;
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    const socket = connect({ host: '127.0.0.1', port: address.port });
    const output = new PassThrough();
    socket.pipe(output);
    socket.write('00A4040C10A0000005591010FFFFFFFF8900000100\n80E2910006BF3E035C015A\n80C0000015\nhello\n');
    expect(await lines(output, 4)).toEqual(['9000', '6115', `BF3E125A10${SGP26_EID}9000`, 'error: expected an APDU as an even number of hex digits']);
    socket.destroy();
    server.close();
  });
});

describe('vpcd wire protocol', () => {
  it('answers GET ATR, ignores power on/off and answers APDUs, each length-prefixed', async () => {
    const frames: Buffer[] = [];
    let peer: Socket | undefined;
    const server = createServer((socket) => {
      peer = socket;
      let buffer = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        while (buffer.length >= 2 && buffer.length >= 2 + buffer.readUInt16BE(0)) {
          frames.push(buffer.subarray(2, 2 + buffer.readUInt16BE(0)));
          buffer = buffer.subarray(2 + buffer.readUInt16BE(0));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    const connection = await connectVpcd({ host: '127.0.0.1', port: address.port, card: sgp26Card(), logger: silentLogger });
    while (peer === undefined) await new Promise((resolve) => setTimeout(resolve, 10));
    const frame = (bytes: number[]): Buffer => Buffer.from([bytes.length >> 8, bytes.length & 0xff, ...bytes]);
    peer.write(Buffer.concat([frame([0x04]), frame([0x01]), frame([0x00, 0x70, 0x00, 0x00, 0x01]), frame([0x00])]));
    while (frames.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(frames.map((f) => f.toString('hex'))).toEqual(['3b021450', '019000']);
    connection.close();
    await connection.closed;
    server.close();
  });
});
