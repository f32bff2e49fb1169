import type { ResourceUsage, ResourceUsageDay } from '../core/cost-data.js';
import { type UsageKind, usageKind } from '../core/idle/usage-kind.js';
import { type Money, ZERO } from '../core/money.js';
import { ByteCache } from './byte-cache.js';
import { decodeField } from './csv-scanner.js';
import { DailyAggregator } from './daily-aggregator.js';
import type { AmountParts } from './exact-amount.js';
import type { FocusColumns } from './focus-columns.js';
import { tagKeyVariants } from './focus-tags.js';
import { isoFromDays } from './focus-timestamp.js';

/**
 * The FOCUS reader's optional per-resource collector: cost per (ResourceId, day), split into time,
 * usage and idle-time charges (core/idle/usage-kind.ts), plus what identifies the resource. It only
 * runs when asked, so the plain cost scan keeps its speed; when it runs, a row with a ResourceId
 * costs a few cache probes and one more exact addition.
 */

export interface ResourceCollectionOptions {
  /** Tag keys besides the PoC tag to copy onto each resource (e.g. the protection tag). */
  tagKeys?: readonly string[];
}

/** Slots after the reader's own seven, in this order (see resourceColumns). */
export const RESOURCE_SLOT_BASE = 7;
const ID = RESOURCE_SLOT_BASE;
const TYPE = RESOURCE_SLOT_BASE + 1;
const REGION = RESOURCE_SLOT_BASE + 2;
const USAGE_TYPE = RESOURCE_SLOT_BASE + 3;
const UNIT = RESOURCE_SLOT_BASE + 4;
const CATEGORY = RESOURCE_SLOT_BASE + 5;

/** The column indexes the collector reads, in slot order (-1 for a column the file lacks). */
export function resourceColumns(columns: FocusColumns): number[] {
  return [
    columns.resourceId,
    columns.resourceType,
    columns.regionId,
    columns.usageType,
    columns.consumedUnit,
    columns.chargeCategory,
  ];
}

const KINDS: readonly UsageKind[] = ['time', 'usage', 'idle-time'];
const NO_POC = -1;
const NO_TAGS = -1;
const SMALL_REPEATING = { maxEntries: 1024, repeats: true };

interface ResourceMeta {
  type: number;
  region: number;
  service: number;
  account: number;
  poc: number;
  tags: number;
  /** Day (days since the epoch) of the charges poc and tags were taken from. */
  tagDay: number;
  usageTypes: Set<number>;
}

/** Ids of the reader's interned names, resolved when the collection is finished. */
export interface NameLookup {
  poc(id: number): string | null;
  service(id: number): string;
  account(id: number): string;
}

export class ResourceCollector {
  /** True once a file had a ResourceId column: without one there is nothing to collect. */
  sawResourceColumn = false;

  private readonly sums = new DailyAggregator();
  private readonly resourceIds: string[] = [];
  private readonly resourceIndex = new Map<string, number>();
  private readonly meta: ResourceMeta[] = [];
  private readonly texts: string[] = [];
  private readonly textIds = new Map<string, number>();
  /** Kind index (into KINDS) per interned usage type text. */
  private readonly kindOf = new Map<number, number>();
  private readonly tagRecords: Record<string, string>[] = [];
  private readonly tagKeys: [string, string][];
  private has = { type: false, region: false, usageType: false, unit: false, category: false };
  /** The row being added, for the caches' resolve callbacks. */
  private buf: Uint8Array = new Uint8Array(0);
  private starts: Int32Array = new Int32Array(0);
  private ends: Int32Array = new Int32Array(0);

