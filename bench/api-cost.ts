/**
 * Benchmark: what a live run (`pocketwatch run --source aws`) costs in AWS API charges, for 10, 100
 * and 1,000 PoCs of 50 resources each.
 *
 *   npm run bench:api                          # all scales
 *   npm run bench:api -- --scales 10,100       # some of them
 *   npm run bench:api -- --estimated recent    # Cost Explorer estimates only the last 2 days
 *
 * The real pipeline (setupRun('aws', …) + runGovernance, real SDK clients, a real state file) runs
 * against a local FakeAwsServer twice per scale: a first run with no state file (cold) and the next
 * day's run with the state file the first one left (steady state). The run's ApiMeter gives calls,
 * metrics and cost; the server's request log must agree with it. Next to it, the same inventory priced
 * the way other tools work: Cloud Custodian-style idle filters (one GetMetricStatistics call per
 * resource per metric) and one GetCostAndUsage per PoC per run.
 *
 * Exits 1 when the steady-state run for 100 PoCs (5,000 resources) costs $0.05 or more.
 *
 * The fake's assumptions (BENCHMARKS.md, "AWS API cost per run"):
 * - Cost Explorer pages hold at most 2,000 group rows, split on day boundaries (whole days per page;
 *   a day with more groups than that continues on the next page).
 * - Cost Explorer marks every day of the current month as Estimated (the bill is not final), and the
 *   previous month's too until the 5th (`--estimated recent`: only the last 2 days, for comparison).
 * - GetResources returns 100 resources per page; GetMetricData answers every query in one page.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { mock } from 'node:test';
import { seededRandom } from '../scripts/lib/focus-writer.js';
import { runGovernance } from '../src/app/governance-run.js';
import { setupRun } from '../src/app/run-setup.js';
import { addDaysIso, eachDay, type IsoDate, minDate, startOfMonthIso } from '../src/core/calendar.js';
import { planIdleScan } from '../src/core/idle/idle-scan.js';
import { formatMoney, type Money, moneyToNumber, parseMoney, scaleMoney } from '../src/core/money.js';
import { parseArn, type TaggedResource } from '../src/inventory/resource.js';
import { loadPolicies } from '../src/policy/load-policies.js';
import { LocalStateStore } from '../src/state/local-state-store.js';
import { useFakeAwsEnv } from '../test/support/fake-aws-env.js';
import { FakeAwsServer, type FakeResponse, type RecordedRequest } from '../test/support/fake-aws-server.js';

// The SDK warns about the Node version, node:test about its experimental clock: neither is a result.
process.removeAllListeners('warning');

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const TAG_KEY = 'poc';
const RESOURCES_PER_POC = 50;
const DEFAULT_SCALES = [10, 100, 1000];
/** The cold run's as-of day; the steady-state run is the day after. Mid-month: an average day. */
const FIRST_AS_OF: IsoDate = '2026-11-16';
const NEXT_AS_OF: IsoDate = addDaysIso(FIRST_AS_OF, 1);
/** Daily runs happen in the morning (UTC). */
const RUN_TIME = 'T06:00:00Z';
/** Assumed Cost Explorer page size: group rows per page, pages split on day boundaries. */
const CE_PAGE_ROWS = 2000;
/** The previous month's bill is assumed final from this day of the month on. */
const BILL_FINAL_DAY = 5;
/** The issue's budget: a daily run for 100 PoCs and 5,000 resources. */
const BUDGET_SCALE = 100;
const BUDGET = parseMoney('0.05');
const GET_METRIC_STATISTICS_PRICE = parseMoney('0.01'); // per 1,000 requests
const GET_COST_AND_USAGE_PRICE = parseMoney('0.01'); // per request
const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

// ---------------------------------------------------------------------------------------------
// Inventory
// ---------------------------------------------------------------------------------------------

type Kind =
  | 'lambda'
  | 'http-api'
  | 'rest-api'
  | 'dynamodb'
  | 'sqs'
  | 'sns'
  | 'states'
  | 'nat'
  | 'alb'
  | 'rds'
  | 'ebs'
  | 'eip';

/** 50 resources per PoC: a serverless app plus its network, load balancer, database and disks. */
const MIX: ReadonlyArray<[Kind, number]> = [
  ['lambda', 17],
  ['http-api', 2],
  ['rest-api', 1],
  ['dynamodb', 5],
  ['sqs', 7],
  ['sns', 4],
  ['states', 3],
  ['nat', 1],
  ['alb', 1],
  ['rds', 1],
  ['ebs', 6],
  ['eip', 2],
];

