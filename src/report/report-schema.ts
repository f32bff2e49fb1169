/**
 * JSON Schema (draft-07) of `reportToJson`'s output: the documented contract for `report.json`.
 *
 * Amounts are numbers in the report currency, exact to 1e-10. Optional properties are omitted, never
 * null, except `budget` and `budgetUsed`, which are null for a PoC without a budget (`budgetUsed` is
 * also null when the budget is zero), and `perUse.costPerUnit`, null when there was no use. Objects are closed (`additionalProperties: false`) so a change
 * to the shape is a deliberate schema change; `schemaVersion` says which version of it a file follows.
 */

// Dates are patterns rather than `format`s, so any validator checks them without a formats plugin.
const isoDate = {
  type: 'string',
  pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$',
  description: 'A UTC calendar day, YYYY-MM-DD.',
} as const;

const amount = { type: 'number', description: 'An amount in the report currency.' } as const;

const dailyPoint = {
  type: 'object',
  additionalProperties: false,
  required: ['date', 'cost', 'estimated'],
  properties: {
    date: isoDate,
    cost: amount,
    estimated: { type: 'boolean', description: 'The provider may still revise this figure.' },
  },
} as const;

const serviceCost = {
  type: 'object',
  additionalProperties: false,
  required: ['service', 'cost'],
  properties: { service: { type: 'string' }, cost: amount },
} as const;

const budget = {
  type: 'object',
  additionalProperties: false,
  required: ['monthly', 'thresholds'],
  properties: {
    monthly: amount,
    dailyCap: amount,
    total: { ...amount, description: 'Lifetime budget since the PoC start.' },
    thresholds: {
      type: 'array',
      items: { type: 'number' },
      description: 'Percentages of the monthly budget that raise an alert, ascending.',
    },
  },
} as const;

const perUse = {
  type: 'object',
  additionalProperties: false,
  required: ['signal', 'windowDays', 'cost', 'usage', 'per', 'costPerUnit', 'max', 'breached'],
  description: 'A pay-per-use budget: cost per unit of use over a trailing window, against a maximum.',
  properties: {
    signal: {
      type: 'string',
      description: 'What is counted as use, e.g. "AWS/ApiGateway Count (ApiId=abc123)".',
    },
    windowDays: { type: 'integer', minimum: 1, description: 'Length of the trailing window, in days.' },
    cost: { ...amount, description: 'What the PoC cost over the window.' },
    usage: { type: 'number', minimum: 0, description: 'Units of use counted over the window.' },
    per: {
      type: 'number',
      exclusiveMinimum: 0,
      description: 'The unit block prices are quoted for: 1000 means "per 1,000 requests".',
    },
    costPerUnit: {
      type: ['number', 'null'],
      description: 'cost × per / usage; null when there was no use in the window.',
    },
    max: { ...amount, description: 'The highest acceptable cost per `per` units of use.' },
    breached: { type: 'boolean', description: 'costPerUnit is above max.' },
  },
} as const;

