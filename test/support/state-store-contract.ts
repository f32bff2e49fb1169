import { describe, expect, it } from 'vitest';
import { newNonce } from '../../src/approval/approval-token.js';
import { transition } from '../../src/approval/lifecycle.js';
import type { RecommendationStore } from '../../src/approval/recommendation-store.js';
import type { UsedTokenStore } from '../../src/approval/used-tokens.js';
import type { DailyCost } from '../../src/core/cost-data.js';
import { formatMoneyExact, parseMoney } from '../../src/core/money.js';
import type { Recommendation } from '../../src/core/report.js';
import { type CostCache, costCacheKey } from '../../src/sources/cost-cache.js';
import type { ActiveMark, ActivityCache } from '../../src/state/activity-cache.js';
import { type DeliveryStateStore, StateStoreError } from '../../src/state/state-store.js';

/** Everything a full state store is: LocalStateStore offline, DynamoDbStateStore in AWS. */
export type FullStateStore = DeliveryStateStore &
  CostCache &
  ActivityCache &
  RecommendationStore &
  UsedTokenStore;

/**
 * Makes a fresh, empty state and returns a function that opens a new store instance on it (a new
 * instance stands for another run, or another process).
 */
export type FreshState = () => Promise<() => FullStateStore>;

const T0 = new Date('2026-11-19T06:00:00Z');
const LEASE = 60_000;
const at = (ms: number) => new Date(T0.getTime() + ms);
const claim = (owner: string, now = T0, leaseMs = LEASE) => ({ owner, leaseMs, now });
const done = (owner: string, messageId = 'm-1') => ({
  owner,
  channel: 'sns',
  deliveredAt: T0.toISOString(),
  messageId,
});
const delivery = (alertId: string, channel = 'sns') => ({
  alertId,
  channel,
  deliveredAt: '2026-11-19T06:00:00Z',
});

export const CONTRACT_COST_KEY = costCacheKey({
  tagKey: 'poc',
  metric: 'UnblendedCost',
  grouping: 'service',
  account: '111122223333',
});
const KEY = CONTRACT_COST_KEY;

export function costRow(
  date: string,
  poc: string | null,
  cost: string,
  service = 'AWS Lambda',
  estimated = false,
): DailyCost {
  return { date, poc, service, account: '111122223333', cost: parseMoney(cost), estimated };
}

export function summarize(rows: readonly DailyCost[]): string[] {
  return rows
    .map(
      (row) =>
        `${row.date} ${row.poc ?? '-'} ${row.service} ${row.account || '-'} ${formatMoneyExact(row.cost)}${row.estimated ? ' E' : ''}`,
    )
    .sort();
}

function recommendation(id: string): Recommendation {
  return {
    id,
    poc: 'chatbot-poc',
    reason: 'expired',
    resources: [
      {
        arn: `arn:aws:s3:::${id}`,
        type: 's3:bucket',
        region: 'us-east-1',
        account: '111122223333',
        window: { start: '2026-10-20', end: '2026-11-19', days: 30 },
        evidence: 'no requests in 30 days',
        monthlyCost: parseMoney('1.234567890123456789'),
        costSource: 'billing-export',
        holdsData: true,
      },
    ],
    estimatedMonthlySavings: parseMoney('1.234567890123456789'),
  };
}

