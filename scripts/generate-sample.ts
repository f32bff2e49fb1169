/**
 * Generates the bundled sample: a FOCUS 1.0 export of a small AWS organisation running seven PoCs,
 * from 2026-09-01 to 2026-11-18, with its default as-of day 2026-11-19. Deterministic: the same bytes
 * on every machine. `npm run sample` rewrites sample/; a test checks the committed file matches.
 *
 * The PoCs are chosen so that every status shows: one over budget, one forecast to overrun, one with a
 * spike, one expired but still billing (an idle NAT gateway), one without a policy, one healthy and one
 * two days old, plus untagged spend and a credit.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { addDaysIso, eachDay, type IsoDate, nextMonthStartIso } from '../src/core/calendar.js';
import { type FocusRecord, focusHeader, focusLine, seededRandom } from './lib/focus-writer.js';

export const SAMPLE_FIRST_DAY = '2026-09-01';
export const SAMPLE_AS_OF = '2026-11-19';
export const SAMPLE_FILE = 'focus-aws-2026-09-to-11.csv.gz';

const SANDBOX = { id: '111122223333', name: 'poc-sandbox' };
const SHARED = { id: '444455556666', name: 'shared-services' };
const REGION = 'us-east-1';

interface ServiceLine {
  service: string;
  category: string;
  code: string;
  usageType: string;
  operation: string;
  unit: string;
  resource?: { id: string; type: string; name: string };
  /** Daily cost on a given day (before noise); 0 means no row that day. */
  cost: (day: IsoDate) => number;
  /** Usage quantity per unit of cost, for ConsumedQuantity. */
  unitsPerDollar: number;
  /** One row per hour instead of one per day. */
  hourly?: boolean;
}

interface PocPlan {
  tag: string | null;
  /** Write the tag key with AWS's `user:` prefix, as real exports often do. */
  userPrefix?: boolean;
  account: typeof SANDBOX;
  lines: ServiceLine[];
}

const between = (day: IsoDate, from: IsoDate, to?: IsoDate) => day >= from && (to === undefined || day <= to);
/** A linear ramp from `a` on `from` to `b` on `to`. */
const ramp = (day: IsoDate, from: IsoDate, to: IsoDate, a: number, b: number) => {
  const total = eachDay(from, to).length || 1;
  const done = Math.min(total, eachDay(from, day).length);
  return a + ((b - a) * done) / total;
};

const arn = (service: string, resource: string, account = SANDBOX.id) =>
  `arn:aws:${service}:${REGION}:${account}:${resource}`;

const lambda = (name: string, cost: ServiceLine['cost']): ServiceLine => ({
  service: 'AWS Lambda',
  category: 'Compute',
  code: 'AWSLambda',
  usageType: 'USE1-Request',
  operation: 'Invoke',
  unit: 'Requests',
  resource: { id: arn('lambda', `function:${name}`), type: 'Function', name },
  cost,
  unitsPerDollar: 5_000_000,
});

const natHours = (id: string, from: IsoDate, to?: IsoDate): ServiceLine => ({
  service: 'Amazon Virtual Private Cloud',
  category: 'Networking',
  code: 'AmazonVPC',
  usageType: 'USE1-NatGateway-Hours',
  operation: 'NatGateway',
  unit: 'Hrs',
  resource: { id: arn('ec2', `natgateway/${id}`), type: 'NAT Gateway', name: id },
  cost: (day) => (between(day, from, to) ? 0.045 * 24 : 0),
  unitsPerDollar: 1 / 0.045,
  hourly: true,
});

const natBytes = (id: string, cost: ServiceLine['cost']): ServiceLine => ({
  service: 'Amazon Virtual Private Cloud',
  category: 'Networking',
  code: 'AmazonVPC',
  usageType: 'USE1-NatGateway-Bytes',
  operation: 'NatGateway',
  unit: 'GB',
  resource: { id: arn('ec2', `natgateway/${id}`), type: 'NAT Gateway', name: id },
  cost,
  unitsPerDollar: 1 / 0.045,
});

function simple(
  service: string,
  category: string,
  code: string,
  usageType: string,
  unit: string,
  cost: ServiceLine['cost'],
  resource?: ServiceLine['resource'],
): ServiceLine {
  return {
    service,
    category,
    code,
    usageType,
    operation: 'Usage',
    unit,
    cost,
    unitsPerDollar: 100,
    ...(resource ? { resource } : {}),
  };
}

