import { describe, expect, it } from 'vitest';
import {
  CHATBOT_LIMITS,
  type ChatbotNotification,
  chatbotThreadId,
  renderChatbotDigest,
} from '../../../src/delivery/chatbot-message.js';
import { buildDigest } from '../../../src/delivery/digest-model.js';
import { SNS_MESSAGE_MAX_BYTES, utf8Bytes } from '../../../src/delivery/size-limits.js';
import { fixtureReport } from '../report/fixture-report.js';
import { hostileReport } from '../report/hostile-report.js';
import { bigReport, REPORT_URL, slackHostileReport } from './digest-fixtures.js';

function parse(json: string): ChatbotNotification {
  return JSON.parse(json) as ChatbotNotification;
}

/** The shape AWS Chatbot accepts for a custom notification, with our limits. */
function expectChatbotShape(n: ChatbotNotification): void {
  expect(Object.keys(n).sort()).toEqual(['content', 'metadata', 'source', 'version']);
  expect(n.version).toBe('1.0');
  expect(n.source).toBe('custom');
  expect(Object.keys(n.content).sort()).toEqual([
    'description',
    'keywords',
    'nextSteps',
    'textType',
    'title',
  ]);
  expect(n.content.textType).toBe('client-markdown');
  expect(typeof n.content.title).toBe('string');
  expect(n.content.title.length).toBeGreaterThan(0);
  expect(n.content.title.length).toBeLessThanOrEqual(CHATBOT_LIMITS.title);
  expect(n.content.description.length).toBeLessThan(CHATBOT_LIMITS.description);
  expect(n.content.nextSteps.length).toBeLessThanOrEqual(CHATBOT_LIMITS.nextSteps);
  expect(n.content.nextSteps.every((s) => typeof s === 'string' && s.length > 0)).toBe(true);
  expect(n.content.keywords.length).toBeLessThanOrEqual(CHATBOT_LIMITS.keywords);
  expect(n.content.keywords.every((k) => k.length <= CHATBOT_LIMITS.keyword)).toBe(true);
  expect(Object.keys(n.metadata).sort()).toEqual(['summary', 'threadId']);
  expect(n.metadata.threadId).toMatch(/^[a-z0-9-]+$/);
  expect(n.metadata.summary.length).toBeLessThanOrEqual(CHATBOT_LIMITS.summary);
}

describe('renderChatbotDigest', () => {
  const digest = buildDigest(fixtureReport(), { reportUrl: REPORT_URL });
  const json = renderChatbotDigest(digest);
  const n = parse(json);

  it('is a Chatbot custom notification', () => {
    expectChatbotShape(n);
    expect(n.content.title).toBe('📊 PoC costs · Nov 19, 2026: 2 PoCs need attention');
    expect(n.metadata).toEqual({
      threadId: 'pocketwatch-digest-team-2026-11',
      summary: '2 PoCs need attention · $532.93 this month',
    });
    expect(n.content.keywords).toEqual(['pocketwatch', 'cost digest', 'over budget', 'expired', 'savings']);
  });

  it('describes the headline, PoCs, new alerts, recommendations, unattributed spend and run cost', () => {
    const d = n.content.description;
    expect(d.startsWith(`*${digest.headline}*\nSpent this month: *$532.93* · forecast $963.32`)).toBe(true);
    expect(d).toContain('🔴 *checkout-redesign* · over budget');
    expect(d).toContain('*New alerts (5)*');
    expect(d).not.toContain('chatbot-poc expired on 2026-10-31');
    expect(d).toContain('⌛ *chatbot-poc* · expired · saves *~$37.56/mo*');
    expect(d).toContain('*Unattributed spend:* $81.15');
    expect(d).toContain('this run: no AWS calls (offline), cost $0.00');
  });

  it('gives next steps, ending with the report link', () => {
    expect(n.content.nextSteps).toEqual([
      'Check *checkout-redesign*: over budget ($152 of $120); cut its spend or raise its budget in its policy',
      'Tear down *chatbot-poc* or extend its expiry date: it is expired and still billing',
      'Review recommendation `3f9a2c1b` for *chatbot-poc*: saves ~$37.56/mo',
      'Give the PoC without an owner a policy with owners',
      `Open the full report: ${REPORT_URL}`,
    ]);
  });

  it('threads each scope by month, with an ASCII id for owners', () => {
    const owner = buildDigest(fixtureReport(), { owner: 'Dana@example.com' });
    const same = buildDigest(fixtureReport(), { owner: 'dana@example.com' });
    const other = buildDigest(fixtureReport(), { owner: 'dañа@example.com' });
    expect(chatbotThreadId(owner)).toMatch(/^pocketwatch-digest-owner-dana-example-com-[0-9a-f]{8}-2026-11$/);
    expect(chatbotThreadId(same)).toBe(chatbotThreadId(owner));
    expect(chatbotThreadId(other)).not.toBe(chatbotThreadId(owner));
    expectChatbotShape(parse(renderChatbotDigest(owner)));
  });

  it('summarises instead of going over the description limit or the SNS limit', () => {
    const big = buildDigest(bigReport({ pocs: 300, alerts: 200, nameLength: 256, messageLength: 900 }), {
      reportUrl: REPORT_URL,
    });
    const out = renderChatbotDigest(big);
    expect(utf8Bytes(out)).toBeLessThanOrEqual(SNS_MESSAGE_MAX_BYTES);
    const parsed = parse(out);
    expectChatbotShape(parsed);
    expect(parsed.content.description).toMatch(/… and \d+ more PoCs: see <https:[^|]+\|the full report>/);
    expect(parsed.content.description).toMatch(/… and \d+ more alerts/);
    expect(parsed.content.description.endsWith('cost $0.00_')).toBe(true);
  });

  it('respects a smaller byte limit', () => {
    const big = buildDigest(bigReport());
    const out = renderChatbotDigest(big, { limitBytes: 4000 });
    expect(utf8Bytes(out)).toBeLessThanOrEqual(4000);
    expectChatbotShape(parse(out));
  });

  it('escapes hostile strings everywhere', () => {
    for (const report of [hostileReport(), slackHostileReport()]) {
      const out = parse(renderChatbotDigest(buildDigest(report, { reportUrl: REPORT_URL })));
      expectChatbotShape(out);
      for (const text of [out.content.title, out.content.description, ...out.content.nextSteps]) {
        const rest = text.replaceAll(/<https:\/\/pocketwatch\.example\.com\/[^|<>]*\|[^<>]*>/g, '');
        expect(rest).not.toMatch(/[<>]/);
        expect(rest).not.toMatch(/@(channel|here|everyone)/i);
      }
      expect(out.content.description).toContain('&lt;');
    }
  });
});
