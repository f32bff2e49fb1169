/**
 * Renders the daily digest of the report fixture in every delivery format to
 * test-artifacts/digest-preview/ so it can be looked at (with --owner=EMAIL, that owner's digest;
 * with --hostile, the fixture with injection payloads in every user string):
 *
 *   npx tsx scripts/preview-digest.ts [--owner=dana@example.com] [--hostile]
 *   chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
 *     --disable-component-update --disable-sync --no-first-run --screenshot=/tmp/email.png \
 *     --window-size=800,1800 file://$PWD/test-artifacts/digest-preview/email.html
 *
 * slack.json is the webhook payload (paste its blocks into Slack's Block Kit Builder); chatbot.json is
 * the SNS message body for AWS Chatbot; email.txt is the SNS email (subject on the first line).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { renderChatbotDigest } from '../src/delivery/chatbot-message.js';
import { buildDigest } from '../src/delivery/digest-model.js';
import { renderEmailHtml } from '../src/delivery/email-html.js';
import { renderEmailText } from '../src/delivery/email-text.js';
import { renderSlackDigest } from '../src/delivery/slack-blocks.js';
import { fixtureReport } from '../test/unit/report/fixture-report.js';
import { hostileReport } from '../test/unit/report/hostile-report.js';

const OUT = resolve('test-artifacts/digest-preview');
const REPORT_URL = 'https://pocketwatch.example.com/reports/2026-11-19/report.html';

const owner = process.argv.find((arg) => arg.startsWith('--owner='))?.slice('--owner='.length);
const report = process.argv.includes('--hostile') ? hostileReport() : fixtureReport();
const digest = buildDigest(report, { reportUrl: REPORT_URL, ...(owner !== undefined && { owner }) });

const slack = renderSlackDigest(digest);
const email = renderEmailText(digest);
const chatbot = renderChatbotDigest(digest);

await mkdir(OUT, { recursive: true });
await writeFile(join(OUT, 'slack.json'), `${JSON.stringify(slack, null, 2)}\n`);
await writeFile(join(OUT, 'email.txt'), `Subject: ${email.subject}\n\n${email.body}`);
await writeFile(join(OUT, 'email.html'), renderEmailHtml(digest));
await writeFile(join(OUT, 'chatbot.json'), `${JSON.stringify(JSON.parse(chatbot), null, 2)}\n`);
process.stdout.write(`wrote ${OUT}/{slack.json,email.txt,email.html,chatbot.json}\n`);
