/**
 * A miniature Odoo ORM over the emulator store: field definitions, create/read/write/unlink/search with
 * Odoo's value conventions (many2one read as `[id, display_name]`, x2many commands, `false` for empty),
 * its validation errors, access rights and `call_kw`-style method dispatch.
 */
import { DomainAccessor, DomainError, DomainNode, FieldValue, domainFields, evaluateDomain, parseDomain } from './domain';
import { OdooError, accessError, missingError, typeError, validationError, valueError } from './errors';
import type { Row, Store } from './store';

export type FieldType =
  | 'char' | 'text' | 'html' | 'integer' | 'float' | 'monetary' | 'boolean' | 'date' | 'datetime'
  | 'selection' | 'many2one' | 'one2many' | 'many2many' | 'binary';

export interface FieldDef {
  type: FieldType;
  string?: string;
  relation?: string;
  /** one2many: the many2one field on `relation` pointing back. */
  inverse?: string;
  required?: boolean;
  selection?: readonly string[];
  default?: (env: Env, vals: Record<string, unknown>) => unknown;
  /** Not stored: computed at read/search time; writes are ignored like Odoo ignores non-inverse computes. */
  compute?: (env: Env, row: Row) => unknown;
  /** many2one: delete dependents when the target is deleted. */
  ondelete?: 'cascade' | 'set null';
  /** First/last major version that has this field. */
  since?: number;
  until?: number;
}

export type Access = 'read' | 'write' | 'create' | 'unlink';

export interface MethodDef {
  /** Positional parameter names after `self` (JSON-RPC positional args bind to these in order). */
  params: string[];
  /** How many of `params` are required. */
  required?: number;
  /** Accept any extra keyword argument (`**kwargs`). */
  varKw?: boolean;
  /** `@api.model`: no record ids. */
  model?: boolean;
  access: Access;
  impl: (env: Env, model: ModelDef, ids: number[], args: Record<string, unknown>) => unknown;
}

export interface ModelDef {
  name: string;
  description: string;
  fields: Record<string, FieldDef>;
  recName?: string;
  displayName?: (env: Env, row: Row) => string;
  methods?: Record<string, MethodDef>;
  /** Inherits mail.thread (chatter: message_post). */
  mailThread?: boolean;
  transient?: boolean;
  /** Adjust/validate values before insert (defaults already applied). */
  beforeCreate?: (env: Env, vals: Record<string, unknown>) => void;
  afterCreate?: (env: Env, row: Row, vals: Record<string, unknown>) => void;
  beforeWrite?: (env: Env, rows: Row[], vals: Record<string, unknown>) => void;
  afterWrite?: (env: Env, rows: Row[], vals: Record<string, unknown>) => void;
  beforeUnlink?: (env: Env, rows: Row[]) => void;
  /** Before search_read (res.partner: the synthetic EHR fills patient demographics on lookup, see patients.ts). */
  beforeSearchRead?: (env: Env, domain: unknown, fields: unknown) => void;
}

export interface EmulatorUser {
  uid: number;
  login: string;
  apiKey: string;
  readonly: boolean;
}

export interface EmulatorOptionsForOrm {
  /** Major version (17, 18, 19). */
  major: number;
  /** payment_state of a fully paid invoice: Odoo shows `in_payment` until bank reconciliation. */
  fullyPaidState: 'paid' | 'in_payment';
}

export class Env {
  constructor(
    readonly store: Store,
    readonly registry: Registry,
    readonly user: EmulatorUser,
    readonly context: Record<string, unknown>,
    readonly options: EmulatorOptionsForOrm,
  ) {}

  get uid(): number {
    return this.user.uid;
  }

  get major(): number {
    return this.options.major;
  }

  withContext(extra: Record<string, unknown>): Env {
    return new Env(this.store, this.registry, this.user, { ...this.context, ...extra }, this.options);
  }