/** Cost Explorer SERVICE values for that mix, with a typical daily cost per PoC. */
const POC_SERVICES: ReadonlyArray<[string, number]> = [
  ['AWS Lambda', 0.4],
  ['Amazon API Gateway', 0.2],
  ['Amazon DynamoDB', 0.3],
  ['Amazon Simple Queue Service', 0.05],
  ['Amazon Simple Notification Service', 0.02],
  ['AWS Step Functions', 0.05],
  ['EC2 - Other', 1.3],
  ['Amazon Elastic Load Balancing', 0.6],
  ['Amazon Relational Database Service', 1.2],
  ['Amazon Virtual Private Cloud', 0.24],
  ['AmazonCloudWatch', 0.1],
];

/** Spend without the PoC tag: one group per service per day. */
const UNTAGGED_SERVICES = [
  'AWS CloudTrail',
  'AWS Config',
  'AWS Key Management Service',
  'AWS Secrets Manager',
  'Amazon Route 53',
  'Amazon Simple Storage Service',
  'Amazon Elastic Compute Cloud - Compute',
  'Amazon GuardDuty',
  'AWS Security Hub',
  'Amazon Elastic Container Registry',
  'AWS Backup',
  'Amazon EventBridge',
  'AWS Systems Manager',
  'Amazon Inspector',
  'Tax',
];

const WORDS = ['checkout', 'search', 'chatbot', 'invoice', 'pricing', 'imaging', 'ledger', 'routing'];

interface Poc {
  name: string;
  start: IsoDate;
  expires: IsoDate;
  monthly: number;
  total?: number;
  /** A function whose invocations measure a pay-per-use budget. */
  perUse?: string;
}

/** How a resource's activity signal behaves over time. */
type Pattern = 'idle' | 'daily' | 'weekly';

interface SimResource {
  kind: Kind;
  poc: Poc;
  arn: string;
  /** Function, table, queue ... name; NAT gateway, volume or allocation id. */
  name: string;
  tags: Record<string, string>;
  pattern: Pattern;
  /** Day offset of a weekly job. */
  phase: number;
  /** "Name=Value" of the CloudWatch dimension the idle rule queries by. */
  dimension?: string;
}

interface Inventory {
  pocs: Poc[];
  resources: SimResource[];
  byDimension: Map<string, SimResource>;
}

function hex(random: () => number, length: number): string {
  let text = '';
  while (text.length < length) text += Math.floor(random() * 16).toString(16);
  return text;
}

function buildInventory(pocCount: number): Inventory {
  if (MIX.reduce((sum, [, count]) => sum + count, 0) !== RESOURCES_PER_POC) throw new Error('MIX != 50');
  const random = seededRandom(20_261_116 + pocCount);
  const pocs: Poc[] = [];
  for (let i = 0; i < pocCount; i++) {
    const poc: Poc = {
      name: `${WORDS[i % WORDS.length]}-${i + 1}`,
      // PoCs run for weeks to a few months.
      start: addDaysIso(FIRST_AS_OF, -(20 + Math.floor(random() * 70))),
      // ~6% are past their expiry day; their stacks were never removed.
      expires: addDaysIso(FIRST_AS_OF, i % 16 === 5 ? -(1 + Math.floor(random() * 15)) : 10 + i),
      monthly: 50 * (1 + Math.floor(random() * 10)),
    };
    // ~4% have a lifetime budget, which makes the first run reach back to their start.
    if (i % 25 === 3) poc.total = poc.monthly * 3;
    pocs.push(poc);
  }

  const resources: SimResource[] = [];
  for (const [index, poc] of pocs.entries()) {
    for (const [kind, count] of MIX) {
      for (let n = 1; n <= count; n++) {
        const resource = makeResource(kind, poc, n, random);
        // ~10% idle; of the busy ones a quarter run weekly, the rest every day.
        const roll = random();
        resource.pattern = roll < 0.1 ? 'idle' : roll < 0.325 ? 'weekly' : 'daily';
        resource.phase = Math.floor(random() * 7);
        // ~2% carry the protect tag.
        if (random() < 0.02) resource.tags['pocketwatch:protect'] = 'true';
        resources.push(resource);
      }
    }
    // ~3% have a pay-per-use budget on their first function, which is busy every day.
    if (index % 30 === 7) {
      const fn = resources.find((resource) => resource.poc === poc && resource.kind === 'lambda');
      if (fn) {
        fn.pattern = 'daily';
        poc.perUse = fn.name;
      }
    }
  }
  const byDimension = new Map<string, SimResource>();
  for (const resource of resources) if (resource.dimension) byDimension.set(resource.dimension, resource);
  return { pocs, resources, byDimension };
}

