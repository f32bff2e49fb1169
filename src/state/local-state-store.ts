import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { proposedRecord, type RecommendationRecord } from '../approval/lifecycle.js';
import {
  decodeRecommendationRecord,
  encodeRecommendationRecord,
  type RecommendationStore,
  type StoredRecommendationRecord,
} from '../approval/recommendation-store.js';
import type { UsedTokenStore } from '../approval/used-tokens.js';
import type { IsoDate } from '../core/calendar.js';
import type { DailyCost } from '../core/cost-data.js';
import type { Recommendation } from '../core/report.js';
import {
  type CachedCosts,
  type CachedRow,
  type CostCache,
  decodeCachedRows,
  type EstimatedFreshness,
  encodeCachedRow,
} from '../sources/cost-cache.js';
import type { ActiveMark, ActivityCache } from './activity-cache.js';
import {
  type CompletedDelivery,
  type Delivery,
  type DeliveryClaim,
  type DeliveryStateStore,
  StateStoreError,
} from './state-store.js';

/** Closed days of one cost cache key: rows per day (an empty list is a day without cost). */
interface CostCacheEntry {
  currency?: string;
  days: Record<IsoDate, CachedRow[]>;
  /** Days cached while still estimated, with the day they were fetched. */
  estimated?: Record<IsoDate, IsoDate>;
}

/** A delivery under way: who claimed it and until when the claim holds. */
interface ClaimEntry {
  owner: string;
  claimedAt: string;
  expiresAt: string;
}

/**
 * The state file. Version 1 had deliveries only; version 2 adds the cost cache. Version 1 files load
 * as version 2 with an empty cache and are written back as version 2. The optional `claims` section
 * (deliveries under way) and the optional `messageId`/`run` of a delivery are additions within
 * version 2: files without them load as before, and the section is written only while a claim is
 * outstanding. The optional `recommendations` section (the recommendation lifecycle, Money as exact
 * decimal strings) is an addition within version 2 too, written only once it has entries. So is the
 * optional `usedTokens` section (spent approval-link nonces → the token's expiry, epoch seconds),
 * whose expired entries are dropped whenever the file is written.
 */
interface StateFile {
  version: typeof STATE_VERSION;
  deliveries: Record<string, { channel: string; deliveredAt: string; messageId?: string; run?: string }>;
  costCache: Record<string, CostCacheEntry>;
  /** Last day each resource was proven busy (the idle scan's activity cache). */
  activity: Record<string, ActiveMark>;
  /** Deliveries claimed by a run and not yet completed or released. */
  claims: Record<string, ClaimEntry>;
  /** Recommendations proposed by runs, with their lifecycle state and audit trail, by id. */
  recommendations: Record<string, StoredRecommendationRecord>;
  /** Spent approval-link nonces, each with its token's expiry (epoch seconds). */
  usedTokens: Record<string, number>;
}

const STATE_VERSION = 2;
const EMPTY: StateFile = {
  version: STATE_VERSION,
  deliveries: {},
  costCache: {},
  activity: {},
  claims: {},
  recommendations: {},
  usedTokens: {},
};
const LOCK_STALE_MS = 30_000;
const LOCK_WAIT_MS = 10_000;

/** `--state`, else POCKETWATCH_STATE, else the XDG state directory. */
export function defaultStatePath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.POCKETWATCH_STATE) return env.POCKETWATCH_STATE;
  const base = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'pocketwatch', 'state.json');
}

/**
 * The embedded state store: one JSON file, no server. Writes go to a temporary file that is flushed
 * and renamed over the old one, so a crash mid-write leaves either the old or the new state, never a
 * torn file. A lock file serialises concurrent runs on one machine. A file that cannot be read is an
 * error, never silently reset: an empty state would re-send every alert.
 */