const PLANS: PocPlan[] = [
  {
    // Over budget: traffic ramped up in November against a 120/month budget.
    tag: 'checkout-redesign',
    userPrefix: true,
    account: SANDBOX,
    lines: [
      lambda('checkout-api', (d) => (d < '2026-11-01' ? 1.1 : ramp(d, '2026-11-01', '2026-11-18', 1.6, 2.4))),
      simple(
        'Amazon API Gateway',
        'Networking',
        'AmazonApiGateway',
        'USE1-ApiGatewayRequest',
        'Requests',
        (d) => (d < '2026-11-01' ? 0.8 : ramp(d, '2026-11-01', '2026-11-18', 1.2, 1.7)),
      ),
      simple(
        'Amazon DynamoDB',
        'Databases',
        'AmazonDynamoDB',
        'USE1-WriteRequestUnits',
        'WriteRequestUnits',
        (d) => (d < '2026-11-01' ? 0.5 : 0.8),
        { id: arn('dynamodb', 'table/checkout-carts'), type: 'Table', name: 'checkout-carts' },
      ),
      natHours('nat-0c1e55a0f2b7d9e41', '2026-09-01'),
      natBytes('nat-0c1e55a0f2b7d9e41', (d) =>
        d < '2026-11-01' ? 0.6 : ramp(d, '2026-11-01', '2026-11-18', 1.4, 2.1),
      ),
      simple(
        'Amazon CloudWatch',
        'Management and Governance',
        'AmazonCloudWatch',
        'USE1-CW:Requests',
        'Requests',
        () => 0.25,
      ),
    ],
  },
  {
    // Forecast to overrun: LLM re-ranking grows with the share of traffic it serves.
    tag: 'search-relevance',
    account: SANDBOX,
    lines: [
      simple(
        'Amazon Bedrock',
        'AI and Machine Learning',
        'AmazonBedrock',
        'USE1-Claude-InputTokenCount',
        'Tokens',
        (d) => (between(d, '2026-09-10') ? ramp(d, '2026-09-10', '2026-11-18', 3.4, 7.6) : 0),
      ),
      lambda('search-rerank', (d) => (between(d, '2026-09-10') ? 0.3 : 0)),
      simple(
        'Amazon Simple Storage Service',
        'Storage',
        'AmazonS3',
        'USE1-TimedStorage-ByteHrs',
        'GB-Mo',
        (d) => (between(d, '2026-09-10') ? 0.08 : 0),
      ),
    ],
  },
  {
    // A spike: a GPU endpoint left running for most of one day.
    tag: 'image-tagging',
    account: SANDBOX,
    lines: [
      simple(
        'Amazon Rekognition',
        'AI and Machine Learning',
        'AmazonRekognition',
        'USE1-Group1-Images',
        'Images',
        (d) => (between(d, '2026-09-20') ? 1.8 : 0),
      ),
      simple(
        'Amazon Simple Storage Service',
        'Storage',
        'AmazonS3',
        'USE1-TimedStorage-ByteHrs',
        'GB-Mo',
        (d) => (between(d, '2026-09-20') ? 0.2 : 0),
      ),
      lambda('image-tagger', (d) => (between(d, '2026-09-20') ? 0.12 : 0)),
      simple(
        'Amazon SageMaker',
        'AI and Machine Learning',
        'AmazonSageMaker',
        'USE1-Host:ml.g5.xlarge',
        'Hrs',
        (d) => (d === '2026-11-17' ? 1.408 * 18.5 : 0),
        { id: arn('sagemaker', 'endpoint/tagger-gpu-test'), type: 'Endpoint', name: 'tagger-gpu-test' },
      ),
    ],
  },
  {
    // Expired at the end of October; its NAT gateway still bills every hour with no traffic.
    tag: 'chatbot-poc',
    account: SANDBOX,
    lines: [
      simple('Amazon Lex', 'AI and Machine Learning', 'AmazonLex', 'USE1-TextRequest', 'Requests', (d) =>
        d <= '2026-10-31' ? 1.2 : 0,
      ),
      lambda('chatbot-fulfilment', (d) => (d <= '2026-10-31' ? 0.2 : 0)),
      simple(
        'Amazon DynamoDB',
        'Databases',
        'AmazonDynamoDB',
        'USE1-TimedStorage-ByteHrs',
        'GB-Mo',
        () => 0.01,
        { id: arn('dynamodb', 'table/chatbot-sessions'), type: 'Table', name: 'chatbot-sessions' },
      ),
      natHours('nat-07a9f3e2c4d1b8a60', '2026-09-01'),
      natBytes('nat-07a9f3e2c4d1b8a60', (d) => (d <= '2026-10-31' ? 0.4 : 0)),
    ],
  },
  {
    // Tagged but nobody wrote a policy for it.
    tag: 'ml-feature-store',
    account: SHARED,
    lines: [
      simple(
        'Amazon SageMaker',
        'AI and Machine Learning',
        'AmazonSageMaker',
        'USE1-FS:ReadRequestUnits',
        'Units',
        (d) => (between(d, '2026-10-20') ? 1.5 : 0),
      ),
      simple('AWS Glue', 'Analytics', 'AWSGlue', 'USE1-ETL-DPU-Hour', 'DPU-Hour', (d) =>
        between(d, '2026-10-20') ? 0.7 : 0,
      ),
      simple(
        'Amazon Simple Storage Service',
        'Storage',
        'AmazonS3',
        'USE1-TimedStorage-ByteHrs',
        'GB-Mo',
        (d) => (between(d, '2026-10-20') ? 0.18 : 0),
      ),
    ],
  },
  {
    // Healthy.
    tag: 'invoice-ocr',
    account: SANDBOX,
    lines: [
      simple(
        'Amazon Textract',
        'AI and Machine Learning',
        'AmazonTextract',
        'USE1-PagesforTables',
        'Pages',
        (d) => (between(d, '2026-09-15') ? 0.6 : 0),
      ),
      lambda('invoice-extract', (d) => (between(d, '2026-09-15') ? 0.09 : 0)),
      simple(
        'Amazon Simple Storage Service',
        'Storage',
        'AmazonS3',
        'USE1-TimedStorage-ByteHrs',
        'GB-Mo',
        (d) => (between(d, '2026-09-15') ? 0.05 : 0),
      ),
    ],
  },
  {
    // Two days old.
    tag: 'pricing-experiment',
    account: SANDBOX,
    lines: [
      lambda('pricing-quote', (d) => (between(d, '2026-11-17') ? 0.3 : 0)),
      simple(
        'Amazon DynamoDB',
        'Databases',
        'AmazonDynamoDB',
        'USE1-ReadRequestUnits',
        'ReadRequestUnits',
        (d) => (between(d, '2026-11-17') ? 0.4 : 0),
      ),
      simple(
        'Amazon API Gateway',
        'Networking',
        'AmazonApiGateway',
        'USE1-ApiGatewayHttpRequest',
        'Requests',
        (d) => (between(d, '2026-11-17') ? 0.5 : 0),
      ),
    ],
  },
  {
    // Shared spend with no PoC tag.
    tag: null,
    account: SHARED,
    lines: [
      simple(
        'AWS CloudTrail',
        'Management and Governance',
        'AWSCloudTrail',
        'USE1-PaidEventsRecorded',
        'Events',
        () => 0.11,
      ),
      simple(
        'Amazon Simple Storage Service',
        'Storage',
        'AmazonS3',
        'USE1-TimedStorage-ByteHrs',
        'GB-Mo',
        () => 0.42,
      ),
      simple('AWS Key Management Service', 'Security', 'awskms', 'USE1-KMS-Keys', 'Keys', () => 0.033),
      simple('Amazon Route 53', 'Networking', 'AmazonRoute53', 'HostedZone', 'HostedZone', (d) =>
        d.endsWith('-01') ? 0.5 : 0,
      ),
      {
        ...simple(
          'Amazon Virtual Private Cloud',
          'Networking',
          'AmazonVPC',
          'USE1-PublicIPv4:InUseAddress',
          'Hrs',
          () => 0.12,
        ),
        hourly: true,
      },
    ],
  },
];

