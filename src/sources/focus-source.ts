import { stat } from 'node:fs/promises';
import type { DailyCost, SourceWarning } from '../core/cost-data.js';
import type { Money } from '../core/money.js';
import { ByteCache } from './byte-cache.js';
import type { CostDataset, CostQuery, CostSource, ProgressListener } from './cost-source.js';
import { CsvRecordScanner, decodeField, NEED_MORE, recordedFields } from './csv-scanner.js';
import { DailyAggregator } from './daily-aggregator.js';
import { AmountParts, parseAmountBytes, parseAmountFast } from './exact-amount.js';
import {
  type FocusColumns,
  type FocusCostMetric,
  isAwsProvider,
  resolveFocusColumns,
} from './focus-columns.js';
import { type ByteInput, listFocusFiles, openByteInput } from './focus-input.js';
import { type ResourceCollectionOptions, ResourceCollector, resourceColumns } from './focus-resources.js';
import { pocFromTags, tagKeyVariants } from './focus-tags.js';
import { daysFromIso, INVALID_DAY, isoFromDays, parseUtcDay } from './focus-timestamp.js';

export type { FocusCostMetric } from './focus-columns.js';
export { FocusFormatError } from './focus-columns.js';
export type { ResourceCollectionOptions } from './focus-resources.js';

/**
 * The offline cost source: reads a FOCUS 1.0–1.2 billing export (AWS Data Exports, CSV or CSV.gz, a
 * file or a folder) and aggregates its rows to daily costs per (day, PoC, service, account).
 *
 * The export can be gigabytes, so it is streamed through a byte-level scanner in large chunks and
 * aggregated as it goes; memory depends on the number of distinct output rows, not on file size.
 */

export interface FocusSourceOptions {
  /** A CSV / CSV.gz file, or a folder searched recursively for them. */
  path: string;
  /** Which cost to sum: BilledCost for the unblended metrics (default), EffectiveCost for amortized. */
  costMetric?: FocusCostMetric;
  /** Currency to assume when the export has no BillingCurrency. */
  currency?: string;
  /** Also collect per-resource charges into `dataset.resources` (for offline idle detection). */
  resources?: ResourceCollectionOptions;
}

export interface FocusReadOptions {
  costMetric?: FocusCostMetric;
  currency?: string;
  onProgress?: ProgressListener;
  /** Bytes per read (tests use tiny chunks to hit every chunk boundary). */
  chunkSize?: number;
  /** A record longer than this is treated as broken (an unterminated quote) rather than buffered. */
  maxRecordBytes?: number;
  /** Also collect per-resource charges into `dataset.resources`; off by default (it costs time). */
  resources?: ResourceCollectionOptions;
}

/** Individual `malformed-row` warnings per file; the rest are only counted in `malformed-rows`. */
export const MAX_ROW_WARNINGS_PER_FILE = 20;

const DEFAULT_CHUNK = 8 << 20;
const DEFAULT_MAX_RECORD = 1 << 20;
const MAX_HEADER_FIELDS = 2048;
const PROGRESS_INTERVAL_MS = 100;

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Tags-cache values besides PoC ids. */
const NO_POC = -1;
const BAD_TAGS = -2;

/** Cache settings for columns with a handful of values, mostly the same row after row. */
const SMALL_REPEATING = { maxEntries: 1024, repeats: true };

/** Fixed slot numbers of the scanned columns. */
const SLOT_DATE = 0;
const SLOT_COST = 1;
const SLOT_SERVICE = 2;
const SLOT_ACCOUNT = 3;
const SLOT_TAGS = 4;
const SLOT_CURRENCY = 5;
const SLOT_PROVIDER = 6;
// The per-resource collector reads slots from RESOURCE_SLOT_BASE (7) on, when it runs.

export class FocusCostSource implements CostSource {
  readonly kind = 'focus';
  readonly description: string;

  constructor(private readonly options: FocusSourceOptions) {
    this.description = `FOCUS export ${options.path}`;
  }

