import fc from 'fast-check';
import { DomainAccessor, DomainError, FieldValue, evaluateDomain, filterByDomain, likeToRegExp, parseDomain } from '../../sim/odoo/domain';

type Rec = { id: number; name: string | false; ref: string | false; amount: number; state: string; partner: [number, string] | false; tags: number[]; parent: number | false; active: boolean };

const recs: Rec[] = [
  { id: 1, name: 'Patient P-1', ref: 'P-1', amount: 10, state: 'draft', partner: [7, 'Acme Clinic'], tags: [1, 2], parent: false, active: true },
  { id: 2, name: 'Patient P-2', ref: 'P-2', amount: 20, state: 'posted', partner: false, tags: [], parent: 1, active: true },
  { id: 3, name: 'Other_100%', ref: false, amount: 30, state: 'posted', partner: [8, 'Beta Labs'], tags: [2], parent: 2, active: false },
  { id: 4, name: false, ref: 'x', amount: 0, state: 'cancel', partner: false, tags: [3], parent: false, active: true },
];

const accessor: DomainAccessor<Rec> = {
  get(r, field): FieldValue {
    if (field === 'partner_id') return r.partner ? { type: 'many2one', id: r.partner[0], name: r.partner[1] } : { type: 'many2one', id: false, name: false };
    if (field === 'tag_ids') return { type: 'x2many', ids: r.tags };
    if (field === 'parent_id') return { type: 'scalar', value: r.parent };
    return { type: 'scalar', value: (r as any)[field] };
  },
  childOf: (_f, ids) => {
    const out = new Set(ids);
    let grew = true;
    while (grew) {
      grew = false;
      for (const r of recs) {
        if (r.parent === false || !out.has(r.parent) || out.has(r.id)) continue;
        out.add(r.id);
        grew = true;
      }
    }
    return [...out];
  },
};

const ids = (domain: unknown) => filterByDomain(recs, domain, accessor).map((r) => r.id);