/** `count` consecutive ISO days from `first`. */
export function daysFrom(first: string, count: number): string[] {
  const start = Date.parse(`${first}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
}

/**
 * The behaviour every state store shares, run against each implementation so that they cannot
 * drift apart. Implementation details (file layout, table items, API calls) are tested separately.
 */
export function describeStateStoreContract(name: string, fresh: FreshState): void {
  describe(`${name} as a StateStore`, () => {
    it('starts empty, and recording nothing records nothing', async () => {
      const open = await fresh();
      const store = open();
      expect(await store.deliveredAlertIds(['a'])).toEqual(new Set());
      expect(await store.deliveredAlertIds([])).toEqual(new Set());
      expect(await store.recordDeliveries([])).toEqual([]);
      expect(await store.deliveredAlertIds(['a'])).toEqual(new Set());
    });

    it('remembers deliveries across instances and records each id once', async () => {
      const open = await fresh();
      expect(await open().recordDeliveries([delivery('a'), delivery('b')])).toEqual(['a', 'b']);
      const again = open();
      expect(await again.recordDeliveries([delivery('a', 'slack'), delivery('c')])).toEqual(['c']);
      expect(await again.deliveredAlertIds(['a', 'b', 'c', 'd'])).toEqual(new Set(['a', 'b', 'c']));
      // An id twice in one call is recorded once (the first).
      expect(await again.recordDeliveries([delivery('e'), delivery('e', 'slack')])).toEqual(['e']);
      // Asking twice for the same id is fine too.
      expect(await again.deliveredAlertIds(['e', 'e', 'f'])).toEqual(new Set(['e']));
    });

    it('loses no record to concurrent writers', async () => {
      const open = await fresh();
      await Promise.all(Array.from({ length: 20 }, (_, i) => open().recordDeliveries([delivery(`id-${i}`)])));
      const ids = Array.from({ length: 20 }, (_, i) => `id-${i}`);
      expect((await open().deliveredAlertIds(ids)).size).toBe(20);
    });

    it('answers for many ids at once', async () => {
      const open = await fresh();
      const ids = Array.from({ length: 230 }, (_, i) => `alert:${i}`);
      const recorded = ids.filter((_, i) => i % 3 === 0);
      expect(await open().recordDeliveries(recorded.map((id) => delivery(id)))).toEqual(recorded);
      expect(await open().deliveredAlertIds(ids)).toEqual(new Set(recorded));
    });
  });

  describe(`${name} delivery claims`, () => {
    it('lets one run claim a key, and nobody else while its lease is live', async () => {
      const store = (await fresh())();
      expect(await store.claimDelivery('a', claim('run-1'))).toBe(true);
      expect(await store.claimDelivery('a', claim('run-2', at(1000)))).toBe(false);
      // Not even the same run id (a Lambda retry reuses its request id).
      expect(await store.claimDelivery('a', claim('run-1', at(1000)))).toBe(false);
      expect(await store.claimDelivery('b', claim('run-2'))).toBe(true);
      // A claim is not a delivery.
      expect(await store.deliveredAlertIds(['a', 'b'])).toEqual(new Set());
    });

    it('lets another run take over a claim once its lease has run out (a crashed run)', async () => {
      const store = (await fresh())();
      expect(await store.claimDelivery('a', claim('crashed'))).toBe(true);
      expect(await store.claimDelivery('a', claim('next', at(LEASE - 1)))).toBe(false);
      expect(await store.claimDelivery('a', claim('next', at(LEASE)))).toBe(true);
      // The new holder's lease counts from its own claim.
      expect(await store.claimDelivery('a', claim('third', at(LEASE + 1)))).toBe(false);
      expect(await store.claimDelivery('a', claim('third', at(2 * LEASE)))).toBe(true);
    });

    it('marks a completed key delivered: never claimable again, seen by deliveredAlertIds', async () => {
      const open = await fresh();
      const store = open();
      expect(await store.claimDelivery('a', claim('run-1'))).toBe(true);
      expect(await store.completeDelivery('a', done('run-1', 'msg-a'))).toBe(true);
      expect(await open().deliveredAlertIds(['a', 'b'])).toEqual(new Set(['a']));
      expect(await open().claimDelivery('a', claim('run-2', at(10 * LEASE)))).toBe(false);
      // The first completion is the one kept.
      expect(await open().completeDelivery('a', done('run-2', 'msg-b'))).toBe(false);
      // Nor does recording it the old way count as new.
      expect(await open().recordDeliveries([delivery('a')])).toEqual([]);
    });

    it('records a completion that had no claim, and one whose lease ran out', async () => {
      const store = (await fresh())();
      expect(await store.completeDelivery('unclaimed', done('run-1'))).toBe(true);
      expect(await store.claimDelivery('late', claim('slow'))).toBe(true);
      expect(await store.claimDelivery('late', claim('next', at(LEASE)))).toBe(true);
      // The slow run did send: its completion is recorded, and the next run's is not.
      expect(await store.completeDelivery('late', done('slow'))).toBe(true);
      expect(await store.completeDelivery('late', done('next'))).toBe(false);
      await store.releaseClaim('late', 'next');
      expect(await store.deliveredAlertIds(['unclaimed', 'late'])).toEqual(new Set(['unclaimed', 'late']));
    });

    it('treats a delivery recorded the old way (recordDeliveries) as delivered', async () => {
      const store = (await fresh())();
      await store.recordDeliveries([{ alertId: 'a', channel: 'sns', deliveredAt: T0.toISOString() }]);
      expect(await store.claimDelivery('a', claim('run-1'))).toBe(false);
      // And a key recorded while claimed is delivered, whatever its claim.
      expect(await store.claimDelivery('b', claim('run-1'))).toBe(true);
      expect(await store.recordDeliveries([delivery('b')])).toEqual(['b']);
      await store.releaseClaim('b', 'run-1');
      expect(await store.deliveredAlertIds(['b'])).toEqual(new Set(['b']));
      expect(await store.claimDelivery('b', claim('run-2', at(10 * LEASE)))).toBe(false);
    });

    it('releases only the claim of its owner', async () => {
      const store = (await fresh())();
      expect(await store.claimDelivery('a', claim('run-1'))).toBe(true);
      await store.releaseClaim('a', 'run-2');
      expect(await store.claimDelivery('a', claim('run-2', at(1)))).toBe(false);
      await store.releaseClaim('a', 'run-1');
      expect(await store.claimDelivery('a', claim('run-2', at(2)))).toBe(true);
      expect(await store.deliveredAlertIds(['a'])).toEqual(new Set());
      // Releasing what nobody claimed, or a delivered key, changes nothing.
      await store.releaseClaim('nothing', 'run-1');
      await store.completeDelivery('a', done('run-2'));
      await store.releaseClaim('a', 'run-2');
      expect(await store.deliveredAlertIds(['a', 'nothing'])).toEqual(new Set(['a']));
    });

    it('makes a failed send claimable again, by the next run', async () => {
      const open = await fresh();
      const first = open();
      expect(await first.claimDelivery('a', claim('run-1'))).toBe(true);
      // The send failed: the run gives the key up.
      await first.releaseClaim('a', 'run-1');
      const next = open();
      expect(await next.claimDelivery('a', claim('run-2', at(1000)))).toBe(true);
      expect(await next.completeDelivery('a', done('run-2'))).toBe(true);
      expect(await open().deliveredAlertIds(['a'])).toEqual(new Set(['a']));
    });

    it('gives exactly one of many concurrent claimers the key', async () => {
      const open = await fresh();
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => open().claimDelivery('a', claim(`run-${i}`))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      // The winner holds it: only the winner's release frees the key.
      const winner = `run-${results.indexOf(true)}`;
      const loser = `run-${results.indexOf(false)}`;
      await open().releaseClaim('a', loser);
      expect(await open().claimDelivery('a', claim('other', at(1)))).toBe(false);
      await open().releaseClaim('a', winner);
      expect(await open().claimDelivery('a', claim('other', at(2)))).toBe(true);
    });

    it('gives exactly one of two concurrent completions the record', async () => {
      const open = await fresh();
      const results = await Promise.all([
        open().completeDelivery('a', done('run-1')),
        open().completeDelivery('a', done('run-2')),
      ]);
      expect(results.sort()).toEqual([false, true]);
    });

    it('refuses a claim without a lease', async () => {
      const store = (await fresh())();
      await expect(store.claimDelivery('a', claim('run-1', T0, 0))).rejects.toThrow(StateStoreError);
      await expect(store.claimDelivery('a', claim('run-1', new Date(Number.NaN)))).rejects.toThrow(
        StateStoreError,
      );
      expect(await store.claimDelivery('a', claim('run-1'))).toBe(true);
    });
  });

  describe(`${name} as a CostCache`, () => {
    it('returns the cached days of a range, including days without cost', async () => {
      const cache = (await fresh())();
      await cache.put(
        KEY,
        ['2026-10-01', '2026-10-02', '2026-10-03'],
        [
          costRow('2026-10-01', 'a', '40.3543773134'),
          costRow('2026-10-01', null, '0.0000023487'),
          costRow('2026-10-03', 'a$b', '1'),
        ],
        'USD',
      );
      const got = await cache.get(KEY, '2026-10-02', '2026-10-04');
      expect([...got.days].sort()).toEqual(['2026-10-02', '2026-10-03']);
      expect(summarize(got.rows)).toEqual(['2026-10-03 a$b AWS Lambda 111122223333 1']);
      expect(got.currency).toBe('USD');
      expect(got.estimated).toEqual(new Map());
      const all = await cache.get(KEY, '2026-01-01', '2027-01-01');
      expect(all.rows.find((cached) => cached.poc === null)?.cost).toBe(parseMoney('0.0000023487'));
      expect(summarize(all.rows)).toEqual([
        '2026-10-01 - AWS Lambda 111122223333 0.0000023487',
        '2026-10-01 a AWS Lambda 111122223333 40.3543773134',
        '2026-10-03 a$b AWS Lambda 111122223333 1',
      ]);
    });

    it('replaces the days put again, ignores rows outside the days put, and keeps keys apart', async () => {
      const open = await fresh();
      const cache = open();
      await cache.put(
        KEY,
        ['2026-10-01'],
        [costRow('2026-10-01', 'a', '1'), costRow('2026-10-01', 'b', '2')],
      );
      await cache.put(
        KEY,
        ['2026-10-01'],
        [costRow('2026-10-01', 'a', '3'), costRow('2026-10-05', 'a', '9')],
      );
      const got = await open().get(KEY, '2026-10-01', '2026-11-01');
      expect(summarize(got.rows)).toEqual(['2026-10-01 a AWS Lambda 111122223333 3']);
      expect([...got.days]).toEqual(['2026-10-01']);
      expect((await cache.get(`${KEY}-other`, '2026-10-01', '2026-11-01')).days.size).toBe(0);
      // A key that is a prefix of another stays apart from it too.
      await cache.put(`${KEY}-other`, ['2026-10-02'], [costRow('2026-10-02', 'z', '5')]);
      expect([...(await cache.get(KEY, '2026-10-01', '2026-11-01')).days]).toEqual(['2026-10-01']);
    });

    it('keeps estimated days with the day they were fetched, until final figures replace them', async () => {
      const open = await fresh();
      const cache = open();
      await cache.put(KEY, ['2026-10-01'], [costRow('2026-10-01', 'a', '1')], 'USD');
      await cache.put(
        KEY,
        ['2026-10-02', '2026-10-03'],
        [costRow('2026-10-02', 'a', '2', 'AWS Lambda', true)],
        'USD',
        { fetchedOn: '2026-10-04' },
      );
      const got = await open().get(KEY, '2026-10-01', '2026-10-04');
      expect([...got.days].sort()).toEqual(['2026-10-01', '2026-10-02', '2026-10-03']);
      expect(got.estimated).toEqual(
        new Map([
          ['2026-10-02', '2026-10-04'],
          ['2026-10-03', '2026-10-04'],
        ]),
      );
      expect(summarize(got.rows)).toEqual([
        '2026-10-01 a AWS Lambda 111122223333 1',
        '2026-10-02 a AWS Lambda 111122223333 2 E',
      ]);
      // Fetched again later, still estimated, and then final.
      await cache.put(KEY, ['2026-10-02'], [costRow('2026-10-02', 'a', '2.5')], 'USD', {
        fetchedOn: '2026-10-05',
      });
      await cache.put(KEY, ['2026-10-03'], [costRow('2026-10-03', 'a', '3')], 'USD');
      const later = await open().get(KEY, '2026-10-01', '2026-10-04');
      expect(later.estimated).toEqual(new Map([['2026-10-02', '2026-10-05']]));
      expect(summarize(later.rows)).toEqual([
        '2026-10-01 a AWS Lambda 111122223333 1',
        '2026-10-02 a AWS Lambda 111122223333 2.5 E',
        '2026-10-03 a AWS Lambda 111122223333 3',
      ]);
    });

    it('reads a range from its first day up to, not including, its end', async () => {
      const cache = (await fresh())();
      const days = daysFrom('2026-12-28', 8); // 2026-12-28 … 2027-01-04
      await cache.put(
        KEY,
        days,
        days.map((day) => costRow(day, 'a', '1')),
        'USD',
      );
      const range = async (start: string, end: string) => [...(await cache.get(KEY, start, end)).days].sort();
      expect(await range('2026-12-31', '2027-01-02')).toEqual(['2026-12-31', '2027-01-01']);
      expect(await range('2026-12-28', '2026-12-29')).toEqual(['2026-12-28']);
      expect(await range('2027-01-04', '2027-01-05')).toEqual(['2027-01-04']);
      expect(await range('2026-12-30', '2026-12-30')).toEqual([]);
      expect(await range('2027-01-05', '2027-02-01')).toEqual([]);
      expect(await range('2026-01-01', '2026-12-28')).toEqual([]);
      expect(await range('2026-01-01', '2028-01-01')).toEqual(days);
      // Rows follow their days.
      const rows = (await cache.get(KEY, '2026-12-31', '2027-01-02')).rows;
      expect(rows.map((row) => row.date).sort()).toEqual(['2026-12-31', '2027-01-01']);
    });

    it('writes and reads many days at once', async () => {
      const open = await fresh();
      const days = daysFrom('2025-01-01', 400);
      const rows = days.flatMap((day, i) => [
        costRow(day, 'a', `${i}.25`),
        costRow(day, 'b', '0.0000000001', 'Amazon S3'),
      ]);
      await open().put(KEY, days, rows, 'USD');
      const got = await open().get(KEY, '2025-01-01', '2026-12-31');
      expect(got.days.size).toBe(400);
      expect(got.rows).toHaveLength(800);
      expect(summarize(got.rows)).toEqual(summarize(rows));
      const slice = await open().get(KEY, '2025-02-01', '2025-03-01');
      expect(slice.days.size).toBe(28);
    });

    it('loses no day to concurrent cache writers', async () => {
      const open = await fresh();
      const days = daysFrom('2026-10-01', 10);
      await Promise.all(days.map((day) => open().put(KEY, [day], [costRow(day, 'a', '1')])));
      expect((await open().get(KEY, '2026-10-01', '2026-11-01')).days.size).toBe(10);
    });

    it('puts nothing for no days', async () => {
      const cache = (await fresh())();
      await cache.put(KEY, [], [costRow('2026-10-01', 'a', '1')], 'USD');
      expect((await cache.get(KEY, '2026-01-01', '2027-01-01')).days.size).toBe(0);
    });
  });

  describe(`${name} as an ActivityCache`, () => {
    const arn = (i: number) => `arn:aws:lambda:us-east-1:111122223333:function:fn-${i}`;

    it('remembers the last active day of each resource, across instances', async () => {
      const open = await fresh();
      expect(await open().lastActive([arn(1)])).toEqual(new Map());
      await open().recordActive(new Map());
      await open().recordActive(
        new Map<string, ActiveMark>([
          [arn(1), { day: '2026-11-01', threshold: 0 }],
          [arn(2), { day: '2026-11-02', threshold: 5.5 }],
        ]),
      );
      await open().recordActive(new Map([[arn(1), { day: '2026-11-03', threshold: 1 }]]));
      expect(await open().lastActive([arn(1), arn(2), arn(3), arn(1)])).toEqual(
        new Map([
          [arn(1), { day: '2026-11-03', threshold: 1 }],
          [arn(2), { day: '2026-11-02', threshold: 5.5 }],
        ]),
      );
      expect(await open().lastActive([])).toEqual(new Map());
    });

    it('handles many resources at once', async () => {
      const open = await fresh();
      const marks = new Map(
        Array.from({ length: 260 }, (_, i): [string, ActiveMark] => [
          arn(i),
          { day: '2026-11-01', threshold: i },
        ]),
      );
      await open().recordActive(marks);
      const asked = Array.from({ length: 300 }, (_, i) => arn(i));
      const found = await open().lastActive(asked);
      expect(found.size).toBe(260);
      expect(found.get(arn(259))).toEqual({ day: '2026-11-01', threshold: 259 });
      expect(found.has(arn(260))).toBe(false);
    });
  });
  describe(`${name} as a RecommendationStore`, () => {
    it('records new proposals, keeps existing ones, round-trips Money exactly', async () => {
      const open = await fresh();
      expect(await open().listRecommendations()).toEqual([]);
      expect(await open().getRecommendation('a')).toBeUndefined();
      await open().recordProposals([], T0);
      await open().recordProposals([recommendation('a')], T0);
      const first = await open().getRecommendation('a');
      expect(first).toMatchObject({ id: 'a', state: 'proposed', version: 1, proposedAt: T0.toISOString() });
      expect(first?.recommendation).toEqual(recommendation('a'));
      expect(first?.audit).toEqual([
        expect.objectContaining({ event: 'propose', actor: 'pocketwatch', from: 'run', toState: 'proposed' }),
      ]);
      if (!first) return;

      const approved = transition(first, { kind: 'approve' }, { actor: 'bob', at: T0, from: 'cli' });
      if (!approved.ok) throw new Error(approved.reason);
      expect(await open().updateRecommendation('a', 1, approved.record)).toBe(true);

      await open().recordProposals([recommendation('a'), recommendation('b')], at(60_000));
      const list = await open().listRecommendations();
      expect(list.map((r) => [r.id, r.state, r.version])).toEqual([
        ['a', 'approved', 2],
        ['b', 'proposed', 1],
      ]);
      expect(list[0]?.audit.at(-1)).toMatchObject({ event: 'approve', actor: 'bob', toState: 'approved' });
    });

    it('updates only at the expected version (optimistic concurrency)', async () => {
      const open = await fresh();
      await open().recordProposals([recommendation('a')], T0);
      const record = await open().getRecommendation('a');
      if (!record) throw new Error('not recorded');
      const next = transition(record, { kind: 'approve' }, { actor: 'bob', at: T0, from: 'cli' });
      if (!next.ok) throw new Error(next.reason);
      const results = await Promise.all([
        open().updateRecommendation('a', 1, next.record),
        open().updateRecommendation('a', 1, next.record),
      ]);
      expect(results.sort()).toEqual([false, true]);
      expect(await open().updateRecommendation('a', 1, next.record)).toBe(false);
      expect(await open().updateRecommendation('missing', 1, { ...next.record, id: 'missing' })).toBe(false);
      expect(await open().getRecommendation('missing')).toBeUndefined();
      expect((await open().getRecommendation('a'))?.version).toBe(2);
    });

    it('concurrent runs proposing the same id record it once', async () => {
      const open = await fresh();
      await Promise.all(
        Array.from({ length: 5 }, (_, i) => open().recordProposals([recommendation('a')], at(i))),
      );
      const list = await open().listRecommendations();
      expect(list).toHaveLength(1);
      expect(list[0]?.version).toBe(1);
    });
  });

  describe(`${name} as a UsedTokenStore`, () => {
    const inSeconds = (seconds: number) => Math.floor(Date.now() / 1000) + seconds;

    it('spends a nonce once, across instances, and says so without spending it', async () => {
      const open = await fresh();
      const nonce = newNonce();
      const other = newNonce();
      for (let i = 0; i < 3; i++) expect(await open().wasUsed(nonce)).toBe(false);
      expect(await open().markUsed(nonce, inSeconds(3600))).toBe(true);
      expect(await open().wasUsed(nonce)).toBe(true);
      expect(await open().markUsed(nonce, inSeconds(3600))).toBe(false);
      expect(await open().wasUsed(other)).toBe(false);
      expect(await open().markUsed(other, inSeconds(3600))).toBe(true);
      expect(await open().markUsed(nonce, inSeconds(7200))).toBe(false);
    });

    it('of concurrent spends of one nonce, exactly one wins', async () => {
      const open = await fresh();
      const nonce = newNonce();
      const results = await Promise.all(
        Array.from({ length: 12 }, () => Promise.resolve(open().markUsed(nonce, inSeconds(3600)))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await open().wasUsed(nonce)).toBe(true);
    });

    it('forgets an entry once its token has expired (the token is refused as expired then)', async () => {
      const open = await fresh();
      const nonce = newNonce();
      expect(await open().markUsed(nonce, inSeconds(-60))).toBe(true);
      expect(await open().wasUsed(nonce)).toBe(false);
      expect(await open().markUsed(nonce, inSeconds(3600))).toBe(true);
      expect(await open().wasUsed(nonce)).toBe(true);
    });

    it('releases a spent nonce, which can then be spent again, and only that one', async () => {
      const open = await fresh();
      const nonce = newNonce();
      const other = newNonce();
      await open().markUsed(nonce, inSeconds(3600));
      await open().markUsed(other, inSeconds(3600));
      await open().releaseUsed(nonce);
      expect(await open().wasUsed(nonce)).toBe(false);
      expect(await open().wasUsed(other)).toBe(true);
      await open().releaseUsed(newNonce());
      expect(await open().markUsed(nonce, inSeconds(3600))).toBe(true);
    });

    it('keeps spent nonces apart from the other state', async () => {
      const open = await fresh();
      const nonce = newNonce();
      await open().markUsed(nonce, inSeconds(3600));
      expect(await open().deliveredAlertIds([nonce, `token#${nonce}`])).toEqual(new Set());
      expect(await open().listRecommendations()).toEqual([]);
      expect(await open().recordDeliveries([delivery(nonce)])).toEqual([nonce]);
      expect(await open().wasUsed(nonce)).toBe(true);
    });
  });
}