  load(query: CostQuery, onProgress?: ProgressListener): Promise<CostDataset> {
    const { path, costMetric, currency, resources } = this.options;
    return readFocusExport(path, query, { costMetric, currency, onProgress, resources });
  }
}

/** Reads a FOCUS export (file or folder) into daily costs for [query.start, query.end). */
export async function readFocusExport(
  path: string,
  query: CostQuery,
  options: FocusReadOptions = {},
): Promise<CostDataset> {
  const files = await listFocusFiles(path);
  if (files.length === 0) throw new Error(`${path}: no FOCUS CSV files (*.csv, *.csv.gz) found`);
  const state = new FocusAccumulator(query, options);
  const progress = new ProgressReporter(options.onProgress);
  await progress.start(files);
  for (const file of files) await scanFocusFile(file, state, options, progress);
  progress.finish();
  return state.finish();
}

/** Rows, caches and findings shared by every file of one load. */
class FocusAccumulator {
  readonly aggregator = new DailyAggregator();
  readonly parts = new AmountParts();
  readonly warnings: SourceWarning[] = [];
  readonly startDay: number;
  readonly endDay: number;
  readonly costMetric: FocusCostMetric;
  firstDay = Number.POSITIVE_INFINITY;
  lastDay = Number.NEGATIVE_INFINITY;
  otherProviderRows = 0;
  readonly otherProviders = new Set<string>();
  /** Rows per currency id (index into currencyNames). */
  readonly currencyRows: number[] = [];
  /** Per-resource charges, only when asked for. */
  readonly collector: ResourceCollector | undefined;

  private readonly pocNames: string[] = [];
  private readonly pocIds = new Map<string, number>();
  private readonly serviceNames: string[] = [];
  private readonly serviceIds = new Map<string, number>();
  private readonly accountNames: string[] = [];
  private readonly accountIds = new Map<string, number>();
  private readonly currencyNames: string[] = [];
  private readonly currencyIds = new Map<string, number>();
  private readonly tagKeys: [string, string];

  readonly serviceCache = new ByteCache((buf, start, end) => {
    const name = nullable(decodeField(buf, start, end)).trim();
    return intern(name === '' ? 'Unknown' : name, this.serviceNames, this.serviceIds);
  });
  readonly accountCache = new ByteCache((buf, start, end) =>
    intern(nullable(decodeField(buf, start, end)).trim(), this.accountNames, this.accountIds),
  );
  readonly tagsCache = new ByteCache((buf, start, end) => {
    try {
      const poc = pocFromTags(decodeField(buf, start, end), this.tagKeys);
      return poc === null ? NO_POC : intern(poc, this.pocNames, this.pocIds);
    } catch {
      return BAD_TAGS;
    }
  });
  /** 1 for AWS (or unstated), 0 for another provider. */
  readonly providerCache = new ByteCache((buf, start, end) => {
    const name = nullable(decodeField(buf, start, end));
    if (isAwsProvider(name)) return 1;
    if (this.otherProviders.size < 10) this.otherProviders.add(name.trim());
    return 0;
  }, SMALL_REPEATING);
  /** Currency id, or -1 when the row does not say. */
  readonly currencyCache = new ByteCache((buf, start, end) => {
    const code = nullable(decodeField(buf, start, end))
      .trim()
      .toUpperCase();
    return code === '' ? -1 : intern(code, this.currencyNames, this.currencyIds);
  }, SMALL_REPEATING);

  constructor(
    query: CostQuery,
    private readonly options: FocusReadOptions,
  ) {
    this.startDay = daysFromIso(query.start);
    this.endDay = daysFromIso(query.end);
    if (this.startDay === INVALID_DAY || this.endDay === INVALID_DAY) {
      throw new RangeError(`invalid query window ${query.start} .. ${query.end}`);
    }
    this.costMetric = options.costMetric ?? 'UnblendedCost';
    this.tagKeys = tagKeyVariants(query.tagKey);
    this.collector = options.resources ? new ResourceCollector(options.resources) : undefined;
  }

