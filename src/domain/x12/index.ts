/**
 * X12 835 remittance: streaming parser, typed mapping (integer cents), balancing and summary.
 * Pure: the caller does the I/O and feeds text or bytes.
 */
export { createX12Parser, parse835, parse835Stream, type X12Chunk, type X12ParserOptions, type X12StreamParser } from './parser';
export { summarize835, createSummaryAccumulator, type SummaryAccumulator, type SummaryIssue, type X12Summary } from './summary';
export { balanceClaim, balanceService, balanceTransaction, casTotalCents, plbTotalCents, type ClaimBalance, type ServiceBalance } from './balance';
export { X12ParseError, type IssueSeverity, type X12ErrorCode, type X12Issue, type X12IssueCode, type X12Position } from './errors';
export { SegmentTokenizer, type SegmentSink, type TokenizerOptions } from './tokenizer';
export { type Delimiters } from './delimiters';
export * from './remittance';
