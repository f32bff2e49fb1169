/**
 * Which FOCUS columns the reader needs, located by header name (exports may order columns freely,
 * and FOCUS 1.0–1.2 differ in a few names).
 */

export type FocusCostMetric = 'UnblendedCost' | 'AmortizedCost' | 'NetUnblendedCost' | 'NetAmortizedCost';

/**
 * BilledCost is what the invoice charges (the unblended view); EffectiveCost spreads upfront and
 * commitment fees over usage (the amortized view).
 */
export function costColumnFor(metric: FocusCostMetric): 'BilledCost' | 'EffectiveCost' {
  return metric === 'AmortizedCost' || metric === 'NetAmortizedCost' ? 'EffectiveCost' : 'BilledCost';
}

/** Column indexes in one file's header; -1 for an optional column the file lacks. */
export interface FocusColumns {
  count: number;
  chargePeriodStart: number;
  cost: number;
  costName: string;
  serviceName: number;
  subAccountId: number;
  tags: number;
  billingCurrency: number;
  /** ProviderName (1.0–1.1), else ServiceProviderName or HostProviderName (1.2). */
  provider: number;
  /** Read only when per-resource charges are collected (focus-resources.ts). */
  resourceId: number;
  resourceType: number;
  regionId: number;
  /** AWS's x_UsageType (NatGateway-Hours, NatGateway-Bytes ...). */
  usageType: number;
  consumedUnit: number;
  chargeCategory: number;
}

/** The file is not a FOCUS export the reader can use. */
export class FocusFormatError extends Error {
  constructor(
    readonly file: string,
    readonly missing: readonly string[],
    readonly header: readonly string[],
  ) {
    const shown = header.slice(0, 80).map((name) => (name.length > 60 ? `${name.slice(0, 57)}...` : name));
    const more = header.length > shown.length ? `, ... (${header.length} columns)` : '';
    const has = header.length === 0 ? 'an empty header' : `header has: ${shown.join(', ')}${more}`;
    super(
      `${file}: not a FOCUS export: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (${has})`,
    );
    this.name = 'FocusFormatError';
  }
}

const PROVIDER_COLUMNS = ['ProviderName', 'ServiceProviderName', 'HostProviderName'];

/** Locates the needed columns; throws FocusFormatError naming every missing required column. */
export function resolveFocusColumns(
  file: string,
  header: readonly string[],
  metric: FocusCostMetric,
): FocusColumns {
  const names = header.map((name, i) => (i === 0 ? name.replace(/^\uFEFF/, '') : name).trim());
  const exact = new Map<string, number>();
  const folded = new Map<string, number>();
  names.forEach((name, i) => {
    if (!exact.has(name)) exact.set(name, i);
    const lower = name.toLowerCase();
    if (!folded.has(lower)) folded.set(lower, i);
  });
  const find = (name: string): number => exact.get(name) ?? folded.get(name.toLowerCase()) ?? -1;
  const costName = costColumnFor(metric);
  const required = ['ChargePeriodStart', costName, 'ServiceName', 'SubAccountId', 'Tags'];
  const missing = required.filter((name) => find(name) < 0);
  if (missing.length > 0) throw new FocusFormatError(file, missing, names);
  const provider = PROVIDER_COLUMNS.map(find).find((index) => index >= 0) ?? -1;
  return {
    count: names.length,
    chargePeriodStart: find('ChargePeriodStart'),
    cost: find(costName),
    costName,
    serviceName: find('ServiceName'),
    subAccountId: find('SubAccountId'),
    tags: find('Tags'),
    billingCurrency: find('BillingCurrency'),
    provider,
    resourceId: find('ResourceId'),
    resourceType: find('ResourceType'),
    regionId: find('RegionId'),
    usageType: find('x_UsageType'),
    consumedUnit: find('ConsumedUnit'),
    chargeCategory: find('ChargeCategory'),
  };
}

/** True for a provider value that means AWS (empty counts as AWS: the export did not say). */
export function isAwsProvider(value: string): boolean {
  const text = value.trim().toLowerCase();
  return text === '' || text === 'aws' || text.startsWith('amazon web services');
}
