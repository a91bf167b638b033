import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Typed search attributes operators filter journeys by in the Temporal UI and `rcm list`.
 * None of them may carry PHI: stages, site/payer ids, SLA state, deadlines, queue names, balances.
 */
export const Stage = defineSearchAttributeKey('Stage', SearchAttributeType.KEYWORD);
export const SiteId = defineSearchAttributeKey('SiteId', SearchAttributeType.KEYWORD);
export const PayerId = defineSearchAttributeKey('PayerId', SearchAttributeType.KEYWORD);
export const SlaState = defineSearchAttributeKey('SlaState', SearchAttributeType.KEYWORD);
export const NextDeadline = defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME);
export const ExceptionQueue = defineSearchAttributeKey('ExceptionQueue', SearchAttributeType.KEYWORD_LIST);
export const BalanceCents = defineSearchAttributeKey('BalanceCents', SearchAttributeType.INT);
/** Claim ids (CLP01) of the journey: how an 835 claim payment finds its journey. Not PHI. */
export const ClaimIds = defineSearchAttributeKey('ClaimIds', SearchAttributeType.KEYWORD_LIST);

/** Name → server type, as `temporal server start-dev --search-attribute` and `operator search-attribute create` spell them. */
export const SEARCH_ATTRIBUTE_REGISTRY: Record<string, 'Keyword' | 'Datetime' | 'KeywordList' | 'Int'> = {
  Stage: 'Keyword',
  SiteId: 'Keyword',
  PayerId: 'Keyword',
  SlaState: 'Keyword',
  NextDeadline: 'Datetime',
  ExceptionQueue: 'KeywordList',
  BalanceCents: 'Int',
  ClaimIds: 'KeywordList',
};