function money(value: number): string {
  return value.toFixed(10);
}

function tagsJson(plan: PocPlan, line: ServiceLine): string | null {
  const tags: Record<string, string> = {};
  if (plan.tag) tags[plan.userPrefix ? 'user:poc' : 'poc'] = plan.tag;
  if (line.resource) tags['user:team'] = plan.tag === null ? 'platform' : 'product-labs';
  if (line.code === 'AmazonVPC' && plan.tag) tags['aws:cloudformation:stack-name'] = `${plan.tag}-network`;
  return Object.keys(tags).length > 0 ? JSON.stringify(tags) : null;
}

/** FOCUS allows either timestamp form; real exports mix them, so services alternate. */
function timestamp(day: IsoDate, hour: number, spaceForm: boolean): string {
  const hh = String(hour).padStart(2, '0');
  return spaceForm ? `${day} ${hh}:00:00` : `${day}T${hh}:00:00Z`;
}

export function generateSampleCsv(): string {
  const random = seededRandom(20261119);
  const days = eachDay(SAMPLE_FIRST_DAY, SAMPLE_AS_OF);
  let out = focusHeader();
  for (const day of days) {
    const monthStart = `${day.slice(0, 7)}-01`;
    const monthEnd = nextMonthStartIso(day);
    for (const plan of PLANS) {
      for (const [lineIndex, line] of plan.lines.entries()) {
        const daily = line.cost(day);
        if (daily <= 0) continue;
        const hours = line.hourly ? 24 : 1;
        const spaceForm = lineIndex % 2 === 1;
        for (let hour = 0; hour < hours; hour++) {
          // Hourly prices are flat; daily usage varies by up to ±12 %.
          const cost = line.hourly ? daily / 24 : daily * (0.88 + random() * 0.24);
          const end =
            line.hourly && hour < 23
              ? timestamp(day, hour + 1, spaceForm)
              : timestamp(addDaysIso(day, 1), 0, spaceForm);
          const record: FocusRecord = {
            AvailabilityZone: null,
            BilledCost: money(cost),
            BillingAccountId: '999988887777',
            BillingAccountName: 'example-org',
            BillingCurrency: 'USD',
            BillingPeriodEnd: `${monthEnd} 00:00:00`,
            BillingPeriodStart: `${monthStart} 00:00:00`,
            ChargeCategory: 'Usage',
            ChargeClass: null,
            ChargeDescription: `${line.usageType} usage`,
            ChargeFrequency: 'Usage-Based',
            ChargePeriodEnd: end,
            ChargePeriodStart: timestamp(day, line.hourly ? hour : 0, spaceForm),
            ConsumedQuantity: money(cost * line.unitsPerDollar),
            ConsumedUnit: line.unit,
            ContractedCost: money(cost),
            ContractedUnitPrice: null,
            EffectiveCost: money(cost),
            InvoiceIssuerName: 'Amazon Web Services, Inc.',
            ListCost: money(cost),
            ListUnitPrice: money(1 / line.unitsPerDollar),
            PricingCategory: 'Standard',
            PricingQuantity: money(cost * line.unitsPerDollar),
            PricingUnit: line.unit,
            ProviderName: 'AWS',
            PublisherName: 'Amazon Web Services, Inc.',
            RegionId: REGION,
            RegionName: 'US East (N. Virginia)',
            ResourceId: line.resource?.id ?? null,
            ResourceName: line.resource?.name ?? null,
            ResourceType: line.resource?.type ?? null,
            ServiceCategory: line.category,
            ServiceName: line.service,
            SkuId: null,
            SkuPriceId: null,
            SubAccountId: plan.account.id,
            SubAccountName: plan.account.name,
            Tags: tagsJson(plan, line),
            x_CostCategories: null,
            x_Discounts: null,
            x_Operation: line.operation,
            x_ServiceCode: line.code,
            x_UsageType: line.usageType,
          };
          out += focusLine(record);
        }
      }
    }
    if (day === '2026-11-05') out += focusLine(creditRow(day));
  }
  return out;
}

