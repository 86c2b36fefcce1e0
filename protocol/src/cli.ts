// `zkesim asn1 …`: decode DER to JSON, encode JSON to DER, and list the types, for any generated type.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { asn1Types, fromJsonValue, splitTlvs, toJsonValue, type Codec } from './asn1/index.js';

function readInput(source: string): Buffer {
  return source === '-' ? readFileSync(0) : readFileSync(source);
}

function codecFor(typeName: string): Codec<unknown> {
  const codec = asn1Types.get(typeName);
  if (!codec) throw new Error(`unknown ASN.1 type '${typeName}' (see 'zkesim asn1 types')`);
  return codec;
}

/** Accepts raw DER, or hex / base64 text of it (what people paste from logs and JSON bodies). */
function derFromInput(input: Buffer): Uint8Array {
  const text = input.toString('latin1').trim();
  if (/^([0-9a-fA-F]{2}|\s)+$/.test(text)) return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
  if (/^[A-Za-z0-9+/=\s]+$/.test(text) && text.replace(/\s+/g, '').length % 4 === 0) return Uint8Array.from(Buffer.from(text, 'base64'));
  return new Uint8Array(input);
}

function fail(error: unknown): void {
  process.stderr.write(`zkesim asn1: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}

export function registerCommands(program: Command): void {
  const asn1 = program.command('asn1').description('decode and encode SGP.22, SAIP and PKIX ASN.1 values (DER)');

  asn1
    .command('decode <TypeName> <file>')
    .description('print the DER value in FILE (raw, hex or base64; - for stdin) as JSON, byte strings as hex')
    .option('--concatenated', 'FILE holds several values one after the other (a SAIP profile package): print an array')
    .action((typeName: string, file: string, options: { concatenated?: boolean }) => {
      try {
        const codec = codecFor(typeName);
        const der = derFromInput(readInput(file));
        const json = options.concatenated
          ? splitTlvs(der).map((element) => toJsonValue(codec, codec.decode(element.tlv)))
          : toJsonValue(codec, codec.decode(der));
        process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      } catch (error) {
        fail(error);
      }
    });

  asn1
    .command('encode <TypeName> <jsonfile>')
    .description('write the DER encoding of the JSON value in JSONFILE (- for stdin) to stdout')
    .option('--hex', 'write hex text instead of raw bytes')
    .action((typeName: string, file: string, options: { hex?: boolean }) => {
      try {
        const codec = codecFor(typeName);
        const der = codec.encode(fromJsonValue(codec, JSON.parse(readInput(file).toString('utf8'))));
        process.stdout.write(options.hex ? `${Buffer.from(der).toString('hex')}\n` : der);
      } catch (error) {
        fail(error);
      }
    });

  asn1
    .command('types')
    .description('list the type names')
    .action(() => {
      process.stdout.write(`${[...asn1Types.keys()].join('\n')}\n`);
    });
}
