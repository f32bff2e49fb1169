import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type DeploymentConfig, loadDeploymentConfig } from '../../../infra/deployment-config.js';
import { buildPocketwatchApp, type PocketwatchStacks } from '../../../infra/pocketwatch-app.js';

export interface SynthesizedDeployment {
  app: App;
  /** What the stacks were built from. */
  config: DeploymentConfig;
  stacks: PocketwatchStacks;
  assembly: CloudAssembly;
  template(stack: Stack): Template;
  /** Every template of the app, by stack name. */
  templates: Record<string, Template>;
  outdir: string;
  cleanup(): void;
}

/**
 * Synthesises the deployment for a policies folder, bundling the functions for real (esbuild runs
 * locally; skipping it would make CDK fingerprint the whole project instead, which is slower).
 */
export async function synthesize(policiesDir: string): Promise<SynthesizedDeployment> {
  const outdir = mkdtempSync(join(tmpdir(), 'pocketwatch-cdk-'));
  const app = new App({ outdir });
  const config = await loadDeploymentConfig(policiesDir);
  const stacks = buildPocketwatchApp(app, config);
  const assembly = app.synth();
  const cache = new Map<Stack, Template>();
  const template = (stack: Stack) => {
    let found = cache.get(stack);
    if (!found) {
      found = Template.fromStack(stack, { skipCyclicalDependenciesCheck: true });
      cache.set(stack, found);
    }
    return found;
  };
  const templates = Object.fromEntries(
    app.node.children
      .filter((child): child is Stack => Stack.isStack(child))
      .map((stack) => [stack.stackName, template(stack)]),
  );
  return {
    app,
    config,
    stacks,
    assembly,
    template,
    templates,
    outdir,
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** cdk-nag's AwsSolutions findings that are not acknowledged (errors and warnings alike). */
export function unacknowledgedNagFindings(app: App): string[] {
  const report = new AwsSolutionsChecks().validateScope(app);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map(
      (resource) =>
        `${violation.severity} ${violation.ruleName} at ${resource.constructPath ?? resource.resourceLogicalId}`,
    ),
  );
}

/** A copy of the bundled example policies with settings.yaml extended by `extraSettings`. */
export function policiesWith(
  extraSettings: string,
  replace: Record<string, string> = {},
): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'pocketwatch-policies-'));
  cpSync('policies', dir, { recursive: true });
  let settings = `${readFileSync('policies/settings.yaml', 'utf8')}\n${extraSettings}\n`;
  for (const [from, to] of Object.entries(replace)) settings = settings.replace(from, to);
  writeFileSync(join(dir, 'settings.yaml'), settings);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