export class LocalStateStore
  implements DeliveryStateStore, CostCache, ActivityCache, RecommendationStore, UsedTokenStore
{
  private readonly now: () => Date;

  /** `now` is the clock that decides when a spent link's entry has expired (tests pass their own). */
  constructor(
    readonly location: string,
    options: { now?: () => Date } = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  async deliveredAlertIds(alertIds: readonly string[]): Promise<Set<string>> {
    const state = await this.read();
    return new Set(alertIds.filter((id) => id in state.deliveries));
  }

  async recordDeliveries(deliveries: readonly Delivery[]): Promise<string[]> {
    if (deliveries.length === 0) return [];
    return this.update((state) => {
      const added: string[] = [];
      for (const delivery of deliveries) {
        if (delivery.alertId in state.deliveries) continue;
        state.deliveries[delivery.alertId] = { channel: delivery.channel, deliveredAt: delivery.deliveredAt };
        added.push(delivery.alertId);
      }
      return added;
    });
  }

  async claimDelivery(key: string, claim: DeliveryClaim): Promise<boolean> {
    const now = claim.now.getTime();
    if (!Number.isFinite(now) || !Number.isFinite(claim.leaseMs) || claim.leaseMs <= 0) {
      throw new StateStoreError(
        `invalid claim on ${JSON.stringify(key)}: needs a valid time and a positive lease`,
        this.location,
      );
    }
    return this.updateIf((state) => {
      if (Object.hasOwn(state.deliveries, key)) return { result: false, changed: false };
      const held = Object.hasOwn(state.claims, key) ? state.claims[key] : undefined;
      if (held && isLive(held, now)) return { result: false, changed: false };
      // Claims of crashed runs are dropped while the file is being written anyway.
      for (const [other, entry] of Object.entries(state.claims)) {
        if (!isLive(entry, now)) delete state.claims[other];
      }
      state.claims[key] = {
        owner: claim.owner,
        claimedAt: claim.now.toISOString(),
        expiresAt: new Date(now + claim.leaseMs).toISOString(),
      };
      return { result: true, changed: true };
    });
  }

  async completeDelivery(key: string, record: CompletedDelivery): Promise<boolean> {
    return this.updateIf((state) => {
      const hadClaim = Object.hasOwn(state.claims, key);
      delete state.claims[key];
      if (Object.hasOwn(state.deliveries, key)) return { result: false, changed: hadClaim };
      state.deliveries[key] = {
        channel: record.channel,
        deliveredAt: record.deliveredAt,
        ...(record.messageId ? { messageId: record.messageId } : {}),
        run: record.owner,
      };
      return { result: true, changed: true };
    });
  }

  async releaseClaim(key: string, owner: string): Promise<void> {
    await this.updateIf((state) => {
      if (!Object.hasOwn(state.claims, key) || state.claims[key]?.owner !== owner) {
        return { result: undefined, changed: false };
      }
      delete state.claims[key];
      return { result: undefined, changed: true };
    });
  }

  async get(key: string, start: IsoDate, end: IsoDate): Promise<CachedCosts> {
    const entry = (await this.read()).costCache[key];
    const result: CachedCosts = { rows: [], days: new Set(), estimated: new Map() };
    if (!entry) return result;
    for (const [day, encoded] of Object.entries(entry.days)) {
      if (day < start || day >= end) continue;
      const fetchedOn = entry.estimated?.[day];
      // A damaged entry only costs a re-fetch, so it is skipped rather than failing the run.
      const rows = decodeCachedRows(day, encoded, typeof fetchedOn === 'string');
      if (!rows) continue;
      result.days.add(day);
      if (typeof fetchedOn === 'string') result.estimated.set(day, fetchedOn);
      result.rows.push(...rows);
    }
    if (entry.currency) result.currency = entry.currency;
    return result;
  }

  async put(
    key: string,
    days: readonly IsoDate[],
    rows: readonly DailyCost[],
    currency?: string,
    estimated?: EstimatedFreshness,
  ): Promise<void> {
    if (days.length === 0) return;
    const fresh = new Map(days.map((day): [IsoDate, CachedRow[]] => [day, []]));
    for (const row of rows) fresh.get(row.date)?.push(encodeCachedRow(row));
    await this.update((state) => {
      const entry = state.costCache[key] ?? { days: {} };
      state.costCache[key] = entry;
      for (const [day, encoded] of fresh) {
        entry.days[day] = encoded;
        if (estimated) {
          entry.estimated ??= {};
          entry.estimated[day] = estimated.fetchedOn;
        } else if (entry.estimated) {
          delete entry.estimated[day];
        }
      }
      if (currency) entry.currency = currency;
    });
  }

  async lastActive(arns: readonly string[]): Promise<Map<string, ActiveMark>> {
    const { activity } = await this.read();
    const found = new Map<string, ActiveMark>();
    for (const arn of arns) {
      const mark = activity[arn];
      if (mark) found.set(arn, mark);
    }
    return found;
  }

  async recordActive(marks: ReadonlyMap<string, ActiveMark>): Promise<void> {
    if (marks.size === 0) return;
    await this.update((state) => {
      for (const [arn, mark] of marks) state.activity[arn] = mark;
    });
  }

  async recordProposals(recommendations: readonly Recommendation[], at: Date): Promise<void> {
    if (recommendations.length === 0) return;
    await this.updateIf((state) => {
      let changed = false;
      for (const recommendation of recommendations) {
        if (Object.hasOwn(state.recommendations, recommendation.id)) continue;
        const record = proposedRecord(recommendation, { actor: 'pocketwatch', at, from: 'run' });
        state.recommendations[recommendation.id] = encodeRecommendationRecord(record);
        changed = true;
      }
      return { result: undefined, changed };
    });
  }

  async getRecommendation(id: string): Promise<RecommendationRecord | undefined> {
    const { recommendations } = await this.read();
    return Object.hasOwn(recommendations, id) ? decodeRecommendationRecord(recommendations[id]) : undefined;
  }

  async listRecommendations(): Promise<RecommendationRecord[]> {
    const { recommendations } = await this.read();
    return Object.values(recommendations)
      .map(decodeRecommendationRecord)
      .filter((record): record is RecommendationRecord => record !== undefined)
      .sort((a, b) =>
        a.proposedAt === b.proposedAt ? compare(a.id, b.id) : compare(a.proposedAt, b.proposedAt),
      );
  }

  async updateRecommendation(
    id: string,
    expectedVersion: number,
    next: RecommendationRecord,
  ): Promise<boolean> {
    if (next.id !== id) {
      throw new StateStoreError(`cannot store recommendation ${next.id} under id ${id}`, this.location);
    }
    return this.updateIf((state) => {
      const stored = Object.hasOwn(state.recommendations, id) ? state.recommendations[id] : undefined;
      if (stored === undefined || stored.version !== expectedVersion)
        return { result: false, changed: false };
      state.recommendations[id] = encodeRecommendationRecord({ ...next, version: expectedVersion + 1 });
      return { result: true, changed: true };
    });
  }

  async markUsed(nonce: string, expiresAt: number): Promise<boolean> {
    if (typeof nonce !== 'string' || nonce === '' || !Number.isSafeInteger(expiresAt)) {
      throw new StateStoreError('a used token needs a nonce and an integer expiry', this.location);
    }
    return this.updateIf((state) => {
      // An entry whose token has expired no longer counts (that token fails as expired anyway).
      const purged = this.purgeExpiredTokens(state);
      if (Object.hasOwn(state.usedTokens, nonce)) return { result: false, changed: purged };
      state.usedTokens[nonce] = expiresAt;
      return { result: true, changed: true };
    });
  }

  async wasUsed(nonce: string): Promise<boolean> {
    const { usedTokens } = await this.read();
    if (!Object.hasOwn(usedTokens, nonce)) return false;
    return (usedTokens[nonce] ?? 0) > epochSeconds(this.now());
  }

  async releaseUsed(nonce: string): Promise<void> {
    await this.updateIf((state) => {
      if (!Object.hasOwn(state.usedTokens, nonce)) return { result: undefined, changed: false };
      delete state.usedTokens[nonce];
      return { result: undefined, changed: true };
    });
  }

  /** Drops spent-link entries whose token has expired; whether there were any. */
  private purgeExpiredTokens(state: StateFile): boolean {
    const nowSeconds = epochSeconds(this.now());
    let purged = false;
    for (const [nonce, expiresAt] of Object.entries(state.usedTokens)) {
      if (expiresAt <= nowSeconds) {
        delete state.usedTokens[nonce];
        purged = true;
      }
    }
    return purged;
  }

  private async read(): Promise<StateFile> {
    let text: string;
    try {
      text = await readFile(this.location, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return structuredClone(EMPTY);
      throw new StateStoreError(`cannot read the state file: ${(error as Error).message}`, this.location);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new StateStoreError(
        `the state file is not valid JSON (${(error as Error).message}); fix or move it aside, and note that a new state re-sends every alert`,
        this.location,
      );
    }
    return toStateFile(parsed, this.location);
  }

  private async update<T>(change: (state: StateFile) => T): Promise<T> {
    await mkdir(dirname(this.location), { recursive: true });
    const release = await this.lock();
    try {
      const state = await this.read();
      const result = change(state);
      this.purgeExpiredTokens(state);
      await this.writeAtomically(serialize(state));
      return result;
    } finally {
      await release();
    }
  }

  /** Like update(), but writes only when `change` says it changed something. */
  private async updateIf<T>(change: (state: StateFile) => { result: T; changed: boolean }): Promise<T> {
    await mkdir(dirname(this.location), { recursive: true });
    const release = await this.lock();
    try {
      const state = await this.read();
      const { result, changed } = change(state);
      if (changed) {
        this.purgeExpiredTokens(state);
        await this.writeAtomically(serialize(state));
      }
      return result;
    } finally {
      await release();
    }
  }

  private async writeAtomically(text: string): Promise<void> {
    const temporary = `${this.location}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, this.location);
    // Persist the rename itself; not every platform allows opening a directory, hence the catch.
    const directory = await open(dirname(this.location), 'r').catch(() => undefined);
    await directory?.sync().catch(() => undefined);
    await directory?.close();
  }

  private async lock(): Promise<() => Promise<void>> {
    const lockPath = `${this.location}.lock`;
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        await createLock(lockPath);
        return () => rm(lockPath, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new StateStoreError(`cannot take the lock: ${(error as Error).message}`, this.location);
        }
        if (await isStale(lockPath)) {
          await rm(lockPath, { force: true });
          continue;
        }
        if (Date.now() > deadline) {
          throw new StateStoreError(
            `another run holds ${lockPath}; remove it if no run is active`,
            this.location,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }
}

/**
 * Creates the lock file with this process's pid already in it: written aside, then hard-linked into
 * place (which fails with EEXIST when the lock is held). A holder killed at any moment thus leaves a
 * lock that names it, so the next run can tell it is stale; an empty lock could not be told from one
 * being written. Where hard links are not supported, the lock is created and then written.
 */
async function createLock(lockPath: string): Promise<void> {
  const aside = `${lockPath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(aside, String(process.pid), { flag: 'wx' });
  try {
    await link(aside, lockPath);
  } catch (error) {
    if (!['EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP'].includes((error as NodeJS.ErrnoException).code ?? '')) {
      throw error;
    }
    const handle = await open(lockPath, 'wx');
    await handle.writeFile(String(process.pid));
    await handle.close();
  } finally {
    await rm(aside, { force: true });
  }
}

function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** A claim holds until its expiry; one whose expiry cannot be read holds no longer. */
function isLive(claim: ClaimEntry, now: number): boolean {
  return Date.parse(claim.expiresAt) > now;
}

/** A lock is stale when its holder has died (a crash mid-run) or it is older than any real update. */
async function isStale(lockPath: string): Promise<boolean> {
  const [info, holder] = await Promise.all([
    stat(lockPath).catch(() => undefined),
    readFile(lockPath, 'utf8').catch(() => ''),
  ]);
  if (!info) return false;
  if (Date.now() - info.mtimeMs > LOCK_STALE_MS) return true;
  const pid = Number.parseInt(holder, 10);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function toStateFile(value: unknown, location: string): StateFile {
  const candidate = (typeof value === 'object' && value !== null ? value : {}) as Partial<{
    version: unknown;
    deliveries: unknown;
    costCache: unknown;
    activity: unknown;
    claims: unknown;
    recommendations: unknown;
    usedTokens: unknown;
  }>;
  if (typeof candidate.version === 'number' && candidate.version > STATE_VERSION) {
    throw new StateStoreError(
      `the state file has version ${candidate.version}, written by a newer pocketwatch; upgrade pocketwatch`,
      location,
    );
  }
  const known = candidate.version === 1 || candidate.version === STATE_VERSION;
  if (!known || !isObject(candidate.deliveries)) {
    throw new StateStoreError(
      `the state file is not a pocketwatch state file (version 1 or ${STATE_VERSION})`,
      location,
    );
  }
  const costCache: Record<string, CostCacheEntry> = {};
  if (isObject(candidate.costCache)) {
    for (const [key, entry] of Object.entries(candidate.costCache)) {
      if (isObject(entry) && isObject(entry.days)) costCache[key] = entry as unknown as CostCacheEntry;
    }
  }
  const activity: Record<string, ActiveMark> = {};
  if (isObject(candidate.activity)) {
    for (const [arn, mark] of Object.entries(candidate.activity)) {
      if (isObject(mark) && typeof mark.day === 'string' && typeof mark.threshold === 'number') {
        activity[arn] = { day: mark.day, threshold: mark.threshold };
      }
    }
  }
  const claims: Record<string, ClaimEntry> = {};
  if (isObject(candidate.claims)) {
    for (const [key, claim] of Object.entries(candidate.claims)) {
      if (
        isObject(claim) &&
        typeof claim.owner === 'string' &&
        typeof claim.claimedAt === 'string' &&
        typeof claim.expiresAt === 'string'
      ) {
        claims[key] = { owner: claim.owner, claimedAt: claim.claimedAt, expiresAt: claim.expiresAt };
      }
    }
  }
  const recommendations: Record<string, StoredRecommendationRecord> = {};
  if (isObject(candidate.recommendations)) {
    for (const [id, record] of Object.entries(candidate.recommendations)) {
      // A damaged entry is skipped rather than failing every run.
      if (decodeRecommendationRecord(record)?.id === id) {
        recommendations[id] = record as StoredRecommendationRecord;
      }
    }
  }
  const usedTokens: Record<string, number> = {};
  if (isObject(candidate.usedTokens)) {
    for (const [nonce, expiresAt] of Object.entries(candidate.usedTokens)) {
      if (typeof expiresAt === 'number' && Number.isSafeInteger(expiresAt)) usedTokens[nonce] = expiresAt;
    }
  }
  return {
    version: STATE_VERSION,
    deliveries: candidate.deliveries as StateFile['deliveries'],
    costCache,
    activity,
    claims,
    recommendations,
    usedTokens,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Pretty JSON for the deliveries, one line per cached day for the cost cache: a year of daily rows
 * stays a compact, diff-friendly file instead of one line per number.
 */
function serialize(state: StateFile): string {
  const deliveries = JSON.stringify(state.deliveries, null, 1).replace(/\n/g, '\n ');
  const lines = ['{', ` "version": ${state.version},`, ` "deliveries": ${deliveries},`];
  const keys = Object.keys(state.costCache).sort();
  if (keys.length === 0) {
    lines.push(' "costCache": {}');
  } else {
    lines.push(' "costCache": {');
    keys.forEach((key, keyIndex) => {
      const entry = state.costCache[key] as CostCacheEntry;
      lines.push(`  ${JSON.stringify(key)}: {`);
      if (entry.currency) lines.push(`   "currency": ${JSON.stringify(entry.currency)},`);
      if (entry.estimated && Object.keys(entry.estimated).length > 0) {
        lines.push(`   "estimated": ${JSON.stringify(entry.estimated)},`);
      }
      const days = Object.keys(entry.days).sort();
      lines.push(days.length === 0 ? '   "days": {}' : '   "days": {');
      days.forEach((day, dayIndex) => {
        const comma = dayIndex < days.length - 1 ? ',' : '';
        lines.push(`    ${JSON.stringify(day)}: ${JSON.stringify(entry.days[day])}${comma}`);
      });
      if (days.length > 0) lines.push('   }');
      lines.push(`  }${keyIndex < keys.length - 1 ? ',' : ''}`);
    });
    lines.push(' }');
  }
  lines[lines.length - 1] += ',';
  const arns = Object.keys(state.activity).sort();
  lines.push(arns.length === 0 ? ' "activity": {}' : ' "activity": {');
  arns.forEach((arn, index) => {
    const comma = index < arns.length - 1 ? ',' : '';
    lines.push(`  ${JSON.stringify(arn)}: ${JSON.stringify(state.activity[arn])}${comma}`);
  });
  if (arns.length > 0) lines.push(' }');
  const claimKeys = Object.keys(state.claims).sort();
  if (claimKeys.length > 0) {
    lines[lines.length - 1] += ',';
    lines.push(' "claims": {');
    claimKeys.forEach((key, index) => {
      const comma = index < claimKeys.length - 1 ? ',' : '';
      lines.push(`  ${JSON.stringify(key)}: ${JSON.stringify(state.claims[key])}${comma}`);
    });
    lines.push(' }');
  }
  const recommendationIds = Object.keys(state.recommendations).sort();
  if (recommendationIds.length > 0) {
    lines[lines.length - 1] += ',';
    lines.push(' "recommendations": {');
    recommendationIds.forEach((id, index) => {
      const comma = index < recommendationIds.length - 1 ? ',' : '';
      lines.push(`  ${JSON.stringify(id)}: ${JSON.stringify(state.recommendations[id])}${comma}`);
    });
    lines.push(' }');
  }
  const nonces = Object.keys(state.usedTokens).sort();
  if (nonces.length > 0) {
    lines[lines.length - 1] += ',';
    lines.push(
      ` "usedTokens": ${JSON.stringify(Object.fromEntries(nonces.map((n) => [n, state.usedTokens[n]])))}`,
    );
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
