import { formatMoneyExact, parseMoney } from '../core/money.js';
import type { Recommendation, RecommendedResource } from '../core/report.js';
import { RECOMMENDATION_STATES, type RecommendationRecord } from './lifecycle.js';

/**
 * Where recommendations and their lifecycle live. (Method names carry "Recommendation" because the
 * local state store already has a cost-cache `get`.)
 */
export interface RecommendationStore {
  /**
   * Records a run's proposals: ids not seen before become `proposed` (version 1) with the full
   * recommendation; existing ones are left exactly as they are. Recording is not a delivery.
   */
  recordProposals(recommendations: readonly Recommendation[], at: Date): Promise<void>;
  getRecommendation(id: string): Promise<RecommendationRecord | undefined>;
  /** Every record, oldest proposal first. */
  listRecommendations(): Promise<RecommendationRecord[]>;
  /**
   * Replaces the record when its stored version is still `expectedVersion` (optimistic concurrency);
   * the stored record gets version `expectedVersion + 1`. False when it is missing or was changed
   * meanwhile.
   */
  updateRecommendation(id: string, expectedVersion: number, next: RecommendationRecord): Promise<boolean>;
}

/** A record as JSON: Money (bigint) becomes an exact decimal string. */
export type StoredRecommendationRecord = Omit<RecommendationRecord, 'recommendation'> & {
  recommendation: Omit<Recommendation, 'estimatedMonthlySavings' | 'resources'> & {
    estimatedMonthlySavings: string;
    resources: (Omit<RecommendedResource, 'monthlyCost'> & { monthlyCost: string })[];
  };
};

export function encodeRecommendationRecord(record: RecommendationRecord): StoredRecommendationRecord {
  const { recommendation } = record;
  return {
    ...structuredClone({ ...record, recommendation: undefined }),
    recommendation: {
      ...recommendation,
      resources: recommendation.resources.map((resource) => ({
        ...structuredClone({ ...resource, monthlyCost: undefined }),
        monthlyCost: formatMoneyExact(resource.monthlyCost),
      })),
      estimatedMonthlySavings: formatMoneyExact(recommendation.estimatedMonthlySavings),
    },
  };
}

/** Undefined for anything that is not a well-formed stored record (a damaged entry is skipped). */
export function decodeRecommendationRecord(value: unknown): RecommendationRecord | undefined {
  if (!isObject(value)) return undefined;
  const { id, state, version, recommendation, resourceSetHash, proposedAt, audit } = value;
  if (
    typeof id !== 'string' ||
    typeof state !== 'string' ||
    !(RECOMMENDATION_STATES as readonly string[]).includes(state) ||
    typeof version !== 'number' ||
    !Number.isSafeInteger(version) ||
    typeof resourceSetHash !== 'string' ||
    typeof proposedAt !== 'string' ||
    !Array.isArray(audit) ||
    !isObject(recommendation) ||
    !Array.isArray(recommendation.resources) ||
    typeof recommendation.estimatedMonthlySavings !== 'string'
  ) {
    return undefined;
  }
  try {
    const resources = (recommendation.resources as unknown[]).map((resource) => {
      if (
        !isObject(resource) ||
        typeof resource.arn !== 'string' ||
        typeof resource.monthlyCost !== 'string'
      ) {
        throw new Error('bad resource');
      }
      return { ...resource, monthlyCost: parseMoney(resource.monthlyCost) } as unknown as RecommendedResource;
    });
    const decoded = structuredClone(value) as unknown as RecommendationRecord;
    decoded.recommendation = {
      ...(structuredClone(recommendation) as unknown as Recommendation),
      resources,
      estimatedMonthlySavings: parseMoney(recommendation.estimatedMonthlySavings),
    };
    return decoded;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
