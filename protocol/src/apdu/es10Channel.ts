// The LPA side of ES10 over APDUs (SGP.22 §5.7.2): a logical channel to the ISD-R, each ES10 command sent
// as one STORE DATA sequence, and the response collected with GET RESPONSE while the card answers 61xx
// (ISO 7816-4 §5.3.4). The card side is euicc-sim's IsoCard.
import { concatBytes } from '../bytes.js';
import { ReasonCodes, RspError, SubjectCodes } from '../errors/index.js';
import { claOfChannel, encodeCommandApdu, Ins, manageChannelCloseCommand, manageChannelOpenCommand } from './commandApdu.js';
import { formatStatusWord, hasMoreData, responseDataOf, StatusWord, statusWordOf } from './statusWords.js';
import { STORE_DATA_MAX_BLOCKS, storeDataBlockCount, storeDataCommands } from './storeData.js';
import { ISD_R_AID, type ApduTransport } from './transport.js';

/** The card answered a status word other than 9000 / 61xx (ISO 7816-4 §5.6) to the command `context` names. */
export class CardStatusError extends RspError {
  constructor(
    readonly statusWord: number,
    context: string,
  ) {
    super({ subjectCode: SubjectCodes.euicc.code, reasonCode: ReasonCodes.executionError.code }, `${context}: card answered SW ${formatStatusWord(statusWord)}`);
  }
}

/**
 * What ES10 clients need of a channel: send one command, get the response data. An Es10Channel is one; a test
 * peer that hands each command straight to an ISD-R object is another.
 */
export type Es10Sender = Pick<Es10Channel, 'send'>;

/** A logical channel on which the ISD-R is selected. */
export class Es10Channel {
  private closed = false;

  private constructor(
    private readonly transport: ApduTransport,
    readonly channel: number,
  ) {}

  /** MANAGE CHANNEL (open), then SELECT the ISD-R by DF name on the new channel (ISO 7816-4 §11.1.1-2). */
  static async open(transport: ApduTransport, isdRAid: Uint8Array = ISD_R_AID): Promise<Es10Channel> {
    const opened = await transport.transmit(manageChannelOpenCommand());
    if (opened.length !== 3 || statusWordOf(opened) !== StatusWord.ok) throw new CardStatusError(statusWordOf(opened), 'MANAGE CHANNEL open');
    const channel = opened[0] ?? 0;
    const select = encodeCommandApdu({ cla: claOfChannel(channel), ins: Ins.select, p1: 0x04, p2: 0x00, data: isdRAid });
    const sw = statusWordOf(await transport.transmit(select));
    if (sw !== StatusWord.ok && !hasMoreData(sw)) {
      await transport.transmit(manageChannelCloseCommand(channel));
      throw new CardStatusError(sw, 'SELECT ISD-R');
    }
    return new Es10Channel(transport, channel);
  }

  /** Sends one ES10 command (or one BPP piece) as a STORE DATA sequence and returns the response data. */
  async send(command: Uint8Array, context = 'STORE DATA'): Promise<Uint8Array> {
    if (this.closed) throw new CardStatusError(0, `${context} on a closed channel`);
    if (storeDataBlockCount(command.length) > STORE_DATA_MAX_BLOCKS) {
      throw new CardStatusError(StatusWord.wrongLength, `${context}: ${command.length} bytes need more than ${STORE_DATA_MAX_BLOCKS} blocks`);
    }
    const blocks = storeDataCommands(command, this.channel);
    let response: Uint8Array = new Uint8Array(0);
    for (const [index, block] of blocks.entries()) {
      response = await this.transport.transmit(block);
      const last = index === blocks.length - 1;
      if (!last && statusWordOf(response) !== StatusWord.ok) throw new CardStatusError(statusWordOf(response), `${context} block ${index}`);
    }
    return this.collect(response, context);
  }

  /** Response data of `first` and of every GET RESPONSE its 61xx asks for (ISO 7816-4 §5.3.4). */
  private async collect(first: Uint8Array, context: string): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let response = first;
    for (;;) {
      const sw = statusWordOf(response);
      parts.push(responseDataOf(response));
      if (hasMoreData(sw)) {
        const le = sw & 0xff;
        response = await this.transport.transmit(encodeCommandApdu({ cla: claOfChannel(this.channel, true), ins: Ins.getResponse, p1: 0, p2: 0, le: le === 0 ? 256 : le }));
        continue;
      }
      if (sw !== StatusWord.ok) throw new CardStatusError(sw, context);
      return concatBytes(parts);
    }
  }

  /** MANAGE CHANNEL (close). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const response = await this.transport.transmit(manageChannelCloseCommand(this.channel));
    if (statusWordOf(response) !== StatusWord.ok) throw new CardStatusError(statusWordOf(response), 'MANAGE CHANNEL close');
  }
}