  /** Superuser view of the same transaction (Odoo's sudo()). */
  sudo(): Env {
    return new Env(this.store, this.registry, { ...this.user, readonly: false }, this.context, this.options);
  }

  model(name: string): ModelDef {
    const def = this.registry.get(name);
    if (!def) throw new UnknownModelError(name);
    return def;
  }

  today(): string {
    return new Date().toISOString().slice(0, 10);
  }

  now(): string {
    return new Date().toISOString().slice(0, 19).replace('T', ' ');
  }
}

/** Raised for a model that does not exist; each protocol reports it its own way. */
export class UnknownModelError extends Error {
  constructor(readonly model: string) {
    super(`Object ${model} doesn't exist`);
  }
}
/** Raised for a method that does not exist on a model. */
export class UnknownMethodError extends Error {
  constructor(readonly model: string, readonly method: string) {
    super(`The method '${method}' does not exist on the model '${model}'`);
  }
}

export class Registry {
  private readonly models = new Map<string, ModelDef>();

  add(def: ModelDef): void {
    this.models.set(def.name, def);
  }

  get(name: string): ModelDef | undefined {
    return this.models.get(name);
  }

  names(): string[] {
    return [...this.models.keys()].sort();
  }
}

// ---------------------------------------------------------------------------------------------- fields

/** Odoo's automatic ("magic") fields, present on every model. */
const MAGIC_FIELDS: Record<string, FieldDef> = {
  create_date: { type: 'datetime', string: 'Created on' },
  create_uid: { type: 'many2one', relation: 'res.users', string: 'Created by' },
  write_date: { type: 'datetime', string: 'Last Updated on' },
  write_uid: { type: 'many2one', relation: 'res.users', string: 'Last Updated by' },
};

const fieldsCache = new WeakMap<ModelDef, Map<number, Record<string, FieldDef>>>();

/** The model's fields for the emulated version (memoised: called per record during searches). */
export function fieldsOf(env: Env, model: ModelDef): Record<string, FieldDef> {
  let byVersion = fieldsCache.get(model);
  if (!byVersion) fieldsCache.set(model, (byVersion = new Map()));
  let fields = byVersion.get(env.major);
  if (!fields) byVersion.set(env.major, (fields = computeFields(env, model)));
  return fields;
}

function computeFields(env: Env, model: ModelDef): Record<string, FieldDef> {
  const out: Record<string, FieldDef> = {};
  for (const [name, f] of Object.entries(model.fields)) {
    if (f.since !== undefined && env.major < f.since) continue;
    if (f.until !== undefined && env.major > f.until) continue;
    out[name] = f;
  }
  return Object.assign(out, MAGIC_FIELDS);
}

function fieldOrThrow(env: Env, model: ModelDef, name: string): FieldDef {
  const f = fieldsOf(env, model)[name];
  if (!f) throw valueError(`Invalid field '${name}' on model '${model.name}'`);
  return f;
}

export function displayName(env: Env, model: ModelDef, row: Row): string {
  if (model.displayName) return model.displayName(env, row);
  const v = row[model.recName ?? 'name'];
  return typeof v === 'string' && v !== '' ? v : `${model.name},${row.id}`;
}

export function getRow(env: Env, model: string, id: number): Row | undefined {
  return env.store.get(model, id);
}

export function requireRows(env: Env, model: ModelDef, ids: number[]): Row[] {
  const rows: Row[] = [];
  const missing: number[] = [];
  for (const id of ids) {
    const row = typeof id === 'number' ? env.store.get(model.name, id) : undefined;
    if (row) rows.push(row);
    else missing.push(id);
  }
  if (missing.length) {
    throw missingError(
      `Record does not exist or has been deleted.\n(Record: ${model.name}(${missing.join(', ')},), User: ${env.uid})`,
    );
  }
  return rows;
}