  finish(): CostDataset {
    const rows = this.rows();
    const dataset: CostDataset = { rows, warnings: this.warnings, apiCalls: {} };
    // The currency of most rows; the others are named in the warning.
    const byRows = this.currencyNames
      .map((name, id) => ({ name, rows: this.currencyRows[id] ?? 0 }))
      .filter((entry) => entry.rows > 0)
      .sort((a, b) => b.rows - a.rows || (a.name < b.name ? -1 : 1));
    const seen = byRows.map((entry) => entry.name);
    const currency = seen[0] ?? this.options.currency;
    if (currency !== undefined) dataset.currency = currency;
    if (seen.length > 1) {
      this.warnings.push({
        code: 'mixed-currency',
        message: `the export mixes billing currencies (${byRows.map((e) => `${e.name}: ${rowCount(e.rows)}`).join(', ')}); amounts were summed as if all were ${currency}`,
      });
    } else if (
      seen.length === 1 &&
      this.options.currency &&
      this.options.currency.toUpperCase() !== currency
    ) {
      this.warnings.push({
        code: 'mixed-currency',
        message: `the export is billed in ${currency}, not the configured ${this.options.currency}`,
      });
    }
    if (this.otherProviderRows > 0) {
      const names = [...this.otherProviders].filter((name) => name !== '').join(', ');
      this.warnings.push({
        code: 'other-provider',
        message: `skipped ${rowCount(this.otherProviderRows)} from providers other than AWS${names ? ` (${names})` : ''}`,
      });
    }
    if (this.firstDay <= this.lastDay) {
      dataset.coverage = { first: isoFromDays(this.firstDay), last: isoFromDays(this.lastDay) };
    }
    if (this.collector) {
      dataset.resources = this.collector.finish({
        poc: (id) => this.pocNames[id] ?? null,
        service: (id) => this.serviceNames[id] ?? 'Unknown',
        account: (id) => this.accountNames[id] ?? '',
      });
      if (!this.collector.sawResourceColumn) {
        this.warnings.push({
          code: 'no-resource-column',
          message:
            'the export has no ResourceId column, so no per-resource charges (export it with resource ids)',
        });
      }
    }
    return dataset;
  }

  /**
   * Output rows sorted by date, PoC (untagged first), service, account. Sorting group indexes on
   * integer ranks is much faster than comparing strings across hundreds of thousands of rows.
   */
  private rows(): DailyCost[] {
    const aggregator = this.aggregator;
    const pocRank = ranks(this.pocNames);
    const serviceRank = ranks(this.serviceNames);
    const accountRank = ranks(this.accountNames);
    const order = new Int32Array(aggregator.size);
    for (let g = 0; g < order.length; g++) order[g] = g;
    order.sort(
      (a, b) =>
        aggregator.day(a) - aggregator.day(b) ||
        rankOf(pocRank, aggregator.poc(a)) - rankOf(pocRank, aggregator.poc(b)) ||
        (serviceRank[aggregator.service(a)] as number) - (serviceRank[aggregator.service(b)] as number) ||
        (accountRank[aggregator.account(a)] as number) - (accountRank[aggregator.account(b)] as number),
    );
    const rows: DailyCost[] = new Array(order.length);
    let lastDay = Number.NaN;
    let date = '';
    for (let i = 0; i < order.length; i++) {
      const g = order[i] as number;
      const day = aggregator.day(g);
      if (day !== lastDay) {
        lastDay = day;
        date = isoFromDays(day);
      }
      const poc = aggregator.poc(g);
      rows[i] = {
        date,
        poc: poc === NO_POC ? null : (this.pocNames[poc] as string),
        service: this.serviceNames[aggregator.service(g)] as string,
        account: this.accountNames[aggregator.account(g)] as string,
        cost: aggregator.total(g),
        estimated: false,
      };
    }
    return rows;
  }
}