/** A promotional credit: negative cost, no tags, its own charge category. */
function creditRow(day: IsoDate): FocusRecord {
  return {
    BilledCost: '-5.0000000000',
    BillingAccountId: '999988887777',
    BillingCurrency: 'USD',
    ChargeCategory: 'Credit',
    ChargeDescription: 'AWS Activate credit',
    ChargeFrequency: 'One-Time',
    ChargePeriodStart: `${day}T00:00:00Z`,
    ChargePeriodEnd: `${addDaysIso(day, 1)}T00:00:00Z`,
    EffectiveCost: '-5.0000000000',
    ListCost: '0',
    ProviderName: 'AWS',
    ServiceName: 'AWS Support (Business)',
    ServiceCategory: 'Other',
    SubAccountId: SHARED.id,
    SubAccountName: SHARED.name,
    Tags: null,
  };
}

export function sampleFiles(): { name: string; content: Buffer }[] {
  const csv = generateSampleCsv();
  const manifest = {
    description: 'Bundled sample: a FOCUS 1.0 export of a small AWS organisation running seven PoCs',
    file: SAMPLE_FILE,
    firstDay: SAMPLE_FIRST_DAY,
    asOf: SAMPLE_AS_OF,
  };
  return [
    { name: SAMPLE_FILE, content: gzipSync(csv, { level: 9 }) },
    { name: 'sample.json', content: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) },
  ];
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'sample');
  for (const file of sampleFiles()) {
    writeFileSync(join(out, file.name), file.content);
    console.log(`wrote sample/${file.name} (${file.content.length.toLocaleString()} bytes)`);
  }
}