function checkAccess(env: Env, model: ModelDef, access: Access): void {
  if (access === 'read' || !env.user.readonly) return;
  const verb = { write: 'modify', create: 'create', unlink: 'delete', read: 'read' }[access];
  throw accessError(
    `You are not allowed to ${verb} '${model.description}' (${model.name}) records.\n\n` +
      'This operation is allowed for the following groups:\n\t- Administration/Settings\n\n' +
      'Contact your administrator to request access if necessary.',
  );
}

/** Raw stored value → the value `read()` returns. */
function readValue(env: Env, model: ModelDef, row: Row, name: string, f: FieldDef): unknown {
  if (name === 'id') return row.id;
  if (name === 'display_name') return displayName(env, model, row);
  const raw = f.compute ? f.compute(env, row) : row[name];
  switch (f.type) {
    case 'many2one': {
      if (typeof raw !== 'number') return false;
      const rel = env.model(f.relation!);
      const target = env.store.get(rel.name, raw);
      return target ? [raw, displayName(env, rel, target)] : false;
    }
    case 'one2many':
      return Array.isArray(raw) ? raw : childIds(env, f, row.id);
    case 'many2many':
      return Array.isArray(raw) ? raw.filter((id) => typeof id === 'number' && env.store.get(f.relation!, id)) : [];
    case 'integer':
      return typeof raw === 'number' ? raw : 0;
    case 'float':
    case 'monetary':
      return typeof raw === 'number' ? raw : 0;
    case 'boolean':
      return Boolean(raw);
    default:
      return raw === undefined || raw === null || raw === '' ? false : raw;
  }
}

function childIds(env: Env, f: FieldDef, parentId: number): number[] {
  return env.store.rowsWhere(f.relation!, f.inverse!, parentId).map((r) => r.id);
}

/** FieldValue for the domain evaluator, following dotted paths through many2one fields. */
function domainValue(env: Env, model: ModelDef, row: Row, path: string): FieldValue {
  const [head, ...rest] = path.split('.');
  if (head === 'id') return { type: 'scalar', value: row.id };
  if (head === 'display_name') return { type: 'scalar', value: displayName(env, model, row) };
  const f = fieldOrThrow(env, model, head);
  if (rest.length) {
    if (f.type !== 'many2one' && f.type !== 'one2many' && f.type !== 'many2many') {
      throw valueError(`Invalid field ${model.name}.${path}: ${head} is not relational`);
    }
    const rel = env.model(f.relation!);
    const ids = f.type === 'many2one' ? (typeof row[head] === 'number' ? [row[head] as number] : []) : (readValue(env, model, row, head, f) as number[]);
    const values = ids
      .map((id) => env.store.get(rel.name, id))
      .filter((r): r is Row => !!r)
      .map((r) => domainValue(env, rel, r, rest.join('.')));
    if (f.type === 'many2one') return values[0] ?? { type: 'scalar', value: false };
    // x2many.path: flatten (any-match semantics handled by the scalar list)
    const flat: number[] = [];
    for (const v of values) {
      if (v.type === 'many2one' && v.id !== false) flat.push(v.id);
      else if (v.type === 'x2many') flat.push(...v.ids);
      else if (v.type === 'scalar') return v; // first match is enough for our models
    }
    return { type: 'x2many', ids: flat };
  }
  const value = readValue(env, model, row, head, f);
  if (f.type === 'many2one') return Array.isArray(value) ? { type: 'many2one', id: value[0] as number, name: value[1] as string } : { type: 'many2one', id: false, name: false };
  if (f.type === 'one2many' || f.type === 'many2many') return { type: 'x2many', ids: value as number[] };
  return { type: 'scalar', value: f.compute ? value : row[head] ?? false };
}

function accessorFor(env: Env, model: ModelDef): DomainAccessor<Row> {
  return {
    get: (row, field) => domainValue(env, model, row, field),
    childOf: (field, ids) => closure(env, model, field, ids, 'down'),
    parentOf: (field, ids) => closure(env, model, field, ids, 'up'),
  };
}

