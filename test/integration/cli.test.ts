import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { focusHeader, focusLine } from '../../scripts/lib/focus-writer.js';
import { reportJsonSchema } from '../../src/report/report-schema.js';
import { runCli } from '../support/cli.js';

let stateDir: string;
beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'pocketwatch-cli-'));
});

const cli = runCli;

describe('pocketwatch run on the bundled sample', () => {
  it('prints the JSON contract with every status and the sample as-of', async () => {
    const { code, stdout } = await cli('run', '--format', 'json', '--state', join(stateDir, 's1.json'));
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    const ajv = new Ajv({ allErrors: true, strict: false });
    expect(ajv.validate(reportJsonSchema, report), ajv.errorsText()).toBe(true);
    expect(report).toMatchObject({
      schemaVersion: 1,
      asOf: '2026-11-19',
      period: { start: '2026-11-01', end: '2026-11-19' },
      currency: 'USD',
      tagKey: 'poc',
      source: { kind: 'sample', estimated: false },
      apiCalls: {},
      apiCost: 0,
    });
    // Offline idle detection: the expired PoC's NAT gateway bills hours with no traffic.
    expect(report.recommendations).toHaveLength(1);
    expect(report.recommendations[0]).toMatchObject({ poc: 'chatbot-poc', reason: 'expired' });
    expect(report.recommendations[0].resources.map((r: { arn: string }) => r.arn)).toContain(
      'arn:aws:ec2:us-east-1:111122223333:natgateway/nat-07a9f3e2c4d1b8a60',
    );
    const statuses = Object.fromEntries(
      report.pocs.map((p: { poc: string; status: string }) => [p.poc, p.status]),
    );
    expect(statuses).toEqual({
      'checkout-redesign': 'over-budget',
      'chatbot-poc': 'expired',
      'search-relevance': 'warning',
      'image-tagging': 'warning',
      'ml-feature-store': 'unbudgeted',
      'invoice-ocr': 'ok',
      'pricing-experiment': 'ok',
    });
    const kinds = new Set(report.alerts.map((a: { kind: string }) => a.kind));
    for (const kind of [
      'over-budget',
      'forecast',
      'anomaly',
      'daily-cap',
      'expired',
      'unbudgeted',
      'lifetime',
    ]) {
      expect(kinds).toContain(kind);
    }
    expect(report.unattributed.monthToDate).toBeGreaterThan(0);
    const sum = report.pocs.reduce(
      (s: number, p: { monthToDate: number }) => s + p.monthToDate,
      report.unattributed.monthToDate,
    );
    expect(Math.abs(sum - report.total.monthToDate)).toBeLessThan(1e-6);
    const young = report.pocs.find((p: { poc: string }) => p.poc === 'pricing-experiment');
    expect(young.forecastBasis.days).toBe(2);
    expect(young.forecastMonthEnd).toBeGreaterThan(young.monthToDate);
  });

  it('prints a text digest and writes report.json, digest.md and index.html with --out', async () => {
    const out = join(stateDir, 'out');
    const { code, stdout, stderr } = await cli('run', '--out', out, '--state', join(stateDir, 's2.json'));
    expect(code).toBe(0);
    expect(stdout).toContain('checkout-redesign');
    expect(stdout).not.toContain('\x1b[');
    for (const file of ['report.json', 'digest.md', 'index.html'])
      expect(existsSync(join(out, file))).toBe(true);
    expect(await readFile(join(out, 'index.html'), 'utf8')).toContain('<svg');
    expect(stderr).toContain('wrote');
  });

  it('exits 4 with --fail-on critical when a critical alert exists', async () => {
    const { code } = await cli(
      'run',
      '--format',
      'json',
      '--fail-on',
      'critical',
      '--state',
      join(stateDir, 's3.json'),
    );
    expect(code).toBe(4);
  });
});

