import type { CostMetric } from '../policy/model.js';
import type { CostSource } from './cost-source.js';
import { FocusCostSource } from './focus-source.js';
import { SampleCostSource } from './sample-source.js';

export class SourceSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceSpecError';
  }
}

export const SOURCE_SPEC_HELP =
  'sample (the bundled export) or focus:PATH (a FOCUS CSV/CSV.gz file or folder)';

/** Turns `--source` into a cost source: `sample` or `focus:PATH`. */
export function costSourceFor(spec: string, options: { costMetric: CostMetric }): CostSource {
  if (spec === 'sample') return new SampleCostSource();
  if (spec.startsWith('focus:')) {
    const path = spec.slice('focus:'.length);
    if (!path) throw new SourceSpecError('--source focus:PATH needs a path after "focus:"');
    return new FocusCostSource({ path, costMetric: options.costMetric });
  }
  throw new SourceSpecError(`unknown source "${spec}": use ${SOURCE_SPEC_HELP}`);
}