function makeResource(kind: Kind, poc: Poc, n: number, random: () => number): SimResource {
  const apigateway = `arn:aws:apigateway:${REGION}::`;
  const tags: Record<string, string> = { [TAG_KEY]: poc.name, env: 'poc' };
  const base = { kind, poc, tags, pattern: 'daily' as Pattern, phase: 0 };
  const name = `${poc.name}-${kind}-${n}`;
  const at = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
  switch (kind) {
    case 'lambda':
      return { ...base, name, arn: at('lambda', `function:${name}`), dimension: `FunctionName=${name}` };
    case 'http-api': {
      const id = hex(random, 10);
      return { ...base, name: id, arn: `${apigateway}/apis/${id}`, dimension: `ApiId=${id}` };
    }
    case 'rest-api': {
      const id = hex(random, 10);
      tags.Name = name;
      return { ...base, name, arn: `${apigateway}/restapis/${id}`, dimension: `ApiName=${name}` };
    }
    case 'dynamodb':
      return { ...base, name, arn: at('dynamodb', `table/${name}`), dimension: `TableName=${name}` };
    case 'sqs':
      return { ...base, name, arn: at('sqs', name), dimension: `QueueName=${name}` };
    case 'sns':
      return { ...base, name, arn: at('sns', name), dimension: `TopicName=${name}` };
    case 'states': {
      const arn = at('states', `stateMachine:${name}`);
      return { ...base, name, arn, dimension: `StateMachineArn=${arn}` };
    }
    case 'nat': {
      const id = `nat-${hex(random, 17)}`;
      return { ...base, name: id, arn: at('ec2', `natgateway/${id}`), dimension: `NatGatewayId=${id}` };
    }
    case 'alb': {
      const id = `app/${name}/${hex(random, 16)}`;
      return {
        ...base,
        name,
        arn: at('elasticloadbalancing', `loadbalancer/${id}`),
        dimension: `LoadBalancer=${id}`,
      };
    }
    case 'rds':
      return { ...base, name, arn: at('rds', `db:${name}`), dimension: `DBInstanceIdentifier=${name}` };
    case 'ebs': {
      const id = `vol-${hex(random, 17)}`;
      return { ...base, name: id, arn: at('ec2', `volume/${id}`) };
    }
    case 'eip': {
      const id = `eipalloc-${hex(random, 17)}`;
      return { ...base, name: id, arn: at('ec2', `elastic-ip/${id}`) };
    }
  }
}

function toTagged(resource: SimResource): TaggedResource {
  const parsed = parseArn(resource.arn);
  return {
    arn: resource.arn,
    type: parsed.type,
    region: REGION,
    account: parsed.account,
    id: parsed.resourceId,
    tags: resource.tags,
    poc: resource.poc.name,
  };
}

async function writePolicies(dir: string, pocs: readonly Poc[]): Promise<void> {
  await writeFile(join(dir, 'settings.yaml'), `tagKey: ${TAG_KEY}\nregions: [${REGION}]\n`);
  for (const poc of pocs) {
    const lines = [
      `poc: ${poc.name}`,
      `owners: [${poc.name}@example.com]`,
      'budget:',
      `  monthly: ${poc.monthly}`,
      ...(poc.total ? [`  total: ${poc.total}`] : []),
      ...(poc.perUse
        ? ['  perUse:', `    signal: { resource: ${poc.perUse} }`, '    per: 1000', '    max: 0.5']
        : []),
      `start: ${poc.start}`,
      `expires: ${poc.expires}`,
      '',
    ];
    await writeFile(join(dir, `${poc.name}.yaml`), lines.join('\n'));
  }
}

// ---------------------------------------------------------------------------------------------
// The fake AWS endpoint
// ---------------------------------------------------------------------------------------------

/** A stable number in [0, 1) for a string (FNV-1a). */
function hash01(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 4294967296;
}