const poc = {
  type: 'object',
  additionalProperties: false,
  required: [
    'poc',
    'status',
    'statusReason',
    'owners',
    'monthToDate',
    'forecastMonthEnd',
    'forecastBasis',
    'budget',
    'budgetUsed',
    'daily',
    'services',
    'accounts',
    'changeSinceYesterday',
    'risk',
    'links',
  ],
  properties: {
    poc: { type: 'string', description: 'The cost allocation tag value naming the PoC.' },
    status: { enum: ['ok', 'warning', 'over-budget', 'expired', 'unbudgeted'] },
    statusReason: { type: 'string' },
    owners: { type: 'array', items: { type: 'string' } },
    description: { type: 'string' },
    monthToDate: amount,
    forecastMonthEnd: amount,
    forecastBasis: {
      type: 'object',
      additionalProperties: false,
      required: ['method', 'days', 'dailyRate'],
      properties: {
        method: { enum: ['complete', 'trailing-average', 'no-data'] },
        days: { type: 'integer', minimum: 0 },
        dailyRate: amount,
      },
    },
    budget: { oneOf: [budget, { type: 'null' }] },
    budgetUsed: {
      type: ['number', 'null'],
      description: 'Share of the monthly budget spent (0.5 = 50 %); null without a (non-zero) budget.',
    },
    lifetime: {
      type: 'object',
      additionalProperties: false,
      required: ['start', 'cost', 'complete'],
      properties: {
        start: isoDate,
        cost: amount,
        budget: amount,
        complete: { type: 'boolean', description: 'False when the data does not reach back to start.' },
      },
    },
    start: isoDate,
    expires: isoDate,
    daily: { type: 'array', items: dailyPoint },
    services: { type: 'array', items: serviceCost },
    accounts: { type: 'array', items: { type: 'string' } },
    changeSinceYesterday: { ...amount, description: 'Cost of the last reported day minus the day before.' },
    risk: { type: 'number', description: 'Score used to order PoCs, highest first.' },
    links: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['title', 'url'],
        properties: { title: { type: 'string' }, url: { type: 'string' } },
      },
    },
    policyFile: { type: 'string' },
    perUse,
  },
} as const;

const alert = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'poc', 'kind', 'severity', 'message', 'date', 'new'],
  properties: {
    id: { type: 'string', description: 'Stable across runs for the same condition.' },
    poc: { type: 'string' },
    kind: {
      enum: [
        'threshold',
        'over-budget',
        'forecast',
        'daily-cap',
        'lifetime',
        'anomaly',
        'expiring',
        'expired',
        'unbudgeted',
        'per-use',
        'operational',
      ],
    },
    severity: { enum: ['info', 'warning', 'critical'] },
    message: { type: 'string' },
    date: isoDate,
    amount,
    limit: amount,
    new: { type: 'boolean', description: 'Not yet delivered according to the state store.' },
  },
} as const;

const recommendedResource = {
  type: 'object',
  additionalProperties: false,
  required: [
    'arn',
    'type',
    'region',
    'account',
    'window',
    'evidence',
    'monthlyCost',
    'costSource',
    'holdsData',
  ],
  properties: {
    arn: { type: 'string' },
    type: { type: 'string', description: 'Tagging API style type, e.g. "ec2:natgateway".' },
    region: { type: 'string' },
    account: { type: 'string' },
    idleSince: { ...isoDate, description: 'First day of the idle stretch the evidence covers, when known.' },
    window: {
      type: 'object',
      additionalProperties: false,
      required: ['start', 'end', 'days'],
      description: 'The window the idle signal was judged over.',
      properties: {
        start: { ...isoDate, description: 'First day, inclusive.' },
        end: { ...isoDate, description: 'Last day, exclusive.' },
        days: { type: 'integer', minimum: 0 },
      },
    },
    evidence: {
      type: 'string',
      description: 'What was measured, in words: "0 invocations in 30 days (AWS/Lambda Invocations, Sum)".',
    },
    monthlyCost: { ...amount, description: 'What the resource costs a month while it stays.' },
    costSource: {
      enum: ['cost-explorer-resource', 'billing-export', 'price-table', 'unknown'],
      description: 'Where monthlyCost came from, best first; "unknown" means it could not be priced.',
    },
    holdsData: {
      type: 'boolean',
      description: 'Deleting it loses data unless a snapshot or backup is kept.',
    },
  },
} as const;

const recommendation = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'poc', 'reason', 'resources', 'estimatedMonthlySavings'],
  description: 'Resources of one PoC proposed for teardown. Nothing is deleted by pocketwatch itself.',
  properties: {
    id: {
      type: 'string',
      description: 'A hash of the PoC and the exact resource set: the same set keeps its id across runs.',
    },
    poc: { type: 'string' },
    reason: {
      enum: ['idle', 'expired'],
      description: '"idle": unused for the idle window; "expired": the PoC is past its expiry date.',
    },
    resources: { type: 'array', items: recommendedResource },
    estimatedMonthlySavings: { ...amount, description: 'What removing the resources saves a month.' },
  },
} as const;