describe('Odoo domain parsing', () => {
  it('treats an empty domain as match-all and consecutive leaves as AND', () => {
    expect(ids([])).toEqual([1, 2, 3, 4]);
    expect(ids([['state', '=', 'posted'], ['amount', '>', 20]])).toEqual([3]);
  });

  it('handles | and ! in prefix notation, nested', () => {
    expect(ids(['|', ['state', '=', 'draft'], ['state', '=', 'cancel']])).toEqual([1, 4]);
    expect(ids(['!', ['state', '=', 'posted']])).toEqual([1, 4]);
    expect(ids(['&', '|', ['amount', '<', 15], ['amount', '>', 25], ['state', '!=', 'cancel']])).toEqual([1, 3]);
    expect(ids(['|', '!', ['state', '=', 'posted'], '&', ['amount', '=', 30], ['ref', '=', false]])).toEqual([1, 3, 4]);
  });

  it('supports the constant leaves', () => {
    expect(ids([[1, '=', 1]])).toEqual([1, 2, 3, 4]);
    expect(ids([[0, '=', 1]])).toEqual([]);
  });

  it('rejects malformed domains', () => {
    expect(() => parseDomain(['|', ['a', '=', 1]])).toThrow(DomainError);
    expect(() => parseDomain([['a', 'contains', 1]])).toThrow(/unknown operator/);
    expect(() => parseDomain('state = draft')).toThrow(DomainError);
    expect(() => parseDomain([['', '=', 1]])).toThrow(DomainError);
    expect(() => parseDomain(['&'])).toThrow(DomainError);
  });

  it('compares scalars like SQL (NULL never compares)', () => {
    expect(ids([['amount', '>=', 20]])).toEqual([2, 3]);
    expect(ids([['amount', '<=', 0]])).toEqual([4]);
    expect(ids([['ref', '<', 'Q']])).toEqual([1, 2]);
    expect(ids([['ref', '=', false]])).toEqual([3]);
    expect(ids([['ref', '!=', false]])).toEqual([1, 2, 4]);
    expect(ids([['active', '=', false]])).toEqual([3]);
    expect(ids([['active', '=', true]])).toEqual([1, 2, 4]);
  });

  it('supports in / not in, including False', () => {
    expect(ids([['state', 'in', ['draft', 'cancel']]])).toEqual([1, 4]);
    expect(ids([['state', 'not in', ['draft', 'cancel']]])).toEqual([2, 3]);
    expect(ids([['ref', 'in', [false, 'x']]])).toEqual([3, 4]);
  });

  it('supports like, ilike, =like, =ilike and their negations', () => {
    expect(ids([['name', 'like', 'Patient']])).toEqual([1, 2]);
    expect(ids([['name', 'like', 'patient']])).toEqual([]);
    expect(ids([['name', 'ilike', 'patient']])).toEqual([1, 2]);
    expect(ids([['name', 'not ilike', 'patient']])).toEqual([3, 4]);
    expect(ids([['ref', '=like', 'P-_']])).toEqual([1, 2]);
    expect(ids([['ref', '=ilike', 'p-%']])).toEqual([1, 2]);
    expect(ids([['name', '=like', 'Other%']])).toEqual([3]);
  });

  it('honours backslash escapes in LIKE patterns like PostgreSQL', () => {
    expect(likeToRegExp('a\\_b', false).test('a_b')).toBe(true);
    expect(likeToRegExp('a\\_b', false).test('axb')).toBe(false);
    expect(likeToRegExp('a_b', false).test('axb')).toBe(true);
    expect(ids([['name', 'like', '100\\%']])).toEqual([3]);
    expect(ids([['name', 'like', 'Other\\_']])).toEqual([3]);
    expect(likeToRegExp('(x)[y].*', true).test('(X)[Y].*')).toBe(true);
  });

  it('compares many2one by id, or by display name for strings', () => {
    expect(ids([['partner_id', '=', 7]])).toEqual([1]);
    expect(ids([['partner_id', '=', false]])).toEqual([2, 4]);
    expect(ids([['partner_id', 'ilike', 'labs']])).toEqual([3]);
    expect(ids([['partner_id', '=', 'Acme Clinic']])).toEqual([1]);
    expect(ids([['partner_id', 'in', [7, 8]]])).toEqual([1, 3]);
  });

  it('matches x2many fields when any linked id matches', () => {
    expect(ids([['tag_ids', '=', 2]])).toEqual([1, 3]);
    expect(ids([['tag_ids', 'in', [3, 1]]])).toEqual([1, 4]);
    expect(ids([['tag_ids', '=', false]])).toEqual([2]);
    expect(ids([['tag_ids', 'not in', [2]]])).toEqual([2, 4]);
  });

  it('supports child_of through the accessor', () => {
    expect(ids([['id', 'child_of', [1]]])).toEqual([1, 2, 3]);
    expect(ids([['id', 'child_of', 2]])).toEqual([2, 3]);
  });

  // Property: the evaluator agrees with a direct boolean model of &, |, ! over random trees.
  const leafArb = fc.oneof(
    fc.constantFrom('draft', 'posted', 'cancel').map((s) => ({ domain: [['state', '=', s]] as unknown[], test: (r: Rec) => r.state === s })),
    fc.integer({ min: 0, max: 40 }).map((n) => ({ domain: [['amount', '>', n]] as unknown[], test: (r: Rec) => r.amount > n })),
  );
  type Expr = { domain: unknown[]; test: (r: Rec) => boolean };
  const exprArb: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leafArb,
      fc.tuple(tie('e'), tie('e')).map(([a, b]) => ({ domain: ['&', ...a.domain, ...b.domain], test: (r: Rec) => a.test(r) && b.test(r) })),
      fc.tuple(tie('e'), tie('e')).map(([a, b]) => ({ domain: ['|', ...a.domain, ...b.domain], test: (r: Rec) => a.test(r) || b.test(r) })),
      tie('e').map((a) => ({ domain: ['!', ...a.domain], test: (r: Rec) => !a.test(r) })),
    ),
  })).e;

  it('agrees with a boolean model on random &/|/! trees (and implicit AND of two trees)', () => {
    fc.assert(
      fc.property(exprArb, exprArb, (a, b) => {
        const node = parseDomain([...a.domain, ...b.domain]);
        for (const r of recs) expect(evaluateDomain(node, r, accessor)).toBe(a.test(r) && b.test(r));
      }),
      { numRuns: 300 },
    );
  });
});