/** A metric's daily value, or undefined when CloudWatch has no datapoint that day. */
function metricValue(resource: SimResource, metricName: string, day: number): number | undefined {
  const active =
    resource.pattern === 'daily' || (resource.pattern === 'weekly' && (day + resource.phase) % 7 === 0);
  if (!active) {
    // Gauges of a running database report 0; count metrics publish nothing.
    return resource.kind === 'rds' ? 0 : undefined;
  }
  const scale = resource.kind === 'alb' ? 5000 : resource.kind === 'rds' ? 20 : 2000;
  return Math.ceil(scale * (0.2 + hash01(`${resource.name}:${metricName}:${day}`)));
}

/**
 * Which days Cost Explorer calls estimated: `month`, the open bill (current month, and the previous
 * one until it is final); `recent`, only the last 2 days.
 */
type EstimatedMode = 'month' | 'recent';

function isEstimated(day: IsoDate, today: IsoDate, mode: EstimatedMode): boolean {
  if (mode === 'recent') return day >= addDaysIso(today, -2);
  const thisMonth = startOfMonthIso(today);
  if (day >= thisMonth) return true;
  const final = Number(today.slice(8, 10)) >= BILL_FINAL_DAY;
  return !final && day >= startOfMonthIso(addDaysIso(thisMonth, -1));
}

interface PageChunk {
  day: IsoDate;
  from: number;
  to: number;
}

/** Whole days per page while they fit in CE_PAGE_ROWS rows; a bigger day is split over pages. */
function planPages(days: ReadonlyArray<{ day: IsoDate; rows: number }>): PageChunk[][] {
  const pages: PageChunk[][] = [];
  let page: PageChunk[] = [];
  let used = 0;
  for (const { day, rows } of days) {
    if (used > 0 && used + rows > CE_PAGE_ROWS) {
      pages.push(page);
      page = [];
      used = 0;
    }
    for (let from = 0; from < rows; from += CE_PAGE_ROWS) {
      const to = Math.min(rows, from + CE_PAGE_ROWS);
      if (from > 0) {
        pages.push(page);
        page = [];
        used = 0;
      }
      page.push({ day, from, to });
      used += to - from;
    }
  }
  if (page.length > 0) pages.push(page);
  return pages;
}

function costAndUsage(
  inventory: Inventory,
  clock: () => IsoDate,
  mode: EstimatedMode,
  request: RecordedRequest,
): FakeResponse {
  const body = request.body as { TimePeriod: { Start: string; End: string }; NextPageToken?: string };
  const today = clock();
  const end = minDate(body.TimePeriod.End, addDaysIso(today, 1));
  const days = eachDay(body.TimePeriod.Start, end).map((day) => {
    const pocs = inventory.pocs.filter((poc) => poc.start <= day);
    return { day, pocs, rows: UNTAGGED_SERVICES.length + pocs.length * POC_SERVICES.length };
  });
  const pages = planPages(days);
  const index = body.NextPageToken ? Number(body.NextPageToken.split(':')[1]) : 0;
  const chunks = pages[index] ?? [];
  const byDay = new Map(days.map((entry) => [entry.day, entry]));
  const amount = (key: string, base: number) => (base * (0.6 + 0.8 * hash01(key))).toFixed(10);
  const group = (keys: [string, string], value: string) => ({
    Keys: keys,
    Metrics: { UnblendedCost: { Amount: value, Unit: 'USD' } },
  });
  return {
    body: {
      GroupDefinitions: [
        { Type: 'TAG', Key: TAG_KEY },
        { Type: 'DIMENSION', Key: 'SERVICE' },
      ],
      ResultsByTime: chunks.map(({ day, from, to }) => {
        const pocs = byDay.get(day)?.pocs ?? [];
        const groups = [];
        for (let row = from; row < to; row++) {
          if (row < UNTAGGED_SERVICES.length) {
            const service = UNTAGGED_SERVICES[row] as string;
            groups.push(group([`${TAG_KEY}$`, service], amount(`${day}:${service}`, 0.8)));
            continue;
          }
          const offset = row - UNTAGGED_SERVICES.length;
          const poc = pocs[Math.floor(offset / POC_SERVICES.length)] as Poc;
          const [service, base] = POC_SERVICES[offset % POC_SERVICES.length] as [string, number];
          groups.push(
            group([`${TAG_KEY}$${poc.name}`, service], amount(`${day}:${poc.name}:${service}`, base)),
          );
        }
        return {
          TimePeriod: { Start: day, End: addDaysIso(day, 1) },
          Total: {},
          Groups: groups,
          Estimated: isEstimated(day, today, mode),
        };
      }),
      DimensionValueAttributes: [],
      ...(index + 1 < pages.length ? { NextPageToken: `page:${index + 1}` } : {}),
    },
  };
}