export const reportJsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:pocketwatch:report:1',
  title: 'pocketwatch report',
  description:
    'The result of a governance run: month-to-date cost, forecast and alerts per PoC, teardown recommendations.',
  type: 'object',
  additionalProperties: false,
  required: [
    'schemaVersion',
    'generatedAt',
    'asOf',
    'period',
    'currency',
    'tagKey',
    'source',
    'total',
    'unattributed',
    'pocs',
    'alerts',
    'recommendations',
    'apiCalls',
    'apiCost',
    'warnings',
  ],
  properties: {
    schemaVersion: { type: 'integer', const: 1 },
    generatedAt: {
      type: 'string',
      pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$',
      description: 'When the run happened, an ISO 8601 timestamp.',
    },
    asOf: { ...isoDate, description: 'The run day; the period ends the day before.' },
    period: {
      type: 'object',
      additionalProperties: false,
      required: ['start', 'end', 'monthEnd', 'elapsedDays', 'monthDays'],
      properties: {
        start: { ...isoDate, description: 'First day of the month, inclusive.' },
        end: { ...isoDate, description: 'The as-of day, exclusive.' },
        monthEnd: { ...isoDate, description: 'First day of the next month, the forecast horizon.' },
        elapsedDays: { type: 'integer', minimum: 0 },
        monthDays: { type: 'integer', minimum: 28, maximum: 31 },
      },
    },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    tagKey: { type: 'string' },
    source: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'description', 'estimated', 'partial'],
      properties: {
        kind: { type: 'string', description: '"sample", "focus", "cost-explorer", ...' },
        description: { type: 'string' },
        estimated: { type: 'boolean', description: 'Some figures are still estimates and may change.' },
        partial: {
          type: 'boolean',
          description: 'Some input was skipped (malformed rows, unreadable files): totals may be low.',
        },
        coverage: {
          type: 'object',
          additionalProperties: false,
          required: ['first', 'last'],
          properties: { first: isoDate, last: isoDate },
        },
      },
    },
    total: {
      type: 'object',
      additionalProperties: false,
      required: ['monthToDate', 'forecastMonthEnd', 'daily'],
      properties: {
        monthToDate: amount,
        forecastMonthEnd: amount,
        daily: { type: 'array', items: dailyPoint },
      },
    },
    unattributed: {
      type: 'object',
      additionalProperties: false,
      required: ['monthToDate', 'services', 'daily'],
      description: 'Spend without the cost allocation tag.',
      properties: {
        monthToDate: amount,
        services: { type: 'array', items: serviceCost },
        daily: { type: 'array', items: dailyPoint },
      },
    },
    pocs: { type: 'array', items: poc, description: 'Highest risk first.' },
    alerts: { type: 'array', items: alert },
    recommendations: {
      type: 'array',
      items: recommendation,
      description:
        'Teardown recommendations for idle or expired PoCs; empty when idle detection did not run.',
    },
    apiCalls: {
      type: 'object',
      additionalProperties: { type: 'integer', minimum: 0 },
      description: 'Requests per AWS API operation ("ce:GetCostAndUsage"); empty for an offline source.',
    },
    apiCost: {
      ...amount,
      minimum: 0,
      description:
        "What the run's own AWS API calls cost (Cost Explorer per request, GetMetricData per metric).",
    },
    warnings: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['code', 'message'],
        properties: {
          code: { type: 'string' },
          message: { type: 'string' },
          where: {
            type: 'string',
            description: 'Where the problem was found: "file.csv:123", an API operation.',
          },
          partial: { type: 'boolean', description: 'Input was skipped because of it: totals may be low.' },
          operation: { type: 'string', description: 'The AWS call that failed: "ec2:DescribeAddresses".' },
          region: { type: 'string', description: 'The region that call went to.' },
          iamAction: { type: 'string', description: 'The IAM action to allow, when the call was denied.' },
          effect: {
            type: 'string',
            description: 'What the report lacks because of it: "Elastic IPs in us-east-1 not scanned".',
          },
        },
      },
    },
  },
} as const;
