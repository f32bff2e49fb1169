/**
 * Benchmark: pocketwatch's FOCUS reader against DuckDB on a 1,000,000-row AWS FOCUS export.
 *
 *   npx tsx bench/focus-vs-duckdb.ts            # generate bench/out/focus-1m.csv once, then 3 runs of each tool
 *   npx tsx bench/focus-vs-duckdb.ts --runs 5   # more runs (`npm run bench` runs it, then bench/api-cost.ts)
 *
 * Each run happens in its own child process so the peak RSS printed is that tool's alone. Both tools
 * compute the same per-day per-PoC sums; the parent checks that their per-PoC monthly totals agree.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  FOCUS_EXPORT_COLUMNS,
  type FocusRecord,
  focusHeader,
  focusLine,
  seededRandom,
} from '../scripts/lib/focus-writer.js';
import { addDaysIso } from '../src/core/calendar.js';
import { evaluate } from '../src/core/evaluate.js';
import { formatMoneyExact, parseMoney } from '../src/core/money.js';
import { defaultSettings } from '../src/policy/defaults.js';
import { FocusCostSource } from '../src/sources/focus-source.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT_DIR = join(HERE, 'out');
const ROWS = 1_000_000;
const SEED = 20_240_918;
const DATA_FILE = join(OUT_DIR, `focus-${ROWS / 1_000_000}m-seed${SEED}.csv`);
const TAG_KEY = 'poc';

// ---------------------------------------------------------------------------------------------
// Data generation
// ---------------------------------------------------------------------------------------------

interface ServiceSpec {
  name: string;
  code: string;
  category: string;
  usage: string;
  operation: string;
  unit: string;
  rate: number;
}

const SERVICE_NAMES: Array<[string, string, string]> = [
  ['Amazon Elastic Compute Cloud', 'AmazonEC2', 'Compute'],
  ['Amazon Simple Storage Service', 'AmazonS3', 'Storage'],
  ['Amazon Relational Database Service', 'AmazonRDS', 'Databases'],
  ['AWS Lambda', 'AWSLambda', 'Compute'],
  ['Amazon DynamoDB', 'AmazonDynamoDB', 'Databases'],
  ['Amazon CloudFront', 'AmazonCloudFront', 'Networking'],
  ['Amazon Virtual Private Cloud', 'AmazonVPC', 'Networking'],
  ['Amazon Elastic Container Service', 'AmazonECS', 'Compute'],
  ['Amazon Elastic Kubernetes Service', 'AmazonEKS', 'Compute'],
  ['Amazon CloudWatch', 'AmazonCloudWatch', 'Management and Governance'],
  ['Amazon Simple Queue Service', 'AWSQueueService', 'Integration'],
  ['Amazon Simple Notification Service', 'AmazonSNS', 'Integration'],
  ['AWS Key Management Service', 'awskms', 'Security'],
  ['AWS Secrets Manager', 'AWSSecretsManager', 'Security'],
  ['Amazon Route 53', 'AmazonRoute53', 'Networking'],
  ['Amazon API Gateway', 'AmazonApiGateway', 'Networking'],
  ['Amazon ElastiCache', 'AmazonElastiCache', 'Databases'],
  ['Amazon OpenSearch Service', 'AmazonES', 'Analytics'],
  ['Amazon Kinesis', 'AmazonKinesis', 'Analytics'],
  ['AWS Glue', 'AWSGlue', 'Analytics'],
  ['Amazon Athena', 'AmazonAthena', 'Analytics'],
  ['Amazon SageMaker', 'AmazonSageMaker', 'AI and Machine Learning'],
  ['Amazon Bedrock', 'AmazonBedrock', 'AI and Machine Learning'],
  ['Amazon Elastic File System', 'AmazonEFS', 'Storage'],
  ['Amazon Elastic Container Registry', 'AmazonECR', 'Storage'],
  ['AWS Step Functions', 'AWSStepFunctions', 'Integration'],
  ['Amazon EventBridge', 'AWSEvents', 'Integration'],
  ['AWS CloudTrail', 'AWSCloudTrail', 'Management and Governance'],
  ['AWS Config', 'AWSConfig', 'Management and Governance'],
  ['Elastic Load Balancing', 'AWSELB', 'Networking'],
];

const REGIONS: Array<[string, string]> = [
  ['us-east-1', 'US East (N. Virginia)'],
  ['eu-west-1', 'Europe (Ireland)'],
  ['eu-central-1', 'Europe (Frankfurt)'],
  ['ap-northeast-1', 'Asia Pacific (Tokyo)'],
];

interface Resource {
  service: ServiceSpec;
  account: string;
  accountName: string;
  region: [string, string];
  id: string;
  tags: string | null;
}

function buildResources(random: () => number): Resource[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const services: ServiceSpec[] = SERVICE_NAMES.map(([name, code, category], i) => ({
    name,
    code,
    category,
    usage: `USE1-${code}-Usage:${['t3.medium', 'm5.large', 'GB-Mo', 'Requests-Tier1', 'DataTransfer-Out-Bytes'][i % 5]}`,
    operation: ['RunInstances', 'PutObject', 'CreateDBInstance', 'Invoke', 'NatGateway'][i % 5] as string,
    unit: ['Hrs', 'GB-Mo', 'Requests', 'GB'][i % 4] as string,
    rate: 0.0001 + random() * 0.5,
  }));
  const accounts = Array.from({ length: 5 }, (_, i) => ({
    id: String(100_000_000_000 + Math.floor(random() * 899_999_999_999)),
    name: `poc-sandbox-${i + 1}`,
  }));
  // ~200 PoC names; a few with multi-byte UTF-8 so the decoder is exercised on real-looking data.
  const words = ['alpha', 'bravo', 'cedar', 'delta', 'ember', 'fjord', 'garnet', 'harbor', 'iris', 'juniper'];
  const pocs = Array.from({ length: 200 }, (_, i) =>
    i % 67 === 5 ? `café-β-${i}` : `${words[i % words.length]}-${Math.floor(i / words.length) + 1}`,
  );
  const owners = ['ana', 'bo', 'chen', 'dita', 'emeka', 'farah', 'goran', 'hiro'];
  const resources: Resource[] = [];
  for (let i = 0; i < 6000; i++) {
    const service = pick(services);
    const account = pick(accounts);
    const region = pick(REGIONS);
    const roll = random();
    let tags: string | null;
    if (roll < 0.06) tags = null;
    else if (roll < 0.1) tags = '{}';
    else if (roll < 0.15)
      tags = JSON.stringify({ 'user:env': pick(['dev', 'test']), 'aws:createdBy': 'IAMUser' });
    else {
      const poc = pick(pocs);
      const entries: Record<string, string> = {};
      if (random() < 0.15) entries['aws:createdBy'] = `AssumedRole:AROA${Math.floor(random() * 1e9)}`;
      entries[random() < 0.7 ? `user:${TAG_KEY}` : TAG_KEY] = poc;
      entries['user:env'] = pick(['dev', 'test', 'demo']);
      entries['user:owner'] = pick(owners);
      if (random() < 0.2) entries['user:Name'] = `${poc}-${service.code.toLowerCase()}-${i}`;
      tags = JSON.stringify(entries);
    }
    resources.push({
      service,
      account: account.id,
      accountName: account.name,
      region,
      id: `arn:aws:${service.code.toLowerCase()}:${region[0]}:${account.id}:r-${(i * 2_654_435_761).toString(16)}`,
      tags,
    });
  }
  return resources;
}

function amount(random: () => number, magnitude: number): string {
  const value = random() * magnitude;
  const roll = random();
  // Real exports print some tiny amounts in exponent notation.
  if (roll < 0.01) return `${(1 + random() * 8).toFixed(4)}E-${7 + Math.floor(random() * 3)}`;
  return value.toFixed(10 + Math.floor(random() * 3));
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Writes `rows` FOCUS rows spread hourly over 60 days of Aug–Sep 2024; deterministic for a seed. */
function generateFocusExport(path: string, rows: number, seed: number): void {
  const random = seededRandom(seed);
  const resources = buildResources(random);
  const start = Date.UTC(2024, 7, 1);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, focusHeader());
    let batch = '';
    for (let i = 0; i < rows; i++) {
      const resource = resources[Math.floor(random() * resources.length)] as Resource;
      const hour = Math.floor(random() * 60 * 24);
      const at = new Date(start + hour * 3_600_000);
      const day = `${at.getUTCFullYear()}-${pad2(at.getUTCMonth() + 1)}-${pad2(at.getUTCDate())}`;
      const h = at.getUTCHours();
      const styleRoll = random();
      // Mostly ISO with Z, some space-separated, some with fractions or explicit offsets.
      let chargeStart: string;
      if (styleRoll < 0.85) chargeStart = `${day}T${pad2(h)}:00:00Z`;
      else if (styleRoll < 0.93) chargeStart = `${day} ${pad2(h)}:00:00`;
      else if (styleRoll < 0.97) chargeStart = `${day}T${pad2(h)}:00:00.000Z`;
      else chargeStart = `${day}T${pad2(h)}:00:00+00:00`;
      const end = new Date(at.getTime() + 3_600_000).toISOString().replace('.000Z', 'Z');
      const billingStart = `${day.slice(0, 7)}-01T00:00:00Z`;
      const nextMonth = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
      const billingEnd = nextMonth.toISOString().replace('.000Z', 'Z');
      const categoryRoll = random();
      const category = categoryRoll < 0.01 ? 'Credit' : categoryRoll < 0.02 ? 'Tax' : 'Usage';
      let billed = amount(random, resource.service.rate * 3);
      if (category === 'Credit') billed = `-${billed}`;
      const effective = random() < 0.002 ? null : amount(random, resource.service.rate * 3);
      const quantity = (random() * 10).toFixed(4);
      const record: FocusRecord = {
        AvailabilityZone: random() < 0.3 ? `${resource.region[0]}a` : null,
        BilledCost: billed,
        BillingAccountId: '999999999999',
        BillingAccountName: 'Example Org',
        BillingCurrency: 'USD',
        BillingPeriodEnd: billingEnd,
        BillingPeriodStart: billingStart,
        ChargeCategory: category,
        ChargeClass: null,
        ChargeDescription: `$${resource.service.rate.toFixed(4)} per ${resource.service.unit}`,
        ChargeFrequency: 'Usage-Based',
        ChargePeriodEnd: end,
        ChargePeriodStart: chargeStart,
        CommitmentDiscountCategory: null,
        CommitmentDiscountId: null,
        CommitmentDiscountName: null,
        CommitmentDiscountStatus: null,
        CommitmentDiscountType: null,
        ConsumedQuantity: quantity,
        ConsumedUnit: resource.service.unit,
        ContractedCost: billed,
        ContractedUnitPrice: resource.service.rate.toFixed(6),
        EffectiveCost: effective,
        InvoiceIssuerName: 'Amazon Web Services, Inc.',
        ListCost: billed,
        ListUnitPrice: resource.service.rate.toFixed(6),
        PricingCategory: 'Standard',
        PricingQuantity: quantity,
        PricingUnit: resource.service.unit,
        ProviderName: 'AWS',
        PublisherName: 'Amazon Web Services, Inc.',
        RegionId: resource.region[0],
        RegionName: resource.region[1],
        ResourceId: i % 2 === 0 ? resource.id : null,
        ResourceName: null,
        ResourceType: null,
        ServiceCategory: resource.service.category,
        ServiceName: resource.service.name,
        SkuId: `SKU${resource.service.code.toUpperCase().slice(0, 8)}`,
        SkuPriceId: `SKU${resource.service.code.toUpperCase().slice(0, 8)}.JRTC`,
        SubAccountId: resource.account,
        SubAccountName: resource.accountName,
        Tags: resource.tags,
        x_CostCategories: '{}',
        x_Discounts: null,
        x_Operation: resource.service.operation,
        x_ServiceCode: resource.service.code,
        x_UsageType: resource.service.usage,
      };
      batch += focusLine(record);
      if (batch.length > 1 << 22) {
        writeSync(fd, batch);
        batch = '';
      }
    }
    writeSync(fd, batch);
  } finally {
    closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------
// Children: one tool per process, so each peak RSS is that tool's alone
// ---------------------------------------------------------------------------------------------

interface ChildResult {
  tool: Tool;
  ms: number;
  maxRssMb: number;
  /** "poc|YYYY-MM" → exact decimal total. */
  totals: Record<string, string>;
  warnings: number;
}

type Tool = 'pocketwatch' | 'duckdb';

const UNTAGGED = '(untagged)';

async function runPocketwatch(path: string): Promise<ChildResult> {
  const started = performance.now();
  const dataset = await new FocusCostSource({ path }).load({
    tagKey: TAG_KEY,
    start: '2000-01-01',
    end: '2100-01-01',
  });
  // The full evaluation on top of the load: every tag value becomes a PoC (none has a policy here),
  // with forecast, spike detection and alerts for the last month of the data.
  const asOf = addDaysIso(dataset.coverage?.last ?? '2024-09-30', 1);
  const report = evaluate({
    asOf,
    generatedAt: new Date().toISOString(),
    policySet: { settings: defaultSettings(), policies: [], files: [] },
    dataset,
    source: { kind: 'focus', description: path },
    deliveredAlertIds: new Set(),
  });
  const ms = performance.now() - started;
  if (report.pocs.length === 0) throw new Error('the evaluation found no PoCs');
  const sums = new Map<string, bigint>();
  for (const row of dataset.rows) {
    const key = `${row.poc ?? UNTAGGED}|${row.date.slice(0, 7)}`;
    sums.set(key, (sums.get(key) ?? 0n) + row.cost);
  }
  const totals = Object.fromEntries([...sums].map(([key, sum]) => [key, formatMoneyExact(sum)]));
  return { tool: 'pocketwatch', ms, maxRssMb: maxRssMb(), totals, warnings: dataset.warnings.length };
}

async function runDuckdb(path: string): Promise<ChildResult> {
  // Imported here so the pocketwatch child never loads DuckDB's native library.
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const types: Record<string, string> = {
    BilledCost: 'DECIMAL(38,18)',
    ChargePeriodStart: 'TIMESTAMPTZ',
  };
  const columns = FOCUS_EXPORT_COLUMNS.map((name) => `'${name}': '${types[name] ?? 'VARCHAR'}'`).join(', ');
  const started = performance.now();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'");
  const reader = await connection.runAndReadAll(`
    SELECT CAST(CAST(ChargePeriodStart AS DATE) AS VARCHAR) AS day,
           coalesce(nullif(json_extract_string(Tags, '$.${TAG_KEY}'), ''),
                    nullif(json_extract_string(Tags, '$."user:${TAG_KEY}"'), '')) AS poc,
           CAST(sum(BilledCost) AS VARCHAR) AS cost
    FROM read_csv('${path}', header = true, auto_detect = false, delim = ',', quote = '"', escape = '"',
                  nullstr = 'NULL', columns = {${columns}})
    GROUP BY ALL`);
  const rows = reader.getRowsJS();
  const ms = performance.now() - started;
  connection.closeSync();
  instance.closeSync();
  const sums = new Map<string, bigint>();
  for (const [day, poc, cost] of rows) {
    if (cost === null) continue;
    const key = `${poc === null ? UNTAGGED : String(poc)}|${String(day).slice(0, 7)}`;
    sums.set(key, (sums.get(key) ?? 0n) + parseMoney(String(cost)));
  }
  const totals = Object.fromEntries([...sums].map(([key, sum]) => [key, formatMoneyExact(sum)]));
  return { tool: 'duckdb', ms, maxRssMb: maxRssMb(), totals, warnings: 0 };
}

function maxRssMb(): number {
  // resourceUsage().maxRSS is in kilobytes: this process's peak, DuckDB's native memory included.
  return process.resourceUsage().maxRSS / 1024;
}

function spawnChild(tool: Tool): ChildResult {
  const self = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', tool, DATA_FILE], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`${tool} child failed with status ${child.status}`);
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as ChildResult;
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Per-key comparison to 1e-6; returns the differing keys. */
function compareTotals(a: Record<string, string>, b: Record<string, string>): string[] {
  const tolerance = 10n ** 12n;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const bad: string[] = [];
  for (const key of keys) {
    const x = a[key];
    const y = b[key];
    if (x === undefined || y === undefined) {
      bad.push(`${key}: ${x ?? 'missing'} vs ${y ?? 'missing'}`);
      continue;
    }
    const diff = parseMoney(x) - parseMoney(y);
    if (diff > tolerance || diff < -tolerance) bad.push(`${key}: ${x} vs ${y}`);
  }
  return bad;
}

function ensureData(): void {
  mkdirSync(OUT_DIR, { recursive: true });
  if (existsSync(DATA_FILE)) {
    console.log(`data: ${DATA_FILE} (cached)`);
  } else {
    console.log(`data: generating ${ROWS.toLocaleString('en-US')} rows into ${DATA_FILE} ...`);
    const started = performance.now();
    const temp = `${DATA_FILE}.tmp`;
    generateFocusExport(temp, ROWS, SEED);
    renameSync(temp, DATA_FILE);
    console.log(`data: generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const size = statSync(DATA_FILE).size;
  console.log(
    `data: ${ROWS.toLocaleString('en-US')} rows, ${(size / 1e6).toFixed(1)} MB (${Math.round(size / ROWS)} bytes/row)`,
  );
  if (size < 400e6 || size > 900e6)
    throw new Error(`unexpected data size ${size}: delete ${DATA_FILE} and rerun`);
}

function main(): void {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3;
  ensureData();
  console.log(
    `machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), node ${process.version}`,
  );
  const results: Record<Tool, ChildResult[]> = { pocketwatch: [], duckdb: [] };
  for (let run = 1; run <= runs; run++) {
    // Alternate the order so neither tool always runs with a warmer page cache.
    const order: Tool[] = run % 2 === 1 ? ['pocketwatch', 'duckdb'] : ['duckdb', 'pocketwatch'];
    for (const tool of order) {
      const result = spawnChild(tool);
      results[tool].push(result);
      console.log(
        `run ${run}: ${tool.padEnd(11)} ${(result.ms / 1000).toFixed(2)} s, peak RSS ${result.maxRssMb.toFixed(0)} MB`,
      );
    }
  }
  const ours = results.pocketwatch;
  const duck = results.duckdb;
  const oursMs = median(ours.map((r) => r.ms));
  const duckMs = median(duck.map((r) => r.ms));
  const oursRss = Math.max(...ours.map((r) => r.maxRssMb));
  const duckRss = Math.max(...duck.map((r) => r.maxRssMb));
  const ratio = oursMs / duckMs;
  console.log('');
  console.log(`| tool        | median wall (s) | runs (s)             | peak RSS (MB) |`);
  console.log(`|-------------|-----------------|----------------------|---------------|`);
  for (const [tool, list, ms, rss] of [
    ['pocketwatch', ours, oursMs, oursRss],
    ['duckdb', duck, duckMs, duckRss],
  ] as const) {
    const each = list.map((r) => (r.ms / 1000).toFixed(2)).join(', ');
    console.log(
      `| ${tool.padEnd(11)} | ${(ms / 1000).toFixed(2).padStart(15)} | ${each.padEnd(20)} | ${rss.toFixed(0).padStart(13)} |`,
    );
  }
  console.log('');
  console.log(
    `ratio pocketwatch / duckdb: ${ratio.toFixed(2)}x (target <= 3x), pocketwatch peak RSS < 512 MB: ${oursRss < 512 ? 'yes' : 'NO'}`,
  );
  const first = ours[0] as ChildResult;
  if (first.warnings > 0) console.log(`note: the reader reported ${first.warnings} warnings`);
  const mismatches = compareTotals(first.totals, (duck[0] as ChildResult).totals);
  const keys = Object.keys(first.totals).length;
  if (mismatches.length > 0) {
    console.log(`results DIFFER on ${mismatches.length} of ${keys} (PoC, month) totals:`);
    for (const line of mismatches.slice(0, 10)) console.log(`  ${line}`);
    process.exitCode = 1;
    return;
  }
  console.log(`results agree (${keys} per-PoC monthly totals within 1e-6)`);
  if (ratio > 3 || oursRss >= 512) process.exitCode = 1;
}

async function child(tool: string, path: string): Promise<void> {
  const result = tool === 'duckdb' ? await runDuckdb(path) : await runPocketwatch(path);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

const childAt = process.argv.indexOf('--child');
if (childAt > 0) {
  await child(process.argv[childAt + 1] ?? '', process.argv[childAt + 2] ?? DATA_FILE);
} else {
  main();
}