  private readonly idCache = new ByteCache((buf, start, end) => {
    const id = nullable(decodeField(buf, start, end)).trim();
    return id === '' ? -1 : this.internResource(id);
  });
  private readonly typeCache = new ByteCache((buf, start, end) => this.text(buf, start, end));
  private readonly regionCache = new ByteCache(
    (buf, start, end) => this.text(buf, start, end),
    SMALL_REPEATING,
  );
  private readonly usageTypeCache = new ByteCache((buf, start, end) => this.usageType(buf, start, end));
  /** 1 for Usage charges (or an export that does not say), 0 for credits, tax, purchases ... */
  private readonly categoryCache = new ByteCache((buf, start, end) => {
    const category = nullable(decodeField(buf, start, end))
      .trim()
      .toLowerCase();
    return category === '' || category === 'usage' ? 1 : 0;
  }, SMALL_REPEATING);
  private readonly tagCache = new ByteCache((buf, start, end) =>
    this.tagRecord(decodeField(buf, start, end)),
  );

  constructor(options: ResourceCollectionOptions = {}) {
    this.tagKeys = (options.tagKeys ?? []).map((key) => tagKeyVariants(key));
  }

  /** Notes which optional columns this file has; false when it has no ResourceId (nothing to collect). */
  beginFile(columns: FocusColumns): boolean {
    this.has = {
      type: columns.resourceType >= 0,
      region: columns.regionId >= 0,
      usageType: columns.usageType >= 0,
      unit: columns.consumedUnit >= 0,
      category: columns.chargeCategory >= 0,
    };
    if (columns.resourceId < 0) return false;
    this.sawResourceColumn = true;
    return true;
  }

  /**
   * Adds one row's cost: the fast-path `parts`, or `exact` when `fast` is false. Plain arguments, no
   * objects, since this runs once per row.
   */
  add(
    buf: Uint8Array,
    starts: Int32Array,
    ends: Int32Array,
    tagsSlot: number,
    day: number,
    poc: number,
    service: number,
    account: number,
    fast: boolean,
    parts: AmountParts,
    exact: Money,
  ): void {
    this.buf = buf;
    this.starts = starts;
    this.ends = ends;
    if (this.has.category && this.categoryCache.get(buf, at(starts, CATEGORY), at(ends, CATEGORY)) === 0)
      return;
    const resource = this.idCache.get(buf, at(starts, ID), at(ends, ID));
    if (resource < 0) return;
    const usageType = this.has.usageType
      ? this.usageTypeCache.get(buf, at(starts, USAGE_TYPE), at(ends, USAGE_TYPE))
      : this.unitOnlyUsageType();
    const meta = this.meta[resource] as ResourceMeta;
    if (meta.type < 0) {
      meta.type = this.has.type ? this.typeCache.get(buf, at(starts, TYPE), at(ends, TYPE)) : this.intern('');
      meta.region = this.has.region
        ? this.regionCache.get(buf, at(starts, REGION), at(ends, REGION))
        : this.intern('');
      meta.service = service;
      meta.account = account;
    }
    // Tags can change over a resource's life; the latest charges say what it carries now.
    if (day > meta.tagDay || (day === meta.tagDay && meta.poc === NO_POC && poc !== NO_POC)) {
      meta.tagDay = day;
      meta.poc = poc;
      meta.tags =
        this.tagKeys.length === 0
          ? NO_TAGS
          : this.tagCache.get(buf, at(starts, tagsSlot), at(ends, tagsSlot));
    }
    meta.usageTypes.add(usageType);
    const group = this.sums.group(day, resource, this.kindOf.get(usageType) ?? 1, 0);
    if (fast) this.sums.addParts(group, parts);
    else this.sums.addMoney(group, exact);
  }