function getResources(inventory: Inventory, request: RecordedRequest): FakeResponse {
  const body = request.body as { ResourcesPerPage?: number; PaginationToken?: string };
  const size = Math.min(body.ResourcesPerPage ?? 50, 100);
  const offset = body.PaginationToken ? Number(body.PaginationToken.split(':')[1]) : 0;
  const page = inventory.resources.slice(offset, offset + size);
  return {
    body: {
      PaginationToken: offset + size < inventory.resources.length ? `offset:${offset + size}` : '',
      ResourceTagMappingList: page.map((resource) => ({
        ResourceARN: resource.arn,
        Tags: Object.entries(resource.tags).map(([Key, Value]) => ({ Key, Value })),
      })),
    },
  };
}

interface MetricDataBody {
  StartTime: number | string;
  EndTime: number | string;
  MetricDataQueries: Array<{
    Id: string;
    MetricStat: {
      Metric: { MetricName: string; Dimensions?: Array<{ Name: string; Value: string }> };
      Period: number;
    };
  }>;
}

const epochSeconds = (value: number | string) =>
  typeof value === 'number' ? value : Date.parse(value) / 1000;

function getMetricData(inventory: Inventory, request: RecordedRequest): FakeResponse {
  const body = request.body as unknown as MetricDataBody;
  const start = epochSeconds(body.StartTime);
  const end = epochSeconds(body.EndTime);
  return {
    body: {
      Messages: [],
      MetricDataResults: body.MetricDataQueries.map((query) => {
        const { Metric, Period } = query.MetricStat;
        const dimension = Metric.Dimensions?.[0];
        const resource = dimension && inventory.byDimension.get(`${dimension.Name}=${dimension.Value}`);
        const timestamps: number[] = [];
        const values: number[] = [];
        if (resource) {
          for (let t = start; t < end; t += Period) {
            const value = metricValue(resource, Metric.MetricName, Math.floor(t / 86_400));
            if (value === undefined) continue;
            timestamps.push(t);
            values.push(value);
          }
        }
        return {
          Id: query.Id,
          Label: Metric.MetricName,
          StatusCode: 'Complete',
          Timestamps: timestamps,
          Values: values,
        };
      }),
    },
  };
}

const tagSetXml = (tags: Record<string, string>) =>
  `<tagSet>${Object.entries(tags)
    .map(([key, value]) => `<item><key>${key}</key><value>${value}</value></item>`)
    .join('')}</tagSet>`;

/** A page of a paginated EC2 describe: MaxResults and NextToken as the query protocol sends them. */
function ec2Page<T>(request: RecordedRequest, items: readonly T[]): { page: T[]; next: string } {
  const size = Number(request.body.MaxResults ?? 1000);
  const token = request.body.NextToken;
  const offset = typeof token === 'string' ? Number(token.split(':')[1]) : 0;
  const next = offset + size < items.length ? `<nextToken>offset:${offset + size}</nextToken>` : '';
  return { page: items.slice(offset, offset + size), next };
}

const ofKind = (inventory: Inventory, kind: Kind) =>
  inventory.resources.filter((resource) => resource.kind === kind);

function describeVolumes(inventory: Inventory, request: RecordedRequest): FakeResponse {
  const { page, next } = ec2Page(request, ofKind(inventory, 'ebs'));
  const items = page.map((volume) => {
    const attached = volume.pattern !== 'idle';
    const created = `${volume.poc.start}T09:00:00.000Z`;
    const attachments = attached
      ? `<attachmentSet><item><volumeId>${volume.name}</volumeId><instanceId>i-${volume.name.slice(4)}</instanceId><device>/dev/xvdf</device><status>attached</status><attachTime>${created}</attachTime><deleteOnTermination>false</deleteOnTermination></item></attachmentSet>`
      : '<attachmentSet/>';
    return `<item><volumeId>${volume.name}</volumeId><size>100</size><availabilityZone>${REGION}a</availabilityZone><status>${attached ? 'in-use' : 'available'}</status><createTime>${created}</createTime>${attachments}<volumeType>gp3</volumeType>${tagSetXml(volume.tags)}</item>`;
  });
  return {
    body: `<DescribeVolumesResponse xmlns="${EC2_NS}"><requestId>1</requestId><volumeSet>${items.join('')}</volumeSet>${next}</DescribeVolumesResponse>`,
  };
}