function closure(env: Env, model: ModelDef, field: string, ids: number[], dir: 'down' | 'up'): number[] {
  const f = field === 'id' ? undefined : fieldsOf(env, model)[field.split('.')[0]];
  const relName = f?.relation ?? model.name;
  const rel = env.model(relName);
  if (!fieldsOf(env, rel).parent_id) return ids;
  const seen = new Set(ids);
  const queue = [...ids];
  while (queue.length) {
    const id = queue.shift()!;
    const next = dir === 'down'
      ? env.store.rows(relName).filter((r) => r.parent_id === id).map((r) => r.id)
      : [env.store.get(relName, id)?.parent_id].filter((x): x is number => typeof x === 'number');
    for (const n of next) {
      if (seen.has(n)) continue;
      seen.add(n);
      queue.push(n);
    }
  }
  return [...seen];
}

// ---------------------------------------------------------------------------------------------- search

export interface SearchOptions {
  offset?: unknown;
  limit?: unknown;
  order?: unknown;
}

function parseOrder(env: Env, model: ModelDef, order: unknown): { field: string; desc: boolean }[] {
  if (order === undefined || order === null || order === false || order === '') return [{ field: 'id', desc: false }];
  if (typeof order !== 'string') throw valueError(`Invalid "order" specified (${String(order)})`);
  return order.split(',').map((part) => {
    const m = /^\s*([a-z_][a-z0-9_]*)(?:\s+(asc|desc))?\s*$/i.exec(part);
    if (!m) throw valueError(`Invalid "order" specified (${order}). A valid "order" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)`);
    if (m[1] !== 'id') fieldOrThrow(env, model, m[1]);
    return { field: m[1], desc: (m[2] ?? 'asc').toLowerCase() === 'desc' };
  });
}

function sortKey(env: Env, model: ModelDef, row: Row, field: string): unknown {
  if (field === 'id') return row.id;
  const f = fieldsOf(env, model)[field];
  const v = readValue(env, model, row, field, f);
  if (Array.isArray(v)) return f.type === 'many2one' ? v[1] : v.length;
  return v === false ? null : v;
}

export function search(env: Env, model: ModelDef, domain: unknown, opts: SearchOptions = {}): Row[] {
  let node: DomainNode;
  try {
    node = parseDomain(domain);
  } catch (e) {
    if (e instanceof DomainError) throw valueError(e.message);
    throw e;
  }
  for (const field of domainFields(node)) {
    const head = field.split('.')[0];
    if (head !== 'id' && head !== 'display_name' && !fieldsOf(env, model)[head]) {
      throw valueError(`Invalid field ${model.name}.${field} in leaf ('${field}', ...)`);
    }
  }
  const hasActive = !!fieldsOf(env, model).active;
  const activeTest = hasActive && env.context.active_test !== false && !domainFields(node).includes('active');
  const accessor = accessorFor(env, model);
  let rows = env.store.rows(model.name).filter((r) => (!activeTest || r.active !== false) && evaluateDomain(node, r, accessor));
  const order = parseOrder(env, model, opts.order);
  rows = rows.sort((a, b) => {
    for (const { field, desc } of order) {
      const ka = sortKey(env, model, a, field);
      const kb = sortKey(env, model, b, field);
      if (ka === kb) continue;
      if (ka === null || ka === undefined) return desc ? -1 : 1;
      if (kb === null || kb === undefined) return desc ? 1 : -1;
      const c = ka < kb ? -1 : 1;
      return desc ? -c : c;
    }
    return a.id - b.id;
  });
  const offset = toInt(opts.offset, 'offset') ?? 0;
  const limit = toInt(opts.limit, 'limit');
  return rows.slice(offset, limit === undefined ? undefined : offset + limit);
}

function toInt(v: unknown, what: string): number | undefined {
  if (v === undefined || v === null || v === false) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw valueError(`Invalid ${what}: ${String(v)}`);
  return v;
}

// ---------------------------------------------------------------------------------------------- read

