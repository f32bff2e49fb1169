import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../../src/delivery/digest-model.js';
import {
  escapeMrkdwn,
  mrkdwnLink,
  renderSlackDigest,
  SLACK_LIMITS,
  type SlackBlock,
  type SlackMessage,
  slackTexts,
  type TextObject,
} from '../../../src/delivery/slack-blocks.js';
import { fixtureReport } from '../report/fixture-report.js';
import { hostileReport } from '../report/hostile-report.js';
import { bigReport, REPORT_URL, slackHostileReport } from './digest-fixtures.js';

function textObjects(blocks: readonly SlackBlock[]): TextObject[] {
  return blocks.flatMap((block) => {
    if (block.type === 'header') return [block.text];
    if (block.type === 'section') return [...(block.text ? [block.text] : []), ...(block.fields ?? [])];
    if (block.type === 'context') return block.elements;
    return [];
  });
}

/** Every Slack limit the message must keep. */
function expectWithinLimits(message: SlackMessage): void {
  expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  for (const text of slackTexts(message)) expect(text.length).toBeLessThanOrEqual(SLACK_LIMITS.text);
  expect(message.text.length).toBeGreaterThan(0);
  for (const block of message.blocks) {
    if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (block.type === 'section') {
      expect(block.text !== undefined || (block.fields?.length ?? 0) > 0).toBe(true);
      expect(block.fields?.length ?? 0).toBeLessThanOrEqual(SLACK_LIMITS.fields);
      for (const f of block.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
    if (block.type === 'context') {
      expect(block.elements.length).toBeGreaterThan(0);
      expect(block.elements.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
    }
  }
  for (const text of textObjects(message.blocks)) {
    expect(text.text.length).toBeGreaterThan(0);
    if (text.type === 'mrkdwn') expect(text.verbatim).toBe(true);
  }
}

/** The mrkdwn with our own report links taken out: what is left must hold no markup at all. */
function withoutOwnLinks(text: string): string {
  return text.replaceAll(/<https:\/\/pocketwatch\.example\.com\/[^|<>]*\|[^<>]*>/g, '');
}

describe('renderSlackDigest', () => {
  const digest = buildDigest(fixtureReport(), { reportUrl: REPORT_URL });
  const message = renderSlackDigest(digest);

  it('has a header, the headline, the figures as fields, context and dividers', () => {
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: '📊 PoC costs · Nov 19, 2026', emoji: true },
    });
    expect(message.blocks[1]).toMatchObject({ type: 'section', text: { text: `*${digest.headline}*` } });
    const fields = message.blocks[2];
    expect(fields?.type).toBe('section');
    if (fields?.type === 'section') {
      expect(fields.fields?.map((f) => f.text.split('\n')[0])).toEqual([
        '*Spent this month*',
        '*Forecast, month end*',
        '*PoCs*',
        '*New alerts*',
        '*Could save*',
        '*Unattributed*',
      ]);
      expect(fields.fields?.[0]?.text).toBe('*Spent this month*\n$532.93');
    }
    expect(message.blocks[3]?.type).toBe('context');
    expect(message.blocks.filter((b) => b.type === 'divider').length).toBeGreaterThanOrEqual(4);
    expectWithinLimits(message);
  });

  it('shows each PoC with spend against budget, forecast, change and a sparkline', () => {
    const texts = slackTexts(message);
    const checkout = texts.find((t) => t.includes('*checkout-redesign* · over budget'));
    expect(checkout).toBe(
      '🔴 *checkout-redesign* · over budget\n`██████████▶ 126%` $152.04 of $120.00 · forecast $284.52 · +$0.33 vs yesterday\n`▄▄▄▄▄▄▅▅▅▅▅█▆▆` last 14 days · owners: dana@example.com',
    );
    const donnees = texts.find((t) => t.includes('*données-clients*'));
    expect(donnees).toContain('$41.76 (no budget) · forecast $81.53');
    expect(donnees).toContain('no owner');
  });

  it('lists only new alerts, the recommendations with savings, unattributed spend and the run cost', () => {
    const all = slackTexts(message).join('\n');
    expect(all).toContain('*New alerts (5)*');
    expect(all).toContain('🚨 *checkout-redesign* · over budget · Nov 18 — checkout-redesign is over budget');
    expect(all).not.toContain('chatbot-poc expired on 2026-10-31');
    expect(all).toContain('⌛ *chatbot-poc* · expired · saves *~$37.56/mo*');
    expect(all).toContain('DynamoDB table `chatbot-sessions` $4.71/mo ⚠️ holds data');
    expect(all).toContain('*Unattributed spend:* $81.15 (15% of all spend, no PoC tag)');
    expect(all).toContain('1 PoC has no owner: données-clients');
    expect(all).toContain('this run: no AWS calls (offline), cost $0.00');
    expect(all).toContain(
      '<https://pocketwatch.example.com/reports/2026-11-19/report.html?team=a&amp;b=1|Open the full report>',
    );
  });

  it('has a fallback text for notifications', () => {
    expect(message.text).toBe(`${digest.headline} · $532.93 this month, forecast $963.32`);
  });

  it('stays within every limit for 300 PoCs and 200 alerts, summarising the rest', () => {
    const big = renderSlackDigest(buildDigest(bigReport(), { reportUrl: REPORT_URL }));
    expectWithinLimits(big);
    const all = slackTexts(big).join('\n');
    expect(all).toMatch(
      /… and 2\d\d more PoCs: see <https:\/\/pocketwatch\.example\.com\/[^|]+\|the full report>/,
    );
    expect(all).toMatch(/… and 1\d\d more alerts: see/);
    expect(all).toMatch(/… and \d+ more recommendations: see/);
    expect(all).toContain('*New alerts (200)*');
  });

  it('stays within the limits when names and messages are as long as they get', () => {
    const big = renderSlackDigest(
      buildDigest(bigReport({ pocs: 400, alerts: 400, nameLength: 256, messageLength: 4000 })),
    );
    expectWithinLimits(big);
    expect(slackTexts(big).join('\n')).toContain('more PoCs: see the full report');
  });

  it('stays within the limits when every alert needs a section of its own', () => {
    const report = bigReport({ pocs: 60, alerts: 60, recommendations: 60, messageLength: 2900 });
    const big = renderSlackDigest(buildDigest(report));
    expectWithinLimits(big);
    expect(big.blocks.length).toBeGreaterThan(40);
    const alertSections = slackTexts(big).filter((t) => t.includes('Alert '));
    expect(alertSections.length).toBeGreaterThanOrEqual(10);
  });

  it("says whose digest it is in an owner's digest, without owner lists", () => {
    const owner = renderSlackDigest(buildDigest(fixtureReport(), { owner: 'dana@example.com' }));
    expect(owner.blocks[0]).toMatchObject({ text: { text: '📊 Your PoC costs · Nov 19, 2026' } });
    const all = slackTexts(owner).join('\n');
    expect(all).toContain('PoCs owned by dana@example.com');
    expect(all).toContain('*checkout-redesign*');
    expect(all).not.toContain('search-relevance');
    expect(all).not.toContain('owners:');
    expect(all).not.toContain('Unattributed');
    expectWithinLimits(owner);
  });
});