function describeAddresses(inventory: Inventory): FakeResponse {
  const items = ofKind(inventory, 'eip').map((address, i) => {
    const association =
      address.pattern === 'idle' ? '' : `<associationId>eipassoc-${address.name.slice(9)}</associationId>`;
    return `<item><allocationId>${address.name}</allocationId><publicIp>198.51.${(i >> 8) & 255}.${i & 255}</publicIp><domain>vpc</domain>${association}${tagSetXml(address.tags)}</item>`;
  });
  return {
    body: `<DescribeAddressesResponse xmlns="${EC2_NS}"><requestId>1</requestId><addressesSet>${items.join('')}</addressesSet></DescribeAddressesResponse>`,
  };
}

function describeNatGateways(inventory: Inventory, request: RecordedRequest): FakeResponse {
  const { page, next } = ec2Page(request, ofKind(inventory, 'nat'));
  const items = page.map(
    (nat) =>
      `<item><natGatewayId>${nat.name}</natGatewayId><state>available</state><createTime>${nat.poc.start}T09:00:00.000Z</createTime><vpcId>vpc-1</vpcId><subnetId>subnet-1</subnetId>${tagSetXml(nat.tags)}</item>`,
  );
  return {
    body: `<DescribeNatGatewaysResponse xmlns="${EC2_NS}"><requestId>1</requestId><natGatewaySet>${items.join('')}</natGatewaySet>${next}</DescribeNatGatewaysResponse>`,
  };
}

