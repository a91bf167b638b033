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

  constructor(private readonly persistFile?: string) {}

  /** Load the persisted file if there is one; returns whether it was loaded. */
  load(): boolean {
    if (!this.persistFile || !existsSync(this.persistFile)) return false;
    const parsed = JSON.parse(readFileSync(this.persistFile, 'utf8')) as StoreData;
    if (!parsed || typeof parsed !== 'object' || !parsed.tables || !parsed.nextId) throw new Error(`not an emulator store: ${this.persistFile}`);
    this.data = { nextId: parsed.nextId, tables: parsed.tables, counters: parsed.counters ?? {} };
    return true;
  }

  clear(): void {
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

  private log(fn: () => void): void {
    this.dirty = true;
    this.undo?.push(fn);
  }

  insert(model: string, values: Record<string, unknown>): number {
    const id = (this.data.nextId[model] ?? 1);
    this.data.nextId[model] = id + 1;
    const row: Row = { ...values, id };
    this.table(model)[id] = row;
    this.log(() => {
      delete this.table(model)[id];
    });
    return id;
  }

  /** Insert with a fixed id (seed data). */
  insertWithId(model: string, id: number, values: Record<string, unknown>): void {
    this.table(model)[id] = { ...values, id };
    this.data.nextId[model] = Math.max(this.data.nextId[model] ?? 1, id + 1);
    this.dirty = true;
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
    this.log(() => {
      Object.assign(row, before);
      for (const key of absent) delete row[key];
    });
  }

  remove(model: string, id: number): void {
    const row = this.table(model)[id];
    if (!row) return;
    delete this.table(model)[id];
    this.log(() => {
      this.table(model)[id] = row;
    });
  }

  get(model: string, id: number): Row | undefined {
    return this.data.tables[model]?.[id];
  }

  /** Rows of a model in id order (live objects: mutate only through update()). */
  rows(model: string): Row[] {
    return Object.values(this.data.tables[model] ?? {}).sort((a, b) => a.id - b.id);
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
    this.log(() => {
      if (previous === undefined) delete this.data.counters[name];
      else this.data.counters[name] = previous;
    });
    return value;
  }
}