export function read(env: Env, model: ModelDef, ids: number[], fields?: unknown): Record<string, unknown>[] {
  const rows = requireRows(env, model, ids);
  const names = fieldNames(env, model, fields);
  return rows.map((row) => readRow(env, model, row, names));
}

function fieldNames(env: Env, model: ModelDef, fields: unknown): string[] {
  if (fields === undefined || fields === null || fields === false || (Array.isArray(fields) && fields.length === 0)) {
    return ['display_name', ...Object.keys(fieldsOf(env, model))];
  }
  if (!Array.isArray(fields) || fields.some((f) => typeof f !== 'string')) throw valueError('fields must be a list of field names');
  for (const f of fields as string[]) if (f !== 'id' && f !== 'display_name') fieldOrThrow(env, model, f);
  return fields as string[];
}

export function readRow(env: Env, model: ModelDef, row: Row, names: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { id: row.id };
  const defs = fieldsOf(env, model);
  for (const name of names) {
    if (name === 'id') continue;
    out[name] = readValue(env, model, row, name, defs[name] ?? { type: 'char' });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- create/write

type X2ManyOps = { field: string; def: FieldDef; commands: unknown };

/** Convert API values to stored values, collecting x2many commands for after the row exists. */
function convertValues(env: Env, model: ModelDef, vals: Record<string, unknown>, forCreate: boolean): { stored: Record<string, unknown>; x2many: X2ManyOps[] } {
  if (!vals || typeof vals !== 'object' || Array.isArray(vals)) throw valueError(`Invalid values for ${model.name}: expected a dict`);
  const defs = fieldsOf(env, model);
  const stored: Record<string, unknown> = {};
  const x2many: X2ManyOps[] = [];
  for (const [name, value] of Object.entries(vals)) {
    if (name === 'id') continue;
    const f = defs[name];
    if (!f) throw valueError(`Invalid field '${name}' on model '${model.name}'`);
    if (f.compute || name in MAGIC_FIELDS) continue; // computed/automatic fields: Odoo ignores the value
    switch (f.type) {
      case 'many2one': {
        if (value === false || value === null) {
          stored[name] = false;
          break;
        }
        const id = Array.isArray(value) ? value[0] : value;
        if (typeof id !== 'number' || !Number.isInteger(id)) throw valueError(`Wrong value for ${model.name}.${name}: ${JSON.stringify(value)}`);
        if (!env.store.get(f.relation!, id)) {
          // PostgreSQL foreign key violation, which Odoo turns into a ValidationError.
          throw validationError(
            `The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\n` +
              `Model: ${model.description} (${model.name})\nConstraint: ${model.name.replace(/\./g, '_')}_${name}_fkey` +
              `\n\nRecord ${f.relation}(${id},) does not exist.`,
          );
        }
        stored[name] = id;
        break;
      }
      case 'one2many':
      case 'many2many':
        x2many.push({ field: name, def: f, commands: value });
        break;
      case 'selection':
        if (value !== false && value !== null && !f.selection!.includes(String(value))) {
          throw valueError(`Wrong value for ${model.name}.${name}: ${JSON.stringify(value)}`);
        }
        stored[name] = value === null ? false : value;
        break;
      case 'integer':
        if (value !== false && value !== null && (typeof value !== 'number' || !Number.isInteger(value))) throw valueError(`Wrong value for ${model.name}.${name}: ${JSON.stringify(value)}`);
        stored[name] = value === false || value === null ? 0 : value;
        break;
      case 'float':
      case 'monetary':
        if (value !== false && value !== null && (typeof value !== 'number' || !Number.isFinite(value))) throw valueError(`Wrong value for ${model.name}.${name}: ${JSON.stringify(value)}`);
        stored[name] = value === false || value === null ? 0 : value;
        break;
      case 'boolean':
        stored[name] = Boolean(value);
        break;
      case 'date':
        if (value !== false && value !== null && (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))) {
          throw valueError(`time data ${JSON.stringify(value)} does not match format '%Y-%m-%d'`);
        }
        stored[name] = value ?? false;
        break;
      case 'datetime':
        if (value !== false && value !== null && (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/.test(value))) {
          throw valueError(`time data ${JSON.stringify(value)} does not match format '%Y-%m-%d %H:%M:%S'`);
        }
        stored[name] = value ?? false;
        break;
      default:
        if (value !== false && value !== null && typeof value !== 'string') throw valueError(`Wrong value for ${model.name}.${name}: ${JSON.stringify(value)}`);
        stored[name] = value ?? false;
    }
  }
  if (forCreate) {
    for (const [name, f] of Object.entries(defs)) {
      if (!(name in vals) && f.default && !f.compute) {
        const d = f.default(env, vals);
        if (f.type === 'one2many' || f.type === 'many2many') x2many.push({ field: name, def: f, commands: d });
        else stored[name] = d;
      }
    }
  }
  return { stored, x2many };
}

function checkRequired(env: Env, model: ModelDef, row: Record<string, unknown>): void {
  for (const [name, f] of Object.entries(fieldsOf(env, model))) {
    if (!f.required || f.compute || f.type === 'one2many' || f.type === 'many2many') continue;
    const v = row[name];
    if (v === undefined || v === null || v === false || v === '') {
      throw validationError(
        `The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\n` +
          `Model: ${model.description} (${model.name})\nField: ${f.string ?? name} (${name})`,
      );
    }
  }
}

function applyX2Many(env: Env, model: ModelDef, id: number, ops: X2ManyOps[]): void {
  for (const { field, def, commands } of ops) {
    if (commands === false || commands === null || commands === undefined) continue;
    if (!Array.isArray(commands)) throw valueError(`Wrong value for ${model.name}.${field}: expected a list of commands`);
    const rel = env.model(def.relation!);
    let current: number[] = def.type === 'many2many' ? [...((env.store.get(model.name, id)?.[field] as number[] | undefined) ?? [])] : [];
    for (const cmd of commands) {
      if (typeof cmd === 'number') {
        // Odoo accepts a plain list of ids for many2many (equivalent to SET).
        current = current.includes(cmd) ? current : [...current, cmd];
        continue;
      }
      if (!Array.isArray(cmd) || typeof cmd[0] !== 'number') throw valueError(`Invalid x2many command ${JSON.stringify(cmd)} on ${model.name}.${field}`);
      const [code, ref, vals] = cmd as [number, unknown, unknown];
      switch (code) {
        case 0: {
          const childVals = { ...(vals as Record<string, unknown>) };
          if (def.type === 'one2many') childVals[def.inverse!] = id;
          const [childId] = createRecords(env, rel, [childVals]);
          if (def.type === 'many2many') current.push(childId);
          break;
        }
        case 1:
          writeRecords(env, rel, [ref as number], vals as Record<string, unknown>);
          break;
        case 2:
          unlinkRecords(env, rel, [ref as number]);
          current = current.filter((x) => x !== ref);
          break;
        case 3:
          if (def.type === 'one2many') writeRecords(env, rel, [ref as number], { [def.inverse!]: false });
          current = current.filter((x) => x !== ref);
          break;
        case 4:
          requireRows(env, rel, [ref as number]);
          if (def.type === 'one2many') writeRecords(env, rel, [ref as number], { [def.inverse!]: id });
          else if (!current.includes(ref as number)) current.push(ref as number);
          break;
        case 5:
          if (def.type === 'one2many') {
            for (const child of childIds(env, def, id)) writeRecords(env, rel, [child], { [def.inverse!]: false });
          }
          current = [];
          break;
        case 6: {
          const ids = (vals as number[]) ?? [];
          requireRows(env, rel, ids);
          current = [...ids];
          break;
        }
        default:
          throw valueError(`Invalid x2many command ${JSON.stringify(cmd)} on ${model.name}.${field}`);
      }
    }
    if (def.type === 'many2many') env.store.update(model.name, id, { [field]: current });
  }
}

export function createRecords(env: Env, model: ModelDef, valsList: Record<string, unknown>[]): number[] {
  const ids: number[] = [];
  for (const vals of valsList) {
    const { stored, x2many } = convertValues(env, model, vals, true);
    model.beforeCreate?.(env, stored);
    checkRequired(env, model, stored);
    const id = env.store.insert(model.name, { ...stored, create_uid: env.uid, create_date: env.now() });
    applyX2Many(env, model, id, x2many);
    model.afterCreate?.(env, env.store.get(model.name, id)!, vals);
    ids.push(id);
  }
  return ids;
}

export function writeRecords(env: Env, model: ModelDef, ids: number[], vals: Record<string, unknown>): true {
  const rows = requireRows(env, model, ids);
  const { stored, x2many } = convertValues(env, model, vals, false);
  model.beforeWrite?.(env, rows, vals);
  for (const row of rows) {
    env.store.update(model.name, row.id, { ...stored, write_uid: env.uid, write_date: env.now() });
    checkRequired(env, model, env.store.get(model.name, row.id)!);
    applyX2Many(env, model, row.id, x2many);
  }
  model.afterWrite?.(env, rows, vals);
  return true;
}

export function unlinkRecords(env: Env, model: ModelDef, ids: number[]): true {
  const rows = requireRows(env, model, ids);
  model.beforeUnlink?.(env, rows);
  for (const row of rows) env.store.remove(model.name, row.id);
  // ondelete=cascade dependents
  for (const other of env.registry.names()) {
    const def = env.registry.get(other)!;
    for (const [fname, f] of Object.entries(def.fields)) {
      if (f.type !== 'many2one' || f.relation !== model.name) continue;
      for (const dep of env.store.rows(other)) {
        if (!ids.includes(dep[fname] as number)) continue;
        if (f.ondelete === 'cascade') env.store.remove(other, dep.id);
        else env.store.update(other, dep.id, { [fname]: false });
      }
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------- call_kw

const asIds = (v: unknown): number[] => {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isInteger(x))) return v as number[];
  throw valueError(`Invalid record ids: ${JSON.stringify(v)?.slice(0, 80)}`);
};

const GENERIC: Record<string, MethodDef> = {
  search: {
    params: ['domain', 'offset', 'limit', 'order'],
    required: 1,
    model: true,
    access: 'read',
    impl: (env, model, _ids, a) => search(env, model, a.domain, a).map((r) => r.id),
  },
  search_read: {
    params: ['domain', 'fields', 'offset', 'limit', 'order'],
    model: true,
    access: 'read',
    impl: (env, model, _ids, a) => {
      const names = fieldNames(env, model, a.fields);
      model.beforeSearchRead?.(env, a.domain, a.fields);
      return search(env, model, a.domain ?? [], a).map((r) => readRow(env, model, r, names));
    },
  },
  search_count: {
    params: ['domain', 'limit'],
    required: 1,
    model: true,
    access: 'read',
    impl: (env, model, _ids, a) => search(env, model, a.domain, { limit: a.limit }).length,
  },
  read: {
    params: ['fields', 'load'],
    access: 'read',
    impl: (env, model, ids, a) => read(env, model, ids, a.fields),
  },
  name_search: {
    params: ['name', 'domain', 'operator', 'limit'],
    model: true,
    access: 'read',
    impl: (env, model, _ids, a) => {
      const name = typeof a.name === 'string' ? a.name : '';
      const domain = Array.isArray(a.domain) ? a.domain : Array.isArray(a.args) ? a.args : [];
      const operator = typeof a.operator === 'string' ? a.operator : 'ilike';
      const recName = model.recName ?? 'name';
      const full = name ? ['&', [recName, operator, name], ...(domain.length ? domain : [[1, '=', 1]])] : domain;
      const limit = typeof a.limit === 'number' ? a.limit : 100;
      return search(env, model, full, { limit }).map((r) => [r.id, displayName(env, model, r)]);
    },
  },
  fields_get: {
    params: ['allfields', 'attributes'],
    model: true,
    access: 'read',
    impl: (env, model, _ids, a) => {
      const wanted = Array.isArray(a.allfields) && a.allfields.length ? new Set(a.allfields as string[]) : null;
      const out: Record<string, unknown> = {};
      for (const [name, f] of Object.entries(fieldsOf(env, model))) {
        if (wanted && !wanted.has(name)) continue;
        out[name] = {
          type: f.type,
          string: f.string ?? name,
          required: !!f.required,
          readonly: !!f.compute,
          ...(f.relation ? { relation: f.relation } : {}),
          ...(f.selection ? { selection: f.selection.map((s) => [s, s]) } : {}),
        };
      }
      return out;
    },
  },
  create: {
    params: ['vals_list'],
    required: 1,
    model: true,
    access: 'create',
    impl: (env, model, _ids, a) => {
      const single = !Array.isArray(a.vals_list);
      const list = (single ? [a.vals_list] : a.vals_list) as Record<string, unknown>[];
      const ids = createRecords(env, model, list);
      return single ? ids[0] : ids;
    },
  },
  write: {
    params: ['vals'],
    required: 1,
    access: 'write',
    impl: (env, model, ids, a) => writeRecords(env, model, ids, a.vals as Record<string, unknown>),
  },
  unlink: {
    params: [],
    access: 'unlink',
    impl: (env, model, ids) => unlinkRecords(env, model, ids),
  },
};

export function findMethod(env: Env, model: ModelDef, method: string): MethodDef | undefined {
  return model.methods?.[method] ?? GENERIC[method] ?? (model.mailThread ? env.registry.get('mail.thread')?.methods?.[method] : undefined);
}

/**
 * Odoo's call_kw: resolve the method, bind arguments like Python would, check access, run it.
 * `ids` is null for `@api.model` calls; for JSON-RPC the caller passes positional args with ids first.
 */
export function callKw(env: Env, modelName: string, method: string, positional: unknown[], kwargs: Record<string, unknown>, ids?: unknown): unknown {
  const model = env.model(modelName);
  if (method.startsWith('_')) throw accessError(`Private methods (such as ${modelName}.${method}) cannot be called remotely.`);
  const def = findMethod(env, model, method);
  if (!def) throw new UnknownMethodError(modelName, method);
  let args = [...positional];
  let recordIds: number[] = [];
  if (!def.model) {
    if (ids !== undefined && ids !== null) recordIds = asIds(ids);
    else if (args.length) recordIds = asIds(args.shift());
    else throw typeError(`${method}() missing 1 required positional argument: 'self'`);
  }
  const bound: Record<string, unknown> = {};
  if (args.length > def.params.length && !def.varKw) {
    throw typeError(`${method}() takes ${def.params.length + 1} positional arguments but ${args.length + 1} were given`);
  }
  def.params.forEach((p, i) => {
    if (i < args.length) bound[p] = args[i];
  });
  args = [];
  for (const [k, v] of Object.entries(kwargs)) {
    if (k === 'context') continue;
    if (!def.params.includes(k) && !def.varKw && !(method === 'name_search' && k === 'args')) {
      throw typeError(`${method}() got an unexpected keyword argument '${k}'`);
    }
    if (k in bound) throw typeError(`${method}() got multiple values for argument '${k}'`);
    bound[k] = v;
  }
  const missing = def.params.slice(0, def.required ?? 0).filter((p) => !(p in bound));
  if (missing.length) {
    throw typeError(`${method}() missing ${missing.length} required positional argument${missing.length > 1 ? 's' : ''}: ${missing.map((m) => `'${m}'`).join(' and ')}`);
  }
  checkAccess(env, model, def.access);
  return def.impl(env, model, recordIds, bound);
}

export { OdooError };
