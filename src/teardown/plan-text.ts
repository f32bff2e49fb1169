import type { RecommendationRecord, ResourceOutcome } from '../approval/lifecycle.js';
import { sumMoney } from '../core/money.js';
import { money, resourceShortId, resourceTypeLabel } from '../report/format.js';
import type { TeardownPlan } from './teardown-plan.js';

const SETTLED_LABELS: Record<ResourceOutcome['outcome'], string> = {
  deleted: 'deleted',
  'already-gone': 'gone',
  kept: 'kept',
  skipped: 'skipped',
  failed: 'failed',
};

/** The dry-run plan as a person reads it before anything is deleted. */
export function renderPlan(
  record: RecommendationRecord,
  plan: TeardownPlan,
  dryRun: boolean,
  currency: string,
): string {
  const { recommendation } = record;
  const byArn = new Map(recommendation.resources.map((resource) => [resource.arn, resource]));
  const label = (arn: string) => {
    const resource = byArn.get(arn);
    return `${resourceTypeLabel(resource?.type ?? '')} ${resourceShortId(arn)}`;
  };
  const approval = [...record.audit].reverse().find((entry) => entry.event === 'approve');
  const lines = [
    `Teardown plan for ${record.id}: ${recommendation.poc} (${recommendation.reason}), ${record.state}${
      approval ? `, approved by ${approval.actor} on ${approval.at.slice(0, 10)}` : ''
    }`,
    dryRun
      ? 'Dry run: nothing is deleted. Run with --execute to act (only an approved recommendation executes).'
      : 'Executing:',
    `Data: ${plan.data === 'keep' ? 'kept (final snapshots and backups; buckets and streams are not deleted)' : 'deleted (teardown.data: delete): no final copies'}`,
  ];
  plan.steps.forEach((step, index) => {
    const resource = byArn.get(step.target.arn);
    const cost = resource ? `  ${money(resource.monthlyCost, currency)}/mo` : '';
    lines.push(
      `  ${index + 1}. ${step.action.padEnd(12)} ${label(step.target.arn)}  ${step.target.region}${cost}`,
    );
    lines.push(`     ${step.detail}`);
  });
  for (const outcome of plan.settled) {
    lines.push(
      `  -  ${SETTLED_LABELS[outcome.outcome].padEnd(12)} ${label(outcome.arn)}: ${outcome.detail ?? ''}`,
    );
  }
  const acting = new Set(
    plan.steps.filter((step) => step.action !== 'with-stack').map((step) => step.target.arn),
  );
  const saving = sumMoney(
    plan.steps.flatMap((step) => {
      const resource = byArn.get(step.target.arn);
      return resource ? [resource.monthlyCost] : [];
    }),
  );
  const count = (kind: ResourceOutcome['outcome']) => plan.settled.filter((o) => o.outcome === kind).length;
  lines.push(
    `${dryRun ? 'Would delete' : 'Deleting'} ${acting.size} resource${acting.size === 1 ? '' : 's'}${
      plan.steps.length > acting.size ? ` (and ${plan.steps.length - acting.size} with their stack)` : ''
    }, saving about ${money(saving, currency)} a month; ${
      count('deleted') > 0 ? `${count('deleted')} deleted earlier, ` : ''
    }${count('kept')} kept, ${count('skipped')} skipped, ${count('already-gone')} already gone.`,
  );
  return `${lines.join('\n')}\n`;
}

/** One outcome line, as the execution reports it. */
export function renderOutcome(outcome: ResourceOutcome, record: RecommendationRecord): string {
  const resource = record.recommendation.resources.find((candidate) => candidate.arn === outcome.arn);
  return `  ${SETTLED_LABELS[outcome.outcome].padEnd(8)} ${resourceTypeLabel(resource?.type ?? '')} ${resourceShortId(outcome.arn)}${
    outcome.detail ? `: ${outcome.detail}` : ''
  }\n`;
}