  /** Every resource with its days, sorted by ResourceId; untagged resources included (poc null). */
  finish(names: NameLookup): ResourceUsage[] {
    const days = new Map<number, Map<number, ResourceUsageDay>>();
    const dates = new Map<number, string>();
    for (let g = 0; g < this.sums.size; g++) {
      // Groups are keyed (day, resource, kind, 0) in the aggregator's (day, poc, service, account) slots.
      const resource = this.sums.poc(g);
      let byDay = days.get(resource);
      if (!byDay) {
        byDay = new Map();
        days.set(resource, byDay);
      }
      const day = this.sums.day(g);
      let entry = byDay.get(day);
      if (!entry) {
        let date = dates.get(day);
        if (date === undefined) {
          date = isoFromDays(day);
          dates.set(day, date);
        }
        entry = { date, time: ZERO, usage: ZERO, idleTime: ZERO };
        byDay.set(day, entry);
      }
      const kind = KINDS[this.sums.service(g)] ?? 'usage';
      const cost = this.sums.total(g);
      if (kind === 'time') entry.time += cost;
      else if (kind === 'idle-time') entry.idleTime += cost;
      else entry.usage += cost;
    }
    const usages: ResourceUsage[] = [];
    for (const [resource, byDay] of days) {
      const meta = this.meta[resource] as ResourceMeta;
      usages.push({
        resourceId: this.resourceIds[resource] as string,
        resourceType: this.texts[meta.type] ?? '',
        service: names.service(meta.service),
        region: this.texts[meta.region] ?? '',
        account: names.account(meta.account),
        poc: meta.poc === NO_POC ? null : names.poc(meta.poc),
        tags: meta.tags === NO_TAGS ? {} : { ...this.tagRecords[meta.tags] },
        usageTypes: [...meta.usageTypes]
          .map((id) => this.texts[id] as string)
          .filter((text) => text !== '')
          .sort(),
        days: [...byDay.values()].sort((a, b) => (a.date < b.date ? -1 : 1)),
      });
    }
    return usages.sort((a, b) => (a.resourceId < b.resourceId ? -1 : a.resourceId > b.resourceId ? 1 : 0));
  }

  private internResource(id: string): number {
    let index = this.resourceIndex.get(id);
    if (index === undefined) {
      index = this.resourceIds.length;
      this.resourceIds.push(id);
      this.resourceIndex.set(id, index);
      this.meta.push({
        type: -1,
        region: -1,
        service: -1,
        account: -1,
        poc: NO_POC,
        tags: NO_TAGS,
        tagDay: Number.NEGATIVE_INFINITY,
        usageTypes: new Set(),
      });
    }
    return index;
  }

  private text(buf: Uint8Array, start: number, end: number): number {
    return this.intern(nullable(decodeField(buf, start, end)).trim());
  }

  private intern(text: string): number {
    let id = this.textIds.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.texts.push(text);
      this.textIds.set(text, id);
    }
    return id;
  }

  /** A usage type's id; its kind is settled on first sight, with the unit of that row. */
  private usageType(buf: Uint8Array, start: number, end: number): number {
    const id = this.text(buf, start, end);
    if (!this.kindOf.has(id))
      this.kindOf.set(id, KINDS.indexOf(usageKind(this.texts[id] as string, this.unit())));
    return id;
  }

  /** Exports without x_UsageType: the unit alone decides (keyed "unit:Hrs" so kinds never mix). */
  private unitOnlyUsageType(): number {
    const unit = this.unit();
    const id = this.intern(unit === '' ? '' : `unit:${unit}`);
    if (!this.kindOf.has(id)) this.kindOf.set(id, KINDS.indexOf(usageKind('', unit)));
    return id;
  }

  private unit(): string {
    if (!this.has.unit) return '';
    return nullable(decodeField(this.buf, at(this.starts, UNIT), at(this.ends, UNIT))).trim();
  }

  /** The wanted tags of a Tags text (either key spelling), or NO_TAGS when it has none or is not JSON. */
  private tagRecord(text: string): number {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return NO_TAGS;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return NO_TAGS;
    const tags = parsed as Record<string, unknown>;
    const record: Record<string, string> = {};
    for (const [bare, prefixed] of this.tagKeys) {
      const key = Object.hasOwn(tags, bare) ? bare : prefixed;
      const value = Object.hasOwn(tags, key) ? tags[key] : undefined;
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        record[bare] = String(value);
      }
    }
    if (Object.keys(record).length === 0) return NO_TAGS;
    this.tagRecords.push(record);
    return this.tagRecords.length - 1;
  }
}

function at(positions: Int32Array, slot: number): number {
  return positions[slot] as number;
}

/** FOCUS exports write `NULL` for an empty value. */
function nullable(text: string): string {
  return text === 'NULL' ? '' : text;
}
