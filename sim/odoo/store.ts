import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/** A stored row. Hidden bookkeeping columns start with `_` and are never exposed over the API. */
export type Row = { id: number } & Record<string, unknown>;

export interface StoreData {
  nextId: Record<string, number>;
  tables: Record<string, Record<string, Row>>;
  /** Named sequences (invoice numbers per journal/year…). */
  counters: Record<string, number>;
}

/**
 * In-memory tables with a per-request transaction: every mutation logs its undo, so a request that fails
 * half-way leaves no trace (like Odoo's rollback). Id sequences, like PostgreSQL's, are not rolled back.
 */
export class Store {
  private data: StoreData = { nextId: {}, tables: {}, counters: {} };
  private undo: (() => void)[] | null = null;
  private dirty = false;
  /** Bumped on every mutation of a model; invalidates that model's field indexes. */
  private versions: Record<string, number> = {};
  private indexes = new Map<string, { version: number; map: Map<unknown, Row[]> }>();

  constructor(private readonly persistFile?: string) {}

  /** Load the persisted file if there is one; returns whether it was loaded. */
  load(): boolean {
    if (!this.persistFile || !existsSync(this.persistFile)) return false;
    const parsed = JSON.parse(readFileSync(this.persistFile, 'utf8')) as StoreData;
    if (!parsed || typeof parsed !== 'object' || !parsed.tables || !parsed.nextId) throw new Error(`not an emulator store: ${this.persistFile}`);
    this.data = { nextId: parsed.nextId, tables: parsed.tables, counters: parsed.counters ?? {} };
    for (const model of Object.keys(this.data.tables)) this.touch(model);
    return true;
  }

  clear(): void {
    for (const model of Object.keys(this.data.tables)) this.touch(model);
    this.data = { nextId: {}, tables: {}, counters: {} };
    this.dirty = true;
  }

  begin(): void {
    this.undo = [];
  }

  commit(): void {
    this.undo = null;
    this.flush();
  }

  rollback(): void {
    const log = this.undo ?? [];
    this.undo = null;
    for (let i = log.length - 1; i >= 0; i--) log[i]();
  }

  /** Write the store to its file (atomically) if something changed since the last flush. */
  flush(): void {
    if (!this.persistFile || !this.dirty) return;
    const tmp = `${this.persistFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data));
    renameSync(tmp, this.persistFile);
    this.dirty = false;
  }

  private table(model: string): Record<string, Row> {
    return (this.data.tables[model] ??= {});
  }

  private touch(model: string): void {
    this.versions[model] = (this.versions[model] ?? 0) + 1;
  }

  private log(model: string, fn: () => void): void {
    this.dirty = true;
    this.touch(model);
    this.undo?.push(() => {
      this.touch(model);
      fn();
    });
  }

  insert(model: string, values: Record<string, unknown>): number {
    const id = (this.data.nextId[model] ?? 1);
    this.data.nextId[model] = id + 1;
    const row: Row = { ...values, id };
    this.table(model)[id] = row;
    this.log(model, () => {
      delete this.table(model)[id];
    });
    return id;
  }

  /** Insert with a fixed id (seed data). */
  insertWithId(model: string, id: number, values: Record<string, unknown>): void {
    this.table(model)[id] = { ...values, id };
    this.data.nextId[model] = Math.max(this.data.nextId[model] ?? 1, id + 1);
    this.dirty = true;
    this.touch(model);
  }

  update(model: string, id: number, patch: Record<string, unknown>): void {
    const row = this.table(model)[id];
    if (!row) throw new Error(`no ${model} row ${id}`);
    const before: Record<string, unknown> = {};
    const absent: string[] = [];
    for (const key of Object.keys(patch)) {
      if (key in row) before[key] = row[key];
      else absent.push(key);
    }
    Object.assign(row, patch);
    this.log(model, () => {
      Object.assign(row, before);
      for (const key of absent) delete row[key];
    });
  }

  remove(model: string, id: number): void {
    const row = this.table(model)[id];
    if (!row) return;
    delete this.table(model)[id];
    this.log(model, () => {
      this.table(model)[id] = row;
    });
  }

  get(model: string, id: number): Row | undefined {
    return this.data.tables[model]?.[id];
  }

  /** Rows of a model in id order (integer keys enumerate in ascending order; live objects: mutate only through update()). */
  rows(model: string): Row[] {
    return Object.values(this.data.tables[model] ?? {});
  }

  /** Rows whose `field` equals `value`, through an index rebuilt lazily after the model changes. */
  rowsWhere(model: string, field: string, value: unknown): Row[] {
    const key = `${model}\u0000${field}`;
    const version = this.versions[model] ?? 0;
    let index = this.indexes.get(key);
    if (!index || index.version !== version) {
      const map = new Map<unknown, Row[]>();
      for (const row of this.rows(model)) {
        const v = row[field];
        const list = map.get(v);
        if (list) list.push(row);
        else map.set(v, [row]);
      }
      index = { version, map };
      this.indexes.set(key, index);
    }
    return index.map.get(value) ?? [];
  }

  count(model: string): number {
    return Object.keys(this.data.tables[model] ?? {}).length;
  }

  models(): string[] {
    return Object.keys(this.data.tables).sort();
  }

  nextCounter(name: string): number {
    const value = (this.data.counters[name] ?? 0) + 1;
    const previous = this.data.counters[name];
    this.data.counters[name] = value;
    this.log('__counters__', () => {
      if (previous === undefined) delete this.data.counters[name];
      else this.data.counters[name] = previous;
    });
    return value;
  }
}