function fakeAws(inventory: Inventory, clock: () => IsoDate, mode: EstimatedMode): FakeAwsServer {
  return new FakeAwsServer()
    .on('GetCallerIdentity', () => ({
      body: `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::${ACCOUNT}:user/bench</Arn><UserId>AIDAEXAMPLE</UserId><Account>${ACCOUNT}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
    }))
    .on('GetCostAndUsage', (request) => costAndUsage(inventory, clock, mode, request))
    .on('GetResources', (request) => getResources(inventory, request))
    .on('GetMetricData', (request) => getMetricData(inventory, request))
    .on('DescribeVolumes', (request) => describeVolumes(inventory, request))
    .on('DescribeAddresses', () => describeAddresses(inventory))
    .on('DescribeNatGateways', (request) => describeNatGateways(inventory, request));
}

// ---------------------------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------------------------

/** The process clock, at a simulated day; it keeps ticking so waits and timeouts still work. */
class SimulatedClock {
  private day: IsoDate = FIRST_AS_OF;
  private readonly ticker: NodeJS.Timeout;

  constructor() {
    mock.timers.enable({ apis: ['Date'], now: Date.parse(`${this.day}${RUN_TIME}`) });
    this.ticker = setInterval(() => mock.timers.tick(20), 20);
    this.ticker.unref();
  }

  set(day: IsoDate): void {
    this.day = day;
    mock.timers.setTime(Date.parse(`${day}${RUN_TIME}`));
  }

  today(): IsoDate {
    return this.day;
  }

  stop(): void {
    clearInterval(this.ticker);
    mock.timers.reset();
  }
}

interface RunResult {
  asOf: IsoDate;
  calls: Record<string, number>;
  units: Record<string, number>;
  cost: Money;
  seconds: number;
  proposed: number;
  warnings: string[];
}

async function runOnce(
  server: FakeAwsServer,
  clock: SimulatedClock,
  policiesDir: string,
  statePath: string,
  asOf: IsoDate,
): Promise<RunResult> {
  clock.set(asOf);
  const loaded = await loadPolicies(policiesDir);
  if (!loaded.policySet) throw new Error(`policies: ${JSON.stringify(loaded.errors.slice(0, 3))}`);
  const { policySet } = loaded;
  const state = new LocalStateStore(statePath);
  const seen = server.requests.length;
  const started = performance.now();
  const setup = await setupRun('aws', policySet.settings, state);
  const meter = setup.meter;
  if (!meter) throw new Error('a live run has a meter');
  try {
    const report = await runGovernance({
      source: setup.source,
      scanner: setup.scanner,
      meter,
      policySet,
      asOf,
      state,
      now: new Date(),
    });
    const seconds = (performance.now() - started) / 1000;
    const calls = meter.counts();
    // The meter and the server's request log must agree.
    const logged: Record<string, number> = {};
    for (const request of server.requests.slice(seen)) {
      logged[request.operation] = (logged[request.operation] ?? 0) + 1;
    }
    for (const [operation, count] of Object.entries(calls)) {
      const name = operation.split(':')[1] ?? operation;
      if (logged[name] !== count) {
        throw new Error(`${operation}: meter counted ${count}, the server saw ${logged[name] ?? 0}`);
      }
    }
    server.requests.length = 0;
    return {
      asOf,
      calls,
      units: meter.billedUnits(),
      cost: meter.cost(),
      seconds,
      proposed: report.recommendations.reduce((sum, r) => sum + r.resources.length, 0),
      warnings: report.warnings.map((warning) => warning.code),
    };
  } finally {
    setup.close();
  }
}

interface ScaleResult {
  pocs: number;
  resources: number;
  idle: number;
  expiredResources: number;
  custodianRequests: number;
  cold: RunResult;
  steady: RunResult;
}

async function runScale(pocCount: number, clock: SimulatedClock, mode: EstimatedMode): Promise<ScaleResult> {
  const inventory = buildInventory(pocCount);
  const dir = await mkdtemp(join(os.tmpdir(), `pocketwatch-bench-api-${pocCount}-`));
  const policiesDir = join(dir, 'policies');
  const statePath = join(dir, 'state.json');
  const server = fakeAws(inventory, () => clock.today(), mode);
  const endpoint = await server.start();
  const restoreEnv = useFakeAwsEnv({ AWS_ENDPOINT_URL: endpoint, POCKETWATCH_AWS_MAX_ATTEMPTS: '1' });
  try {
    await mkdir(policiesDir);
    await writePolicies(policiesDir, inventory.pocs);
    const cold = await runOnce(server, clock, policiesDir, statePath, FIRST_AS_OF);
    const steady = await runOnce(server, clock, policiesDir, statePath, NEXT_AS_OF);
    const expired = new Set(inventory.pocs.filter((poc) => poc.expires < NEXT_AS_OF).map((poc) => poc.name));
    return {
      pocs: pocCount,
      resources: inventory.resources.length,
      idle: inventory.resources.filter((resource) => resource.pattern === 'idle').length,
      expiredResources: inventory.resources.filter((resource) => expired.has(resource.poc.name)).length,
      // Custodian-style: one GetMetricStatistics call per resource per metric of the same idle rules.
      custodianRequests: planIdleScan(inventory.resources.map(toTagged), NEXT_AS_OF).queries.length,
      cold,
      steady,
    };
  } finally {
    restoreEnv();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

const usd = (amount: Money, decimals = 4) => `$${formatMoney(amount, decimals)}`;
const int = (value: number) => value.toLocaleString('en-US');
const times = (amount: Money, factor: number) => scaleMoney(amount, BigInt(factor), 1n);

function describeCalls(run: RunResult): string {
  const ec2 = ['ec2:DescribeVolumes', 'ec2:DescribeAddresses', 'ec2:DescribeNatGateways']
    .map((operation) => run.calls[operation] ?? 0)
    .join(' / ');
  return [
    int(run.calls['ce:GetCostAndUsage'] ?? 0),
    int(run.calls['tag:GetResources'] ?? 0),
    `${int(run.calls['cloudwatch:GetMetricData'] ?? 0)} (${int(run.units['cloudwatch:GetMetricData'] ?? 0)})`,
    ec2,
    int(run.calls['sts:GetCallerIdentity'] ?? 0),
  ].join(' | ');
}

function printResults(results: readonly ScaleResult[]): void {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out();
  out(
    `pocketwatch live run, measured (cold: as of ${FIRST_AS_OF}, no state; steady: as of ${NEXT_AS_OF}, with it)`,
  );
  out();
  out(
    '| PoCs | resources | run | ce:GetCostAndUsage | tag:GetResources | cloudwatch:GetMetricData calls (metrics) | ec2 Volumes / Addresses / NatGateways | sts | API cost | ×30 | wall (s) |',
  );
  out('|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const result of results) {
    for (const [label, run] of [
      ['cold', result.cold],
      ['steady', result.steady],
    ] as const) {
      out(
        `| ${int(result.pocs)} | ${int(result.resources)} | ${label} | ${describeCalls(run)} | ${usd(run.cost)} | ${usd(times(run.cost, 30), 2)} | ${run.seconds.toFixed(1)} |`,
      );
    }
  }
  out();
  out('Per daily run and per month (×30), same inventory:');
  out();
  out(
    '| PoCs | pocketwatch steady | ×30 | Custodian-style GetMetricStatistics calls | cost | ×30 | per-PoC GetCostAndUsage calls | cost | ×30 |',
  );
  out('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const result of results) {
    const custodian = scaleMoney(GET_METRIC_STATISTICS_PRICE, BigInt(result.custodianRequests), 1000n);
    const perPoc = times(GET_COST_AND_USAGE_PRICE, result.pocs);
    out(
      `| ${int(result.pocs)} | ${usd(result.steady.cost)} | ${usd(times(result.steady.cost, 30), 2)} | ${int(result.custodianRequests)} | ${usd(custodian)} | ${usd(times(custodian, 30), 2)} | ${int(result.pocs)} | ${usd(perPoc, 2)} | ${usd(times(perPoc, 30), 2)} |`,
    );
  }
  out();
  for (const result of results) {
    const warnings = [...new Set([...result.cold.warnings, ...result.steady.warnings])];
    out(
      `${int(result.pocs)} PoCs: ${int(result.idle)} idle resources and ${int(result.expiredResources)} in expired PoCs seeded; ` +
        `proposed for teardown: ${int(result.cold.proposed)} (cold), ${int(result.steady.proposed)} (steady)` +
        (warnings.length > 0 ? `; warnings: ${warnings.join(', ')}` : ''),
    );
  }
}

interface Options {
  scales: number[];
  estimated: EstimatedMode;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at < 0 ? undefined : (argv[at + 1] ?? '');
  };
  const scalesText = value('--scales');
  const scales = scalesText === undefined ? DEFAULT_SCALES : scalesText.split(',').map(Number);
  if (scales.length === 0 || scales.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error('--scales takes a comma-separated list of PoC counts, e.g. 10,100');
  }
  const estimated = value('--estimated') ?? 'month';
  if (estimated !== 'month' && estimated !== 'recent') throw new Error('--estimated takes month or recent');
  return { scales, estimated };
}

export async function main(argv: readonly string[]): Promise<number> {
  const { scales, estimated } = parseOptions(argv);
  const cpus = os.cpus();
  process.stdout.write(
    `AWS API cost per run: ${cpus.length}-core ${cpus[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n` +
      `Fake Cost Explorer: at most ${int(CE_PAGE_ROWS)} group rows per page (whole days), estimated days: ${estimated === 'month' ? 'the open bill (current month)' : 'the last 2'}\n`,
  );
  const clock = new SimulatedClock();
  const results: ScaleResult[] = [];
  const started = performance.now();
  try {
    for (const pocCount of scales) {
      process.stdout.write(`  ${int(pocCount)} PoCs ...`);
      const result = await runScale(pocCount, clock, estimated);
      process.stdout.write(` ${(result.cold.seconds + result.steady.seconds).toFixed(1)} s\n`);
      results.push(result);
    }
  } finally {
    clock.stop();
  }
  printResults(results);
  process.stdout.write(`\ntotal ${((performance.now() - started) / 1000).toFixed(1)} s\n`);

  const budgeted = results.find((result) => result.pocs === BUDGET_SCALE);
  if (!budgeted) return 0;
  const pass = budgeted.steady.cost < BUDGET;
  process.stdout.write(
    `\n${pass ? 'PASS' : 'FAIL'}: a steady-state daily run for ${BUDGET_SCALE} PoCs (${int(budgeted.resources)} resources) costs ${usd(budgeted.steady.cost)} (budget: under ${usd(BUDGET, 2)}; ${moneyToNumber(budgeted.steady.cost) > 0 ? `${((moneyToNumber(budgeted.steady.cost) / moneyToNumber(BUDGET)) * 100).toFixed(0)}% of it` : 'free'})\n`,
  );
  return pass ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
