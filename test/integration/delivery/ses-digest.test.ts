/**
 * The HTML digest through SES v2, over the wire: the real SDK against a local endpoint standing in
 * for SES (`AWS_ENDPOINT_URL`), from `pocketwatch run --notify` with email settings: one team digest
 * and one per owner, each once.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { useFakeAwsEnv } from '../../support/fake-aws-env.js';
import { FakeAwsServer } from '../../support/fake-aws-server.js';

const SEND = 'POST /v2/email/outbound-emails';
let server: FakeAwsServer;
let restore: () => void;
let dir: string;

beforeAll(async () => {
  server = new FakeAwsServer().on(SEND, (_request, index) => ({ body: { MessageId: `ses-${index}` } }));
  restore = useFakeAwsEnv({ AWS_ENDPOINT_URL: await server.start() });
  dir = await mkdtemp(join(tmpdir(), 'pocketwatch-ses-'));
  await cp('policies', join(dir, 'policies'), { recursive: true });
  const settings = await readFile(join(dir, 'policies', 'settings.yaml'), 'utf8');
  await writeFile(
    join(dir, 'policies', 'settings.yaml'),
    `${settings}\nnotifications:\n  email: { from: pocketwatch@example.com, to: [team@example.com] }\n  perOwnerDigests: true\n`,
  );
});

afterAll(async () => {
  restore();
  await server.stop();
});

function run() {
  return runCli(
    'run',
    '--notify',
    '--format',
    'json',
    '--policies',
    join(dir, 'policies'),
    '--state',
    join(dir, 'state.json'),
  );
}

interface SendEmailBody {
  FromEmailAddress: string;
  Destination: { ToAddresses: string[] };
  Content: {
    Simple: { Subject: { Data: string }; Body: { Text: { Data: string }; Html: { Data: string } } };
  };
}

describe('the HTML digest through SES', () => {
  it('sends the team digest and one per owner, with text and HTML parts, once', async () => {
    const first = await run();
    expect(first.stderr).toContain('0 failed');
    expect(first.code).toBe(0);
    const sent = server.calls(SEND).map((call) => call.body as unknown as SendEmailBody);
    const recipients = sent.map((body) => body.Destination.ToAddresses.join(','));
    expect(recipients[0]).toBe('team@example.com');
    expect(recipients).toContain('dana@example.com');
    expect(recipients).toHaveLength(8);
    const team = sent[0] as SendEmailBody;
    expect(team.FromEmailAddress).toBe('pocketwatch@example.com');
    expect(team.Content.Simple.Subject.Data).toMatch(/^\[pocketwatch\] 2026-11-19/);
    expect(team.Content.Simple.Body.Html.Data).toContain('checkout-redesign');
    expect(team.Content.Simple.Body.Text.Data).toContain('checkout-redesign');
    const dana = sent.find((body) => body.Destination.ToAddresses[0] === 'dana@example.com') as SendEmailBody;
    expect(dana.Content.Simple.Body.Html.Data).toContain('checkout-redesign');
    expect(dana.Content.Simple.Body.Html.Data).not.toContain('invoice-ocr');

    const second = await run();
    expect(second.code).toBe(0);
    expect(server.calls(SEND)).toHaveLength(8);
  });
});
