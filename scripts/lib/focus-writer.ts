/**
 * Writes FOCUS 1.0 rows the way AWS Data Exports do: the full column set, `NULL` literals for empty
 * values, Tags as a JSON object. Used by the sample generator and the benchmark's data generator.
 */
export const FOCUS_EXPORT_COLUMNS = [
  'AvailabilityZone',
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'CommitmentDiscountCategory',
  'CommitmentDiscountId',
  'CommitmentDiscountName',
  'CommitmentDiscountStatus',
  'CommitmentDiscountType',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ContractedCost',
  'ContractedUnitPrice',
  'EffectiveCost',
  'InvoiceIssuerName',
  'ListCost',
  'ListUnitPrice',
  'PricingCategory',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'RegionId',
  'RegionName',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'ServiceCategory',
  'ServiceName',
  'SkuId',
  'SkuPriceId',
  'SubAccountId',
  'SubAccountName',
  'Tags',
  'x_CostCategories',
  'x_Discounts',
  'x_Operation',
  'x_ServiceCode',
  'x_UsageType',
] as const;

export type FocusColumn = (typeof FOCUS_EXPORT_COLUMNS)[number];

export type FocusRecord = Partial<Record<FocusColumn, string | null>>;

function csvField(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return 'NULL';
  if (/[",\n\r]/.test(value)) return `"${value.replaceAll('"', '""')}"`;
  return value;
}

export function focusHeader(columns: readonly string[] = FOCUS_EXPORT_COLUMNS): string {
  return `${columns.join(',')}\n`;
}

export function focusLine(record: FocusRecord, columns: readonly string[] = FOCUS_EXPORT_COLUMNS): string {
  let line = '';
  for (let i = 0; i < columns.length; i++) {
    if (i > 0) line += ',';
    line += csvField(record[columns[i] as FocusColumn]);
  }
  return `${line}\n`;
}

/** Deterministic PRNG (mulberry32): the same seed gives the same export on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