/** rank[id] = position of names[id] in sorted order. */
function ranks(names: readonly string[]): Int32Array {
  const ids = names
    .map((_, id) => id)
    .sort((a, b) => {
      const x = names[a] as string;
      const y = names[b] as string;
      return x < y ? -1 : x > y ? 1 : 0;
    });
  const rank = new Int32Array(names.length);
  ids.forEach((id, position) => {
    rank[id] = position;
  });
  return rank;
}

/** Untagged (NO_POC) sorts first. */
function rankOf(rank: Int32Array, poc: number): number {
  return poc === NO_POC ? -1 : (rank[poc] as number);
}

function intern(value: string, names: string[], ids: Map<string, number>): number {
  let id = ids.get(value);
  if (id === undefined) {
    id = names.length;
    names.push(value);
    ids.set(value, id);
  }
  return id;
}

/** "1 row", "1,234 rows". */
function rowCount(count: number, noun = 'row'): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

/** FOCUS exports write `NULL` for an empty value. */
function nullable(text: string): string {
  return text === 'NULL' ? '' : text;
}

/** Throttled byte progress over all files (compressed bytes for gzip, so the total is known). */
class ProgressReporter {
  private total = 0;
  private doneBefore = 0;
  private lastAt = 0;

  constructor(private readonly listener: ProgressListener | undefined) {}

  async start(files: readonly string[]): Promise<void> {
    if (!this.listener) return;
    for (const file of files) this.total += (await stat(file)).size;
    this.emit(0);
  }

  /** Called after each chunk; emits at most every PROGRESS_INTERVAL_MS. */
  update(input: ByteInput): void {
    if (!this.listener) return;
    const now = performance.now();
    if (now - this.lastAt < PROGRESS_INTERVAL_MS) return;
    this.emit(this.doneBefore + input.consumed);
  }

  fileDone(input: ByteInput): void {
    this.doneBefore += input.size;
  }

  finish(): void {
    if (this.listener) this.listener({ stage: 'read', done: this.total, total: this.total, unit: 'bytes' });
  }

  private emit(done: number): void {
    this.lastAt = performance.now();
    this.listener?.({ stage: 'read', done: Math.min(done, this.total), total: this.total, unit: 'bytes' });
  }
}

/** Per-file scan: the buffer, the line count and the malformed-row bookkeeping. */
class FocusFileScan {
  private malformed = 0;
  private line = 1;
  /** After a broken record, bytes are dropped up to the next line end. */
  private skipping = false;
  private columns: FocusColumns | undefined;
  /** This file's rows feed the per-resource collector. */
  private collecting = false;
  private scanner: CsvRecordScanner = new CsvRecordScanner(
    Array.from({ length: MAX_HEADER_FIELDS }, (_, i) => i),
  );

  constructor(
    private readonly file: string,
    private readonly state: FocusAccumulator,
  ) {}

