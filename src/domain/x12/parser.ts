/**
 * Entry points: a push parser for chunked input, `parse835` for a whole string, `parse835Stream` for any async
 * iterable of chunks (e.g. a file read stream — the caller does the I/O, this module stays pure).
 */
import { IssueLog } from './errors';
import { RemittanceMapper } from './mapper';
import type { Transaction, X12ParseResult } from './remittance';
import { SegmentTokenizer } from './tokenizer';

export interface X12ParserOptions {
  /** Throw on every structural issue (severity error or warning) instead of reporting it. Default false. */
  strict?: boolean;
  /** Keep transactions in the result (default true). Set false for very large inputs and use `onTransaction`. */
  retainTransactions?: boolean;
  /** Receives each transaction as soon as its SE is read, with its balance computed. */
  onTransaction?: (tx: Transaction) => void;
  /** Cap on the number of issues kept (default 1000). */
  maxIssues?: number;
  /** Longest segment accepted (default 1 MiB of characters). */
  maxSegmentLength?: number;
}

export type X12Chunk = string | Uint8Array;

export interface X12StreamParser {
  /** Feed the next piece of input. Bytes are decoded as UTF-8 (split multi-byte characters are handled). */
  push(chunk: X12Chunk): void;
  /** Signal end of input; returns everything parsed. Throws X12ParseError if the input is broken. */
  end(): X12ParseResult;
  /** Segments read so far. */
  readonly segmentCount: number;
}

export function createX12Parser(options: X12ParserOptions = {}): X12StreamParser {
  const log = new IssueLog(options.strict ?? false, options.maxIssues ?? 1000);
  const mapper = new RemittanceMapper({ log, retainTransactions: options.retainTransactions, onTransaction: options.onTransaction });
  const tokenizer = new SegmentTokenizer(mapper, { maxSegmentLength: options.maxSegmentLength });
  let decoder: InstanceType<typeof TextDecoder> | undefined;
  let result: X12ParseResult | undefined;

  return {
    push(chunk: X12Chunk): void {
      if (typeof chunk === 'string') {
        tokenizer.push(chunk);
        return;
      }
      // Keep the BOM in the text (ignoreBOM) so byte offsets count it like the raw file does.
      decoder ??= new TextDecoder('utf-8', { ignoreBOM: true });
      tokenizer.push(decoder.decode(chunk, { stream: true }));
    },
    end(): X12ParseResult {
      if (result) return result;
      if (decoder) tokenizer.push(decoder.decode());
      tokenizer.end();
      mapper.finish();
      result = {
        interchanges: mapper.interchanges,
        transactions: mapper.transactions,
        transactionCount: mapper.transactionCount,
        issues: log.finish(),
        segmentCount: tokenizer.segmentCount,
        delimiters: mapper.firstDelimiters,
      };
      return result;
    },
    get segmentCount(): number {
      return tokenizer.segmentCount;
    },
  };
}

/** Parses a whole 835 held in memory. */
export function parse835(text: string, options: X12ParserOptions = {}): X12ParseResult {
  const parser = createX12Parser(options);
  parser.push(text);
  return parser.end();
}

/** Parses an 835 from an async iterable of chunks (strings or bytes), e.g. `fs.createReadStream(path)`. */
export async function parse835Stream(source: AsyncIterable<X12Chunk>, options: X12ParserOptions = {}): Promise<X12ParseResult> {
  const parser = createX12Parser(options);
  for await (const chunk of source) parser.push(chunk);
  return parser.end();
}
