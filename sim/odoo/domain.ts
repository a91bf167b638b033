/**
 * Odoo search domains: Polish-notation lists of leaves `[field, operator, value]` combined with the
 * prefix operators `'&'` (binary, implicit between consecutive terms), `'|'` (binary) and `'!'` (unary).
 *
 * This module is pure: it parses a domain into a tree and evaluates the tree against records through a
 * small accessor interface, so the emulator (and unit tests) can use it without any store.
 */

export type DomainTerm = '&' | '|' | '!' | readonly [string, string, unknown] | readonly unknown[];
export type Domain = readonly DomainTerm[];

export const OPERATORS = [
  '=', '!=', '<>', '<', '>', '<=', '>=',
  'in', 'not in',
  'like', 'not like', 'ilike', 'not ilike', '=like', '=ilike',
  'child_of', 'parent_of',
] as const;
export type Operator = (typeof OPERATORS)[number];
const OPERATOR_SET: ReadonlySet<string> = new Set(OPERATORS);

export type DomainNode =
  | { kind: 'true' }
  | { kind: 'false' }
  | { kind: 'and' | 'or'; left: DomainNode; right: DomainNode }
  | { kind: 'not'; child: DomainNode }
  | { kind: 'leaf'; field: string; operator: Operator; value: unknown };

/** Raised for malformed domains; the emulator reports it like Odoo does (a ValueError). */
export class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DomainError';
  }
}

function isLeaf(term: unknown): term is readonly [unknown, unknown, unknown] {
  return Array.isArray(term) && term.length === 3;
}

/** Parse a domain (list or JSON-decoded tuple list) into a tree. An empty domain matches everything. */
export function parseDomain(domain: unknown): DomainNode {
  if (domain === undefined || domain === null || domain === false) return { kind: 'true' };
  if (!Array.isArray(domain)) throw new DomainError(`Invalid domain: ${describe(domain)} is not a list`);
  let i = 0;
  const parseOne = (): DomainNode => {
    if (i >= domain.length) throw new DomainError('Invalid domain: an operator is missing an operand');
    const term = domain[i++];
    if (term === '&' || term === '|') {
      const left = parseOne();
      const right = parseOne();
      return { kind: term === '&' ? 'and' : 'or', left, right };
    }
    if (term === '!') return { kind: 'not', child: parseOne() };
    if (isLeaf(term)) {
      const [field, op, value] = term;
      // Odoo's constant leaves TRUE_LEAF (1, '=', 1) and FALSE_LEAF (0, '=', 1).
      if (field === 1 && op === '=' && value === 1) return { kind: 'true' };
      if (field === 0 && op === '=' && value === 1) return { kind: 'false' };
      if (typeof field !== 'string' || field === '') throw new DomainError(`Invalid leaf ${describe(term)}: field must be a name`);
      if (typeof op !== 'string') throw new DomainError(`Invalid leaf ${describe(term)}: operator must be a string`);
      const operator = op.toLowerCase();
      if (!OPERATOR_SET.has(operator)) throw new DomainError(`Invalid leaf ${describe(term)}: unknown operator '${op}'`);
      if ((operator === 'in' || operator === 'not in') && !Array.isArray(value) && typeof value !== 'number' && typeof value !== 'string' && value !== false) {
        throw new DomainError(`Invalid leaf ${describe(term)}: '${operator}' needs a list`);
      }
      return { kind: 'leaf', field, operator: (operator === '<>' ? '!=' : operator) as Operator, value };
    }
    throw new DomainError(`Invalid domain term ${describe(term)}`);
  };
  const nodes: DomainNode[] = [];
  while (i < domain.length) nodes.push(parseOne());
  if (nodes.length === 0) return { kind: 'true' };
  return nodes.reduceRight((acc, node) => ({ kind: 'and', left: node, right: acc }));
}

/** Field names referenced by a domain (for "Invalid field" checks before evaluating). */
export function domainFields(node: DomainNode): string[] {
  switch (node.kind) {
    case 'leaf':
      return [node.field];
    case 'and':
    case 'or':
      return [...domainFields(node.left), ...domainFields(node.right)];
    case 'not':
      return domainFields(node.child);
    default:
      return [];
  }
}

/** What a record holds for one field, as seen by the evaluator. */
export type FieldValue =
  | { type: 'scalar'; value: unknown }
  | { type: 'many2one'; id: number | false; name: string | false }
  | { type: 'x2many'; ids: number[] };

export interface DomainAccessor<R> {
  /** Value of `field` on `record`; dotted paths (`partner_id.name`) are the accessor's business. */
  get(record: R, field: string): FieldValue;
  /** Ids of the records below `ids` (themselves included) for `child_of` on `field`'s model. */
  childOf?(field: string, ids: number[]): number[];
  /** Ids of the records above `ids` (themselves included) for `parent_of`. */
  parentOf?(field: string, ids: number[]): number[];
}

export function evaluateDomain<R>(node: DomainNode, record: R, accessor: DomainAccessor<R>): boolean {
  switch (node.kind) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'and':
      return evaluateDomain(node.left, record, accessor) && evaluateDomain(node.right, record, accessor);
    case 'or':
      return evaluateDomain(node.left, record, accessor) || evaluateDomain(node.right, record, accessor);
    case 'not':
      return !evaluateDomain(node.child, record, accessor);
    case 'leaf':
      return evaluateLeaf(node, accessor.get(record, node.field), accessor);
  }
}

