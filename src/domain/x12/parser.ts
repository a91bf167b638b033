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
  const bytes = new Utf8Chunks();
  let result: X12ParseResult | undefined;

  return {
    push(chunk: X12Chunk): void {
      tokenizer.push(typeof chunk === 'string' ? chunk : bytes.decode(chunk));
    },
    end(): X12ParseResult {
      if (result) return result;
      tokenizer.push(bytes.flush());
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

// One stateless decoder for all parsers (creating a TextDecoder per parse is measurable on small files). The BOM stays
// in the text (ignoreBOM) so byte offsets count it like the raw file does.
const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Decodes UTF-8 byte chunks; a multi-byte character split across chunks is held back until its remaining bytes arrive.
 */
class Utf8Chunks {
  private tail: Uint8Array | undefined;

  decode(chunk: Uint8Array): string {
    let bytes = chunk;
    if (this.tail) {
      bytes = new Uint8Array(this.tail.length + chunk.length);
      bytes.set(this.tail, 0);
      bytes.set(chunk, this.tail.length);
      this.tail = undefined;
    }
    const cut = completeLength(bytes);
    if (cut < bytes.length) this.tail = bytes.slice(cut);
    return UTF8.decode(cut < bytes.length ? bytes.subarray(0, cut) : bytes);
  }

  flush(): string {
    const tail = this.tail;
    this.tail = undefined;
    return tail ? UTF8.decode(tail) : '';
  }
}

/** Length of the prefix of `bytes` that does not end inside a UTF-8 sequence. */
function completeLength(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let i = n - 1; i >= 0 && i >= n - 4; i--) {
    const b = bytes[i];
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return i + need <= n ? n : i;
  }
  return n;
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
