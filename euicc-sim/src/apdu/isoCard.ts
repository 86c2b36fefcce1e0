// ISO/IEC 7816-4 command dispatcher of the eUICC: logical channels, SELECT of the ISD-R, STORE DATA sequences
// (SGP.22 §5.7 ES10 transport), 61xx / GET RESPONSE, and status words for every refused command.
// Sans-I/O: bytes in, bytes out; the transports in ../adapters own all I/O.
import {
  ApduError, Ins, StatusWord, bytesEqual, channelOfCla, hexByte, isProprietaryCla, isSupportedCla, parseCommandApdu, toHex, withStatusWord, type CommandApdu,
} from '@zkesim/protocol';
import { PendingResponse } from './responseChaining.js';
import { StoreDataAssembler } from './storeDataAssembler.js';

/** The ISD-R side of the card: one complete ES10 command in, its response TLV out (empty = 9000 only). */
export interface StoreDataApplication {
  processStoreData(command: Uint8Array): Uint8Array;
}

export interface IsoCardOptions {
  /** AID answered on SELECT (SGP.22 §2.2.3: A0000005591010FFFFFFFF8900000100 unless a quirk changes it). */
  readonly isdRAid: Uint8Array;
  /** File control information returned on SELECT with P2 = 00. */
  readonly selectResponse: Uint8Array;
  /** Logical channels supported, basic channel included (ISO 7816-4 allows up to 20). */
  readonly channelCount: number;
  /** Largest reassembled STORE DATA sequence accepted. */
  readonly maxStoreDataLength: number;
  readonly application: StoreDataApplication;
  /** Receives errors that are not an ApduError (a defect); the card still answers 6F00. */
  readonly onInternalError: (error: unknown) => void;
}

interface ChannelState {
  isdRSelected: boolean;
  readonly storeData: StoreDataAssembler;
  readonly pending: PendingResponse;
}

export class IsoCard {
  private readonly channels = new Map<number, ChannelState>();

  constructor(private readonly options: IsoCardOptions) {
    this.reset();
  }

  /** Cold or warm reset: only the basic channel stays open, nothing is selected (ISO 7816-4 §5.4.2). */
  reset(): void {
    this.channels.clear();
    this.channels.set(0, this.newChannel());
  }

  get openChannels(): number[] {
    return [...this.channels.keys()].sort((a, b) => a - b);
  }

  /** Processes one C-APDU and returns the R-APDU (data followed by SW1 SW2). */
  transmit(apdu: Uint8Array): Uint8Array {
    try {
      return this.dispatch(parseCommandApdu(apdu));
    } catch (error) {
      if (error instanceof ApduError) return withStatusWord(new Uint8Array(0), error.statusWord);
      this.options.onInternalError(error);
      return withStatusWord(new Uint8Array(0), StatusWord.noPreciseDiagnosis);
    }
  }

  private dispatch(command: CommandApdu): Uint8Array {
    if (!isSupportedCla(command.cla)) throw new ApduError(StatusWord.claNotSupported, `CLA ${hexByte(command.cla)} not supported`);
    const channel = this.channels.get(channelOfCla(command.cla));
    if (channel === undefined) throw new ApduError(StatusWord.logicalChannelNotSupported, `logical channel ${channelOfCla(command.cla)} is not open`);
    if (command.ins === Ins.getResponse) return this.getResponse(channel, command);
    channel.pending.clear();
    if (command.ins !== Ins.storeData) channel.storeData.clear();
    switch (command.ins) {
      case Ins.manageChannel:
        return this.manageChannel(command);
      case Ins.select:
        return this.select(channel, command);
      case Ins.storeData:
        return this.storeData(channel, command);
      case Ins.terminalCapability:
        return withStatusWord(new Uint8Array(0), StatusWord.ok);
      default:
        throw new ApduError(StatusWord.insNotSupported, `INS ${hexByte(command.ins)} not supported`);
    }
  }

