import fc from 'fast-check';
import {
  allowedEvents,
  canTransition,
  IllegalTransitionError,
  isTerminal,
  JOURNEY_EVENTS,
  JOURNEY_STAGES,
  next,
  STAGE_INFO,
  TERMINAL_STATES,
  type JourneyEventType,
  type JourneyState,
} from '../../../src/domain';

function run(events: JourneyEventType[], from: JourneyState = 'intake'): JourneyState {
  return events.reduce<JourneyState>((s, e) => next(s, e), from);
}

describe('journey state machine', () => {
  it('has the 11 stages of DESIGN.md in order, each with an owner and description', () => {
    expect(JOURNEY_STAGES).toHaveLength(11);
    JOURNEY_STAGES.forEach((s, i) => {
      expect(STAGE_INFO[s].order).toBe(i + 1);
      expect(STAGE_INFO[s].owner).not.toBe('none');
      expect(STAGE_INFO[s].description.length).toBeGreaterThan(10);
    });
    for (const t of TERMINAL_STATES) expect(isTerminal(t) && STAGE_INFO[t].terminal).toBe(true);
  });

  it('happy path with prior auth, payer payment and patient balance ends paid', () => {
    expect(
      run([
        'intake_complete', 'eligibility_confirmed', 'auth_pended', 'auth_approved', 'scheduled', 'service_completed',
        'coding_done', 'billing_approved', 'claim_submitted', 'patient_balance_due', 'patient_paid', 'posting_reconciled',
      ]),
    ).toBe('paid');
  });

  it('auth not required skips to scheduling; payer pays in full → posting → paid', () => {
    expect(run(['intake_complete', 'eligibility_confirmed', 'auth_not_required'])).toBe('scheduling');
    expect(run(['claim_paid', 'posting_reconciled'], 'payer_adjudication')).toBe('paid');
  });

  it('denials, rejections, reversals and rework loops', () => {
    expect(next('payer_adjudication', 'claim_denied')).toBe('payer_adjudication');
    expect(next('payer_adjudication', 'claim_rejected')).toBe('claim_submission');
    expect(next('posting', 'claim_reversed')).toBe('payer_adjudication');
    expect(next('billing_approval', 'billing_changes_requested')).toBe('coding');
    expect(next('service', 'rescheduled')).toBe('scheduling');
    expect(next('prior_auth', 'auth_denied')).toBe('prior_auth');
    expect(next('prior_auth', 'auth_denied_final')).toBe('cancelled');
    expect(next('patient_balance', { type: 'written_off' })).toBe('written_off');
    expect(next('patient_balance', 'closed_with_balance')).toBe('closed_with_balance');
  });

  it('illegal moves throw a typed error', () => {
    try {
      next('intake', 'claim_paid');
      throw new Error('should throw');
    } catch (e) {
      expect(e).toBeInstanceOf(IllegalTransitionError);
      expect((e as IllegalTransitionError).from).toBe('intake');
      expect((e as IllegalTransitionError).event).toBe('claim_paid');
      expect((e as Error).message).toBe('illegal journey transition: claim_paid in intake');
    }
    expect(() => next('scheduling', 'auth_approved')).toThrow(IllegalTransitionError);
    // once the invoice is posted (claim submission) the journey cannot simply be cancelled
    expect(() => next('payer_adjudication', 'cancelled')).toThrow(IllegalTransitionError);
    expect(canTransition('claim_submission', 'cancelled')).toBe(false);
    expect(canTransition('billing_approval', 'cancelled')).toBe(true);
  });

  it('terminal states accept nothing', () => {
    for (const t of TERMINAL_STATES) {
      expect(allowedEvents(t)).toEqual([]);
      for (const e of JOURNEY_EVENTS) expect(() => next(t, e)).toThrow(IllegalTransitionError);
    }
  });

  it('every non-terminal stage has an exit and every terminal state is reachable', () => {
    const reached = new Set<JourneyState>(['intake']);
    const queue: JourneyState[] = ['intake'];
    while (queue.length) {
      const s = queue.shift()!;
      for (const e of allowedEvents(s)) {
        const t = next(s, e);
        if (!reached.has(t)) {
          reached.add(t);
          queue.push(t);
        }
      }
    }
    for (const s of [...JOURNEY_STAGES, ...TERMINAL_STATES]) expect(reached.has(s)).toBe(true);
    for (const s of JOURNEY_STAGES) expect(allowedEvents(s).some((e) => next(s, e) !== s)).toBe(true);
  });

  it('next is total: any (state, event) either returns a known state or throws IllegalTransitionError', () => {
    const states = [...JOURNEY_STAGES, ...TERMINAL_STATES];
    fc.assert(
      fc.property(fc.constantFrom(...states), fc.constantFrom(...JOURNEY_EVENTS), (s, e) => {
        try {
          return (states as string[]).includes(next(s, e));
        } catch (err) {
          return err instanceof IllegalTransitionError;
        }
      }),
    );
  });
});
