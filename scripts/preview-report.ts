/**
 * Renders the report fixture (with --sample, also a real run over the bundled sample export; with
 * --hostile, the fixture with injection payloads in every user string) to test-artifacts/ so the
 * HTML page, the markdown digest and the terminal digest can be looked at.
 *
 *   npx tsx scripts/preview-report.ts [--sample] [--hostile]
 *   chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
 *     --disable-component-update --disable-sync --no-first-run --screenshot=/tmp/report.png \
 *     --window-size=1280,2600 file://$PWD/test-artifacts/report-preview.html
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { runGovernance } from '../src/app/governance-run.js';
import type { Report } from '../src/core/report.js';
import { bundledPath } from '../src/package-paths.js';
import { loadPolicies } from '../src/policy/load-policies.js';
import { renderHtml } from '../src/report/render-html.js';
import { reportToJson } from '../src/report/render-json.js';
import { renderMarkdown } from '../src/report/render-markdown.js';
import { renderText } from '../src/report/render-text.js';
import { SampleCostSource } from '../src/sources/sample-source.js';
import { fixtureReport } from '../test/unit/report/fixture-report.js';
import { hostileReport } from '../test/unit/report/hostile-report.js';

const OUT = resolve('test-artifacts');

async function write(name: string, report: Report): Promise<void> {
  await writeFile(join(OUT, `${name}.html`), renderHtml(report));
  await writeFile(join(OUT, `${name}.md`), renderMarkdown(report));
  await writeFile(join(OUT, `${name}.txt`), renderText(report, { color: false, width: 120 }));
  await writeFile(join(OUT, `${name}.json`), `${JSON.stringify(reportToJson(report), null, 2)}\n`);
  process.stdout.write(`wrote ${join(OUT, `${name}.html`)} (+ .md, .txt, .json)\n`);
}

async function sampleReport(): Promise<Report> {
  const loaded = await loadPolicies(bundledPath('policies'));
  if (!loaded.policySet) throw new Error('the bundled policies do not load');
  const source = new SampleCostSource();
  return runGovernance({
    source,
    policySet: loaded.policySet,
    asOf: source.defaultAsOf,
    now: new Date(),
    state: {
      location: 'memory',
      deliveredAlertIds: async () => new Set<string>(),
      recordDeliveries: async () => [],
    },
  });
}

await mkdir(OUT, { recursive: true });
await write('report-preview', fixtureReport());
if (process.argv.includes('--sample')) await write('report-sample', await sampleReport());
if (process.argv.includes('--hostile')) await write('report-hostile', hostileReport());
