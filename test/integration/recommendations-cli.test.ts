import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeUnverifiedClaims } from '../../src/approval/approval-token.js';
import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/cli/output.js';

interface Captured extends Output {
  stdout: string;
  stderr: string;
}

function capture(): Captured {
  const captured: Captured = {
    stdout: '',
    stderr: '',
    out: (text) => {
      captured.stdout += text;
    },
    err: (text) => {
      captured.stderr += text;
    },
    interactive: false,
    color: false,
    columns: 120,
  };
  return captured;
}

async function cli(...args: string[]) {
  const output = capture();
  const code = await main(['node', 'pocketwatch', ...args], output);
  return { code, stdout: output.stdout, stderr: output.stderr };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pocketwatch-recs-'));
});
afterEach(() => {
  delete process.env.POCKETWATCH_APPROVAL_URL;
  delete process.env.POCKETWATCH_APPROVAL_KEYS;
});

async function runAndList(state: string) {
  const run = await cli('run', '--format', 'json', '--state', state);
  expect(run.code).toBe(0);
  const listed = await cli('recommendations', 'list', '--format', 'json', '--state', state);
  expect(listed.code).toBe(0);
  return { report: JSON.parse(run.stdout), records: JSON.parse(listed.stdout) };
}

describe('recommendation lifecycle from the command line', () => {
  it('records the run’s proposal, approves it with an audit entry, and refuses a reject afterwards', async () => {
    const state = join(dir, 'approve.json');
    const { report, records } = await runAndList(state);
    expect(report.recommendations).toHaveLength(1);
    const id: string = report.recommendations[0].id;
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      id,
      state: 'proposed',
      version: 1,
      recommendation: { poc: 'chatbot-poc' },
    });
    expect(records[0].audit).toEqual([
      expect.objectContaining({ event: 'propose', from: 'run', toState: 'proposed' }),
    ]);

    const text = await cli('recommendations', 'list', '--state', state);
    expect(text.stdout).toContain(`${id}  proposed  chatbot-poc`);

    const approved = await cli('approve', id, '--by', 'alice', '--state', state);
    expect(approved.code).toBe(0);
    expect(approved.stdout).toContain('proposed → approved');

    const shown = await cli('recommendations', 'show', id, '--format', 'json', '--state', state);
    const record = JSON.parse(shown.stdout);
    expect(record).toMatchObject({ state: 'approved', version: 2 });
    expect(record.links).toBeUndefined();
    const last = record.audit.at(-1);
    expect(last).toMatchObject({
      event: 'approve',
      actor: 'alice',
      from: 'cli',
      fromState: 'proposed',
      toState: 'approved',
      resourceSetHash: record.resourceSetHash,
    });
    expect(last.arns).toContain('arn:aws:ec2:us-east-1:111122223333:natgateway/nat-07a9f3e2c4d1b8a60');

    const rejected = await cli('reject', id, '--reason', 'changed my mind', '--state', state);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain('cannot reject');
    expect(rejected.stderr).toContain('it is approved');

    // A second run keeps the approved state (existing ids are not reset).
    const again = await runAndList(state);
    expect(again.records[0]).toMatchObject({ id, state: 'approved', version: 2 });

    const textShow = await cli('recommendations', 'show', id, '--state', state);
    expect(textShow.stdout).toContain('State: approved');
    expect(textShow.stdout).toContain('approve by alice via cli: proposed → approved');
    expect(textShow.stdout).toContain('evidence:');
  });

  it('snooze hides the set from later runs until the date, then it is proposed again', async () => {
    const state = join(dir, 'snooze.json');
    const { report } = await runAndList(state);
    const id: string = report.recommendations[0].id;

    const past = await cli('snooze', id, '--until', '2000-01-01', '--state', state);
    expect(past.code).toBe(1);
    expect(past.stderr).toContain('not in the future');

    const snoozed = await cli('snooze', id, '--until', '2099-01-01', '--state', state);
    expect(snoozed.code).toBe(0);
    expect(snoozed.stdout).toContain('snoozed until 2099-01-01');

    const hidden = await runAndList(state);
    expect(hidden.report.recommendations).toEqual([]);
    expect(hidden.records[0]).toMatchObject({ id, state: 'snoozed', snoozedUntil: '2099-01-01' });

    // Once the day has come (simulated by moving the stored date back), the run proposes it again.
    const file = JSON.parse(await readFile(state, 'utf8'));
    file.recommendations[id].snoozedUntil = '2000-01-01';
    await writeFile(state, JSON.stringify(file));
    const back = await runAndList(state);
    expect(back.report.recommendations.map((r: { id: string }) => r.id)).toEqual([id]);
  });

  it('reject needs a reason and hides the set from later runs', async () => {
    const state = join(dir, 'reject.json');
    const { report } = await runAndList(state);
    const id: string = report.recommendations[0].id;
    expect((await cli('reject', id, '--state', state)).code).toBe(2);
    const rejected = await cli('reject', id, '--reason', 'still in use', '--state', state);
    expect(rejected.code).toBe(0);
    expect((await runAndList(state)).report.recommendations).toEqual([]);
    expect((await cli('approve', id, '--state', state)).code).toBe(1);
  });

  it('unknown id: exit 1 with a clear message', async () => {
    const state = join(dir, 'unknown.json');
    for (const args of [
      ['recommendations', 'show', 'nope'],
      ['approve', 'nope'],
      ['snooze', 'nope', '--until', '2099-01-01'],
    ]) {
      const result = await cli(...args, '--state', state);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('no recommendation with id "nope"');
    }
  });

  it('show prints signed links when the approval URL and keys are set', async () => {
    const state = join(dir, 'links.json');
    const { report } = await runAndList(state);
    const id: string = report.recommendations[0].id;
    process.env.POCKETWATCH_APPROVAL_URL = 'https://approve.example.com/act';
    process.env.POCKETWATCH_APPROVAL_KEYS = JSON.stringify({
      current: { id: 'k1', secret: Buffer.alloc(32, 7).toString('base64') },
    });
    const shown = await cli('recommendations', 'show', id, '--format', 'json', '--state', state);
    expect(shown.code).toBe(0);
    const { links } = JSON.parse(shown.stdout);
    expect(Object.keys(links).sort()).toEqual(['approve', 'reject', 'snooze']);
    expect(links.approve).toMatch(/^https:\/\/approve\.example\.com\/act\?token=/);
    // One decision per printed set: the three links share one nonce.
    const claims = Object.values(links).map((url) =>
      decodeUnverifiedClaims(new URL(url as string).searchParams.get('token')),
    );
    expect(claims.map((c) => c?.recommendationId)).toEqual([id, id, id]);
    expect(new Set(claims.map((c) => c?.nonce)).size).toBe(1);
    const text = await cli('recommendations', 'show', id, '--state', state);
    expect(text.stdout).toContain('Links:');

    // Only the actions the lifecycle allows now are offered.
    expect((await cli('snooze', id, '--until', '2099-01-01', '--state', state)).code).toBe(0);
    expect((await cli('reject', id, '--reason', 'kept', '--state', state)).code).toBe(0);
    const rejected = await cli('recommendations', 'show', id, '--format', 'json', '--state', state);
    expect(JSON.parse(rejected.stdout).links).toEqual({});

    process.env.POCKETWATCH_APPROVAL_URL = 'approve.example.com';
    const bad = await cli('recommendations', 'show', id, '--state', state);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('POCKETWATCH_APPROVAL_URL');
  });

  it('refuses a --state that names no DynamoDB table, before any call', async () => {
    const result = await cli('recommendations', 'list', '--state', 'dynamodb:x');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--state "dynamodb:x": "x" is not a DynamoDB table name');
  });

  it('prints help for each command', async () => {
    for (const args of [
      ['recommendations', 'list'],
      ['recommendations', 'show'],
      ['approve'],
      ['reject'],
      ['snooze'],
    ]) {
      const result = await cli(...args, '--help');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('--state');
      expect(result.stdout).toContain('dynamodb:TABLE');
    }
  });
});
