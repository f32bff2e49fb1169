import { readFileSync } from 'node:fs';
import type { IsoDate } from '../core/calendar.js';
import { bundledPath } from '../package-paths.js';
import type { CostDataset, CostQuery, CostSource, ProgressListener } from './cost-source.js';
import { FocusCostSource, type ResourceCollectionOptions } from './focus-source.js';

interface SampleManifest {
  description: string;
  file: string;
  firstDay: IsoDate;
  asOf: IsoDate;
}

export function sampleManifest(): SampleManifest {
  return JSON.parse(readFileSync(bundledPath('sample', 'sample.json'), 'utf8')) as SampleManifest;
}

/**
 * The bundled sample export, read by the FOCUS reader. It covers fixed dates, so a run uses the
 * sample's own as-of day unless told otherwise and prints the same digest on any day and machine.
 */
export class SampleCostSource implements CostSource {
  readonly kind = 'sample';
  readonly description: string;
  readonly defaultAsOf: IsoDate;
  private readonly reader: FocusCostSource;

  /** @param options.resources also collect per-resource charges (offline idle detection). */
  constructor(options: { resources?: ResourceCollectionOptions } = {}) {
    const manifest = sampleManifest();
    const path = bundledPath('sample', manifest.file);
    this.description = `bundled sample (${manifest.file})`;
    this.defaultAsOf = manifest.asOf;
    this.reader = new FocusCostSource({
      path,
      ...(options.resources ? { resources: options.resources } : {}),
    });
  }

  load(query: CostQuery, onProgress?: ProgressListener): Promise<CostDataset> {
    return this.reader.load(query, onProgress);
  }
}