describe('escaping for Slack mrkdwn', () => {
  it('turns &, < and > into entities and defuses mentions, links and formatting', () => {
    expect(escapeMrkdwn('a & b <c> d')).toBe('a &amp; b &lt;c&gt; d');
    expect(escapeMrkdwn('<!channel>')).toBe('&lt;!channel&gt;');
    expect(escapeMrkdwn('<@U024BE7LH>')).toBe('&lt;@U024BE7LH&gt;');
    expect(escapeMrkdwn('hi @channel and @Here')).toBe('hi @\u2060channel and @\u2060Here');
    expect(escapeMrkdwn('see https://evil.example.com')).toBe('see https:\u2060//evil.example.com');
    expect(escapeMrkdwn('*bold* ~gone~ `code`')).toBe('∗bold∗ ∼gone∼ ˋcodeˋ');
    expect(escapeMrkdwn('_italic_ image_tagging')).toBe('＿italic＿ image_tagging');
    expect(escapeMrkdwn('two\nlines\u202e')).toBe('two lines\uFFFD');
  });

  it('escapes a link label and keeps its URL intact', () => {
    expect(mrkdwnLink('https://x.example.com/a?b=1&c=2|3', 'a <b>')).toBe(
      '<https://x.example.com/a?b=1&amp;c=2%7C3|a &lt;b&gt;>',
    );
  });

  it('lets no user string of the HTML-hostile report become markup', () => {
    const message = renderSlackDigest(buildDigest(hostileReport(), { reportUrl: REPORT_URL }));
    expectWithinLimits(message);
    for (const text of slackTexts(message)) {
      const rest = withoutOwnLinks(text);
      expect(rest).not.toMatch(/[<>]/);
      expect(rest).not.toMatch(/&(?!amp;|lt;|gt;)/);
      expect(rest).not.toContain('javascript:');
    }
    expect(slackTexts(message).join('\n')).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('lets no user string become a mention, a link or formatting', () => {
    const message = renderSlackDigest(buildDigest(slackHostileReport(), { reportUrl: REPORT_URL }));
    expectWithinLimits(message);
    for (const text of slackTexts(message)) {
      const rest = withoutOwnLinks(text);
      expect(rest).not.toMatch(/[<>]/);
      expect(rest).not.toMatch(/&(?!amp;|lt;|gt;)/);
      expect(rest).not.toMatch(/@(channel|here|everyone)/i);
      expect(rest).not.toContain('://');
      expect(rest).not.toContain('```');
    }
    const all = slackTexts(message).join('\n');
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).toContain('∗bold∗');
    // A payload's line break never starts a line of its own ("> quote" would be a block quote).
    expect(all.split('\n').some((line) => line.startsWith('&gt; quote'))).toBe(false);
  });
});