  /** ISO 7816-4 §11.1.2 MANAGE CHANNEL: P1 00 open (P2 00 = card assigns), P1 80 close channel P2. */
  private manageChannel(command: CommandApdu): Uint8Array {
    requireInterindustry(command);
    if (command.p1 === 0x00) return this.openChannel(command);
    if (command.p1 === 0x80) {
      const target = command.p2 === 0 ? channelOfCla(command.cla) : command.p2;
      if (target === 0) throw new ApduError(StatusWord.incorrectP1P2, 'the basic channel cannot be closed');
      if (!this.channels.delete(target)) throw new ApduError(StatusWord.incorrectP1P2, `logical channel ${target} is not open`);
      return withStatusWord(new Uint8Array(0), StatusWord.ok);
    }
    throw new ApduError(StatusWord.incorrectP1P2, `MANAGE CHANNEL P1 ${hexByte(command.p1)} invalid`);
  }

  private openChannel(command: CommandApdu): Uint8Array {
    if (command.p2 !== 0) {
      if (command.p2 >= this.options.channelCount || this.channels.has(command.p2)) {
        throw new ApduError(StatusWord.incorrectP1P2, `logical channel ${command.p2} cannot be opened`);
      }
      this.channels.set(command.p2, this.newChannel());
      return withStatusWord(new Uint8Array(0), StatusWord.ok);
    }
    if (command.le === undefined) throw new ApduError(StatusWord.wrongLength, 'MANAGE CHANNEL open without Le');
    for (let number = 1; number < this.options.channelCount; number++) {
      if (this.channels.has(number)) continue;
      this.channels.set(number, this.newChannel());
      // lpac's PC/SC driver accepts exactly three bytes, <channel> 90 00.
      return withStatusWord(Uint8Array.of(number), StatusWord.ok);
    }
    throw new ApduError(StatusWord.functionNotSupported, 'no free logical channel');
  }

  /** ISO 7816-4 §11.1.1 SELECT by DF name (P1 04); P2 00 returns the FCI, P2 0C returns none. */
  private select(channel: ChannelState, command: CommandApdu): Uint8Array {
    requireInterindustry(command);
    if (command.p1 !== 0x04) throw new ApduError(StatusWord.incorrectP1P2, `SELECT P1 ${hexByte(command.p1)} not supported (only by DF name)`);
    if (command.p2 !== 0x00 && command.p2 !== 0x0c) throw new ApduError(StatusWord.incorrectP1P2, `SELECT P2 ${hexByte(command.p2)} not supported`);
    if (!bytesEqual(command.data, this.options.isdRAid)) {
      throw new ApduError(StatusWord.fileOrApplicationNotFound, `no application with AID ${toHex(command.data, 'upper')}`);
    }
    channel.isdRSelected = true;
    if (command.p2 === 0x0c) return withStatusWord(new Uint8Array(0), StatusWord.ok);
    return channel.pending.start(this.options.selectResponse, command.le);
  }

  private storeData(channel: ChannelState, command: CommandApdu): Uint8Array {
    if (!isProprietaryCla(command.cla)) throw new ApduError(StatusWord.claNotSupported, 'STORE DATA needs a GlobalPlatform CLA (8x)');
    if (!channel.isdRSelected) throw new ApduError(StatusWord.conditionsNotSatisfied, 'STORE DATA before the ISD-R is selected');
    const whole = channel.storeData.add({ p1: command.p1, p2: command.p2, data: command.data });
    if (whole === undefined) return withStatusWord(new Uint8Array(0), StatusWord.ok);
    const response = this.options.application.processStoreData(whole);
    return channel.pending.start(response, command.le);
  }

  private getResponse(channel: ChannelState, command: CommandApdu): Uint8Array {
    if (command.p1 !== 0 || command.p2 !== 0) throw new ApduError(StatusWord.incorrectP1P2, 'GET RESPONSE needs P1 P2 = 00 00');
    if (!channel.pending.hasData) throw new ApduError(StatusWord.conditionsNotSatisfied, 'GET RESPONSE without pending data');
    return channel.pending.next(command.le ?? 256);
  }

  private newChannel(): ChannelState {
    return { isdRSelected: false, storeData: new StoreDataAssembler(this.options.maxStoreDataLength), pending: new PendingResponse() };
  }
}

function requireInterindustry(command: CommandApdu): void {
  if (isProprietaryCla(command.cla)) throw new ApduError(StatusWord.claNotSupported, `INS ${hexByte(command.ins)} needs an interindustry CLA`);
}