  async run(input: ByteInput, options: FocusReadOptions, progress: ProgressReporter): Promise<void> {
    const chunk = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK);
    const maxRecord = Math.max(64, options.maxRecordBytes ?? DEFAULT_MAX_RECORD);
    // Two buffers with `maxRecord` bytes of room before the data: while one is parsed, the next chunk
    // is read into the other, and the unfinished last record is copied into the room in front of it.
    const buffers = [Buffer.allocUnsafe(maxRecord + chunk), Buffer.allocUnsafe(maxRecord + chunk)];
    let current = 0;
    let pending = input.read(buffers[0] as Buffer, maxRecord, chunk);
    let previous: Buffer | undefined;
    let tailStart = 0;
    let tailEnd = 0;
    for (;;) {
      const read = await pending;
      const eof = read === 0;
      const buf = buffers[current] as Buffer;
      const tail = tailEnd - tailStart;
      let pos = maxRecord - tail;
      if (previous && tail > 0) previous.copy(buf, pos, tailStart, tailEnd);
      const filled = maxRecord + read;
      current ^= 1;
      if (!eof) pending = input.read(buffers[current] as Buffer, maxRecord, chunk);
      progress.update(input);
      for (;;) {
        pos = this.scan(buf, pos, filled, eof);
        if (eof || this.skipping || filled - pos < maxRecord) break;
        if (!this.columns)
          throw new Error(`${this.file}: no header line within ${maxRecord} bytes: not a CSV file?`);
        this.reportMalformed(`no line end within ${maxRecord} bytes (unterminated quoted field?)`);
        this.skipping = true;
      }
      if (eof) break;
      previous = buf;
      tailStart = pos;
      tailEnd = filled;
    }
    if (!this.columns) {
      this.state.warnings.push({
        code: 'empty-file',
        message: 'the file has no header line',
        where: this.file,
      });
      return;
    }
    if (this.malformed > 0) {
      this.state.warnings.push({
        code: 'malformed-rows',
        message: `${rowCount(this.malformed, 'malformed row')} skipped`,
        where: this.file,
        partial: true,
      });
    }
  }

  /** Handles the complete records in buf[pos, filled); returns where the unfinished one starts. */
  private scan(buf: Buffer, pos: number, filled: number, eof: boolean): number {
    while (pos < filled) {
      if (this.skipping) {
        // After a broken record, resume at the next physical line.
        const lf = buf.subarray(0, filled).indexOf(LF, pos);
        if (lf < 0) return filled;
        pos = lf + 1;
        this.line++;
        this.skipping = false;
        continue;
      }
      const next = this.scanner.scanRecord(buf, pos, filled, eof);
      if (next === NEED_MORE) return pos;
      if (this.scanner.unterminated) {
        this.reportMalformed('unterminated quoted field');
        this.skipping = true;
        continue;
      }
      const newlines = this.scanner.newlines;
      if (this.columns) this.row(buf, pos, next);
      else this.header(buf, pos, next);
      this.line += newlines;
      pos = next;
    }
    return pos;
  }

  /** Parses the header (blank lines before it are skipped). */
  private header(buf: Buffer, pos: number, next: number): void {
    const fields = recordedFields(this.scanner, buf);
    if (next - pos <= 2 && fields.length === 1 && fields[0] === '') return;
    const columns = resolveFocusColumns(this.file, fields, this.state.costMetric);
    this.columns = columns;
    this.collecting = this.state.collector?.beginFile(columns) ?? false;
    this.scanner = new CsvRecordScanner([
      columns.chargePeriodStart,
      columns.cost,
      columns.serviceName,
      columns.subAccountId,
      columns.tags,
      columns.billingCurrency,
      columns.provider,
      ...(this.collecting ? resourceColumns(columns) : []),
    ]);
  }

  private row(buf: Buffer, pos: number, next: number): void {
    const scanner = this.scanner;
    const columns = this.columns as FocusColumns;
    const state = this.state;
    if (scanner.fieldCount !== columns.count) {
      // A blank line is not a row.
      if (scanner.fieldCount === 1 && (buf[pos] === LF || buf[pos] === CR || pos === next)) return;
      this.reportMalformed(`expected ${columns.count} fields, found ${scanner.fieldCount}`);
      return;
    }
    if (scanner.strayAfterQuote) {
      this.reportMalformed('unexpected character after a closing quote');
      return;
    }
    const starts = scanner.starts;
    const ends = scanner.ends;
    if (columns.provider >= 0) {
      if (
        state.providerCache.get(buf, starts[SLOT_PROVIDER] as number, ends[SLOT_PROVIDER] as number) === 0
      ) {
        state.otherProviderRows++;
        return;
      }
    }
    let start = starts[SLOT_DATE] as number;
    let end = ends[SLOT_DATE] as number;
    if (buf[start] === QUOTE && end - start >= 2) {
      start++;
      end--;
    }
    const day = parseUtcDay(buf, start, end);
    if (day === INVALID_DAY) {
      this.reportMalformed(`ChargePeriodStart: not a timestamp: ${quoteValue(buf, start, end)}`);
      return;
    }
    let currency = -1;
    if (columns.billingCurrency >= 0) {
      currency = state.currencyCache.get(buf, starts[SLOT_CURRENCY] as number, ends[SLOT_CURRENCY] as number);
    }
    // Rows outside the window still count for coverage; their other fields are not even parsed.
    if (day < state.startDay || day >= state.endDay) {
      this.seen(day, currency);
      return;
    }

    start = starts[SLOT_COST] as number;
    end = ends[SLOT_COST] as number;
    if (buf[start] === QUOTE && end - start >= 2) {
      start++;
      end--;
    }
    const parts = state.parts;
    let fast = true;
    let exact: Money = 0n;
    if (end === start || isNull(buf, start, end)) {
      parts.whole = 0;
      parts.high = 0;
      parts.low = 0;
    } else if (!parseAmountFast(buf, start, end, parts)) {
      fast = false;
      try {
        exact = parseAmountBytes(buf, start, end);
      } catch {
        this.reportMalformed(`${columns.costName}: not a decimal amount: ${quoteValue(buf, start, end)}`);
        return;
      }
    }

    const poc = state.tagsCache.get(buf, starts[SLOT_TAGS] as number, ends[SLOT_TAGS] as number);
    if (poc === BAD_TAGS) {
      const tags = decodeField(buf, starts[SLOT_TAGS] as number, ends[SLOT_TAGS] as number);
      this.reportMalformed(`Tags: not a JSON object: ${quoteText(tags)}`);
      return;
    }
    const service = state.serviceCache.get(buf, starts[SLOT_SERVICE] as number, ends[SLOT_SERVICE] as number);
    const account = state.accountCache.get(buf, starts[SLOT_ACCOUNT] as number, ends[SLOT_ACCOUNT] as number);
    this.seen(day, currency);
    const group = state.aggregator.group(day, poc, service, account);
    if (fast) state.aggregator.addParts(group, parts);
    else state.aggregator.addMoney(group, exact);
    if (this.collecting) {
      state.collector?.add(buf, starts, ends, SLOT_TAGS, day, poc, service, account, fast, parts, exact);
    }
  }

  private seen(day: number, currency: number): void {
    const state = this.state;
    if (day < state.firstDay) state.firstDay = day;
    if (day > state.lastDay) state.lastDay = day;
    if (currency >= 0) state.currencyRows[currency] = (state.currencyRows[currency] ?? 0) + 1;
  }

  private reportMalformed(message: string): void {
    this.malformed++;
    if (this.malformed <= MAX_ROW_WARNINGS_PER_FILE) {
      this.state.warnings.push({
        code: 'malformed-row',
        message,
        where: `${this.file}:${this.line}`,
        partial: true,
      });
    }
  }
}

function isNull(buf: Uint8Array, start: number, end: number): boolean {
  return (
    end - start === 4 &&
    buf[start] === 0x4e &&
    buf[start + 1] === 0x55 &&
    buf[start + 2] === 0x4c &&
    buf[start + 3] === 0x4c
  );
}

const textDecoder = new TextDecoder('utf-8');

function quoteValue(buf: Uint8Array, start: number, end: number): string {
  return quoteText(textDecoder.decode(buf.subarray(start, Math.min(end, start + 200))));
}

/** A value for a message: JSON-quoted, cut to 60 characters. */
function quoteText(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/** Scans one FOCUS CSV file into the shared accumulator; throws FocusFormatError for a bad header. */
async function scanFocusFile(
  file: string,
  state: FocusAccumulator,
  options: FocusReadOptions,
  progress: ProgressReporter,
): Promise<void> {
  const input = await openByteInput(file);
  try {
    await new FocusFileScan(file, state).run(input, options, progress);
  } finally {
    progress.fileDone(input);
    await input.close();
  }
}