/** Convenience: parse once, filter many. */
export function filterByDomain<R>(records: readonly R[], domain: unknown, accessor: DomainAccessor<R>): R[] {
  const node = parseDomain(domain);
  return records.filter((r) => evaluateDomain(node, r, accessor));
}

function isUnset(v: unknown): boolean {
  return v === null || v === undefined || v === false;
}

function asList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return [value];
}

/**
 * SQL LIKE pattern (`%` any run, `_` one char, backslash escapes) as an anchored regular expression.
 * Odoo does not escape `%`/`_` inside the value of `like`/`ilike`; neither do we (callers escape).
 */
export function likeToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let src = '';
  const quote = (ch: string) => ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    // PostgreSQL's default LIKE escape character is the backslash: `\%`, `\_`, `\\` are literals.
    if (ch === '\\' && i + 1 < pattern.length) src += quote(pattern[++i]);
    else if (ch === '%') src += '[\\s\\S]*';
    else if (ch === '_') src += '[\\s\\S]';
    else src += quote(ch);
  }
  return new RegExp(`^${src}$`, caseInsensitive ? 'i' : '');
}

function compare(a: unknown, b: unknown): number | undefined {
  if (isUnset(a) || isUnset(b)) return undefined; // SQL: comparisons with NULL are unknown
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function scalarEquals(a: unknown, b: unknown): boolean {
  if (isUnset(b)) return isUnset(a);
  if (isUnset(a)) return false;
  if (typeof a === 'boolean' || typeof b === 'boolean') return Boolean(a) === Boolean(b);
  if (typeof a === 'number' && typeof b === 'string' && b.trim() !== '' && !Number.isNaN(Number(b))) return a === Number(b);
  return a === b;
}

function likeMatch(text: unknown, operator: Operator, value: unknown): boolean {
  if (isUnset(text)) return false;
  const pattern = String(value ?? '');
  switch (operator) {
    case 'like':
      return likeToRegExp(`%${pattern}%`, false).test(String(text));
    case 'ilike':
      return likeToRegExp(`%${pattern}%`, true).test(String(text));
    case '=like':
      return likeToRegExp(pattern, false).test(String(text));
    case '=ilike':
      return likeToRegExp(pattern, true).test(String(text));
    default:
      return false;
  }
}

function evaluateLeaf<R>(leaf: Extract<DomainNode, { kind: 'leaf' }>, fv: FieldValue, accessor: DomainAccessor<R>): boolean {
  const { operator, value } = leaf;
  if (operator === 'child_of' || operator === 'parent_of') {
    const ids = asList(value).filter((x): x is number => typeof x === 'number');
    const fn = operator === 'child_of' ? accessor.childOf : accessor.parentOf;
    const closure = new Set(fn ? fn(leaf.field, ids) : ids);
    if (fv.type === 'many2one') return fv.id !== false && closure.has(fv.id);
    if (fv.type === 'x2many') return fv.ids.some((id) => closure.has(id));
    return typeof fv.value === 'number' && closure.has(fv.value);
  }
  if (operator === 'not like' || operator === 'not ilike') {
    const positive = operator === 'not like' ? 'like' : 'ilike';
    return !evaluateLeaf({ ...leaf, operator: positive }, fv, accessor);
  }
  if (fv.type === 'many2one') {
    const stringOp = operator === 'like' || operator === 'ilike' || operator === '=like' || operator === '=ilike';
    if (stringOp) return likeMatch(fv.name, operator, value);
    // Comparing a many2one to a string compares its display name (Odoo's name_search semantics).
    if (typeof value === 'string' && (operator === '=' || operator === '!=')) {
      const eq = fv.name !== false && fv.name === value;
      return operator === '=' ? eq : !eq;
    }
    return evaluateLeaf(leaf, { type: 'scalar', value: fv.id }, accessor);
  }
  if (fv.type === 'x2many') {
    const ids = fv.ids;
    switch (operator) {
      case '=':
        return isUnset(value) ? ids.length === 0 : ids.some((id) => scalarEquals(id, value));
      case '!=':
        return isUnset(value) ? ids.length > 0 : !ids.some((id) => scalarEquals(id, value));
      case 'in': {
        const list = asList(value);
        return ids.some((id) => list.some((v) => scalarEquals(id, v))) || (list.some(isUnset) && ids.length === 0);
      }
      case 'not in': {
        const list = asList(value);
        return !ids.some((id) => list.some((v) => scalarEquals(id, v))) && !(list.some(isUnset) && ids.length === 0);
      }
      default:
        return ids.some((id) => evaluateLeaf(leaf, { type: 'scalar', value: id }, accessor));
    }
  }
  const v = fv.value;
  switch (operator) {
    case '=':
      return scalarEquals(v, value);
    case '!=':
      return !scalarEquals(v, value);
    case '<': {
      const c = compare(v, value);
      return c !== undefined && c < 0;
    }
    case '>': {
      const c = compare(v, value);
      return c !== undefined && c > 0;
    }
    case '<=': {
      const c = compare(v, value);
      return c !== undefined && c <= 0;
    }
    case '>=': {
      const c = compare(v, value);
      return c !== undefined && c >= 0;
    }
    case 'in':
      return asList(value).some((x) => scalarEquals(v, x));
    case 'not in':
      return !asList(value).some((x) => scalarEquals(v, x));
    case 'like':
    case 'ilike':
    case '=like':
    case '=ilike':
      return likeMatch(v, operator, value);
    default:
      return false;
  }
}

function describe(x: unknown): string {
  try {
    return JSON.stringify(x)?.slice(0, 120) ?? String(x);
  } catch {
    return String(x);
  }
}