describe('pocketwatch run on a FOCUS file', () => {
  it('reads focus:PATH, reports a malformed row by line and exits 3 (partial)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pocketwatch-focus-'));
    const file = join(dir, 'export.csv');
    const row = (day: string, cost: string, tags: string | null) =>
      focusLine({
        ChargePeriodStart: `${day}T00:00:00Z`,
        ChargePeriodEnd: `${day}T23:00:00Z`,
        BilledCost: cost,
        EffectiveCost: cost,
        ServiceName: 'AWS Lambda',
        SubAccountId: '111122223333',
        ProviderName: 'AWS',
        BillingCurrency: 'USD',
        Tags: tags,
      });
    await writeFile(
      file,
      focusHeader() +
        row('2026-11-01', '1.5', '{"poc":"alpha"}') +
        row('2026-11-02', 'not-a-number', '{"poc":"alpha"}') +
        row('2026-11-02', '2.25', null),
    );
    const { code, stdout } = await cli(
      'run',
      '--source',
      `focus:${file}`,
      '--policies',
      join(dir, 'no-policies'),
      '--as-of',
      '2026-11-03',
      '--format',
      'json',
      '--state',
      join(stateDir, 's4.json'),
    );
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const policies = join(dir, 'policies');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(policies);
    await writeFile(
      join(policies, 'alpha.yaml'),
      'poc: alpha\nowners: [a@example.com]\nbudget:\n  monthly: 10\n',
    );
    const ok = await cli(
      'run',
      '--source',
      `focus:${file}`,
      '--policies',
      policies,
      '--as-of',
      '2026-11-03',
      '--format',
      'json',
      '--state',
      join(stateDir, 's5.json'),
    );
    expect(ok.code).toBe(3);
    const report = JSON.parse(ok.stdout);
    expect(report.source.partial).toBe(true);
    expect(report.pocs[0]).toMatchObject({ poc: 'alpha', monthToDate: 1.5 });
    expect(report.unattributed.monthToDate).toBe(2.25);
    expect(report.warnings.some((w: { where?: string }) => w.where === `${file}:3`)).toBe(true);
  });

  it('names the file when the export lacks a required column', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pocketwatch-focus-'));
    const file = join(dir, 'bad.csv');
    await writeFile(file, 'ChargePeriodStart,BilledCost\n2026-11-01,1\n');
    const { code, stderr } = await cli(
      'run',
      '--source',
      `focus:${file}`,
      '--as-of',
      '2026-11-03',
      '--state',
      join(stateDir, 's6.json'),
    );
    expect(code).toBe(1);
    expect(stderr).toContain(file);
    expect(stderr).toMatch(/ServiceName/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('pocketwatch validate and usage', () => {
  it('accepts the bundled policies', async () => {
    const { code, stdout } = await cli('validate', 'policies');
    expect(code).toBe(0);
    expect(stdout).toContain('6 PoC policies');
  });

  it('locates errors and suggests the intended key, exit 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pocketwatch-policies-'));
    await writeFile(join(dir, 'a.yaml'), 'poc: a\nowners: [a@example.com]\nbudget:\n  monthy: 120\n');
    const { code, stdout } = await cli('validate', dir);
    expect(code).toBe(1);
    expect(stdout).toContain(`${join(dir, 'a.yaml')}:4:3`);
    expect(stdout).toContain('monthly');
  });

  it('exits 2 on an unknown option and 0 on --help for every subcommand', async () => {
    expect((await cli('run', '--bogus')).code).toBe(2);
    expect((await cli('run', '--as-of', '2026-02-30')).code).toBe(2);
    for (const command of ['run', 'validate', 'digest', 'idle-rules', 'iam-policy']) {
      const help = await cli(command, '--help');
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Exit codes');
    }
  });

  it('runs as the installed bin (dist/ is built by npm ci and npm test)', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/pocketwatch.js', '--help']);
    expect(stdout).toContain('Usage: pocketwatch');
  });
});

describe('pocketwatch idle-rules and iam-policy', () => {
  it('lists every idle rule with its window and whether it holds data', async () => {
    const { code, stdout } = await cli('idle-rules', '--format', 'json');
    expect(code).toBe(0);
    const rules = JSON.parse(stdout) as Array<{ type: string; windowDays: number; holdsData: boolean }>;
    expect(rules.map((rule) => rule.type)).toEqual(
      expect.arrayContaining(['lambda:function', 'ec2:natgateway', 'dynamodb:table', 'kinesis:stream']),
    );
    expect(rules.find((rule) => rule.type === 'dynamodb:table')?.holdsData).toBe(true);
  });

  it('prints a read-only IAM policy derived from the code', async () => {
    const { code, stdout } = await cli('iam-policy', '--policies', 'policies');
    expect(code).toBe(0);
    const actions: string[] = JSON.parse(stdout).Statement[0].Action;
    expect(actions).toContain('ce:GetCostAndUsage');
    expect(actions).toContain('cloudwatch:GetMetricData');
    expect(actions).toContain('tag:GetResources');
    expect(actions.some((action) => /:(Delete|Terminate|Remove|Put|Create|Update)/.test(action))).toBe(false);
  });

  it('prints the teardown policy: without allowed accounts, describe calls only', async () => {
    const { code, stdout } = await cli('iam-policy', '--teardown', '--policies', 'policies');
    expect(code).toBe(0);
    const statements: Array<{ Sid: string; Action: string[] }> = JSON.parse(stdout).Statement;
    expect(statements.map((statement) => statement.Sid)).toEqual(['TeardownDescribe']);
    expect(statements[0]?.Action).toContain('ec2:DescribeNatGateways');
  });
});

describe('pocketwatch digest --preview', () => {
  it('writes what each channel would receive and sends nothing', async () => {
    const out = join(stateDir, 'digest');
    const { code, stdout } = await cli(
      'digest',
      '--preview',
      '--out',
      out,
      '--state',
      join(stateDir, 'd.json'),
    );
    expect(code).toBe(0);
    expect(stdout).toContain('checkout-redesign');
    const slack = JSON.parse(await readFile(join(out, 'slack.json'), 'utf8'));
    expect(slack.blocks.length).toBeLessThanOrEqual(50);
    expect(await readFile(join(out, 'email.txt'), 'utf8')).toMatch(/^Subject: \[pocketwatch\] 2026-11-19/);
    expect(await readFile(join(out, 'email.html'), 'utf8')).not.toContain('<script');
    expect(JSON.parse(await readFile(join(out, 'chatbot.json'), 'utf8'))).toMatchObject({
      version: '1.0',
      source: 'custom',
    });
  });

  it('refuses to send without --preview', async () => {
    expect((await cli('digest')).code).toBe(2);
  });
});
