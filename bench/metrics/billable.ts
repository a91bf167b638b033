import type { temporal } from '@temporalio/proto';
import { sumJourneyActions, type HistoryLike } from '../../src/client/billableActions';
import { atMost, type Row } from '../report';

type History = temporal.api.history.v1.IHistory;
const BUDGET = 60;

/**
 * Billable actions per paid happy-path journey with its children (src/client/billableActions: starts, activities,
 * timers, signals, updates, upserts, child starts, markers), the largest over the completed journeys. The
 * "baseline" column is the budget, so the ratio reads as the share of it used.
 */
export function billableMetric(journeys: { history: History; children: { history: History }[] }[]): Row {
  // Proto history events have no index signature, which HistoryLike's structural type asks for; the fields match.
  const like = (h: History) => h as unknown as HistoryLike;
  const totals = journeys.map((j) => sumJourneyActions(like(j.history), j.children.map((c) => like(c.history))));
  const worst = totals.reduce((a, b) => (b.total > a.total ? b : a));
  const parts = Object.entries(worst)
    .filter(([k, v]) => k !== 'total' && v > 0)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return atMost('billable actions per paid happy-path journey (with children)', worst.total, BUDGET, 1, `max over ${journeys.length} paid journeys (min ${Math.min(...totals.map((t) => t.total))}): ${parts}`, {
    goal: `≤ ${BUDGET}`,
    ok: worst.total <= BUDGET,
  });
}
