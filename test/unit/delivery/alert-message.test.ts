import { describe, expect, it } from 'vitest';
import { parseMoney } from '../../../src/core/money.js';
import type { Alert, RecommendedResource, Report } from '../../../src/core/report.js';
import {
  type AlertMessage,
  alertMessage,
  publishInput,
  publishSize,
  recommendationMessage,
  SNS_MESSAGE_LIMIT_BYTES,
  subjectLine,
  toAscii,
} from '../../../src/delivery/alert-message.js';
import { fixtureReport } from '../report/fixture-report.js';
import { hostileReport } from '../report/hostile-report.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:pocketwatch-alerts';

function alertOf(report: Report, kind: Alert['kind']): Alert {
  const alert = report.alerts.find((candidate) => candidate.kind === kind);
  if (!alert) throw new Error(`the fixture has no ${kind} alert`);
  return alert;
}

function expectValidSubject(subject: string): void {
  expect(subject).toMatch(/^[\x20-\x7e]+$/);
  expect(subject.length).toBeLessThan(100);
  expect(subject).not.toMatch(/[\r\n]/);
  expect(subject.startsWith('[pocketwatch] ')).toBe(true);
}

/** The report with one PoC renamed everywhere (PoC, alerts, recommendations). */
function renamed(name: string): Report {
  const report = fixtureReport();
  const from = 'checkout-redesign';
  for (const poc of report.pocs) if (poc.poc === from) poc.poc = name;
  for (const alert of report.alerts) if (alert.poc === from) alert.poc = name;
  return report;
}

interface Chatbot {
  version: string;
  source: string;
  id: string;
  content: { textType: string; title: string; description: string; nextSteps?: string[]; keywords: string[] };
  metadata: { threadId: string; summary: string; additionalContext: Record<string, string> };
}

function chatbotOf(message: AlertMessage): Chatbot {
  return JSON.parse(message.chatbot) as Chatbot;
}

describe('alert subjects', () => {
  it('say which PoC, what and how much, in ASCII under 100 characters', () => {
    const report = fixtureReport();
    expect(alertMessage(alertOf(report, 'over-budget'), report).subject).toBe(
      '[pocketwatch] checkout-redesign over budget: $152 of $120',
    );
    for (const alert of report.alerts) expectValidSubject(alertMessage(alert, report).subject);
    for (const recommendation of report.recommendations) {
      expectValidSubject(recommendationMessage(recommendation, report).subject);
    }
  });

  it('transliterate accents and replace scripts ASCII cannot spell', () => {
    const report = renamed('débit-カード');
    const subject = alertMessage(alertOf(report, 'over-budget'), report).subject;
    expectValidSubject(subject);
    expect(subject).toBe('[pocketwatch] debit-? over budget: $152 of $120');
    expect(toAscii('données “Straße” — Œuvre\u00a0€5')).toBe('donnees "Strasse" - OEuvre EUR5');
  });

  it('shorten a 300-character PoC name but keep what happened', () => {
    const name = `poc-${'x'.repeat(296)}`;
    const report = renamed(name);
    for (const alert of report.alerts.filter((a) => a.poc === name)) {
      const subject = alertMessage(alert, report).subject;
      expectValidSubject(subject);
      expect(subject).toContain('...');
    }
    expect(alertMessage(alertOf(report, 'over-budget'), report).subject).toMatch(
      /^\[pocketwatch\] poc-x+\.\.\. over budget: \$152 of \$120$/,
    );
  });

  it('stay on one line and under the limit whatever the input', () => {
    expectValidSubject(subjectLine('a\nb\r\nc\u0000\u202e', 'over budget'));
    expect(subjectLine('a\nb', 'x')).toBe('[pocketwatch] a b x');
    expectValidSubject(subjectLine('p', 'y'.repeat(500)));
    expectValidSubject(subjectLine('🙂'.repeat(300), '🙂'.repeat(300)));
    for (const alert of hostileReport().alerts) {
      expectValidSubject(alertMessage(alert, hostileReport()).subject);
    }
  });

  it('show amounts in other currencies without symbols SNS would refuse', () => {
    const report = fixtureReport();
    report.currency = 'EUR';
    const subject = alertMessage(alertOf(report, 'over-budget'), report).subject;
    expectValidSubject(subject);
    expect(subject).toContain('EUR');
  });
});

describe('alert bodies', () => {
  it('say what happened, how much, since when, the forecast and who owns it', () => {
    const report = fixtureReport();
    const { body } = alertMessage(alertOf(report, 'over-budget'), report);
    expect(body).toContain('checkout-redesign is over budget: $152.04 of $120.00');
    expect(body).toContain('Month to date: $152.04 of the $120.00 monthly budget');
    expect(body).toMatch(/Since: Nov \d+ \(the day month-to-date spend passed the budget\)/);
    expect(body).toContain('Forecast: $284.52 by month end');
    expect(body).toContain('Amazon Elastic Container Service: $62.18');
    expect(body).toContain('Owners: dana@example.com');
    expect(body).toContain('Policy: policies/checkout-redesign.yaml');
    expect(body).toContain('Experiment brief: https://wiki.example.com/poc/checkout-redesign');
    expect(body).toContain('Alert checkout-redesign:over-budget:2026-11:100');
  });

  it('give next steps that fit the kind of alert', () => {
    const report = fixtureReport();
    const body = (kind: Alert['kind']) => alertMessage(alertOf(report, kind), report).body;
    expect(body('over-budget')).toMatch(/top services.*Amazon Elastic Container Service/);
    expect(body('over-budget')).toContain('`budget.monthly`');
    expect(body('expired')).toMatch(/Tear it down: the report recommends removing 2 resource/);
    expect(body('expired')).toContain('extend `expires`');
    expect(body('anomaly')).toMatch(/Check what changed on Nov 14: Amazon Rekognition/);
    expect(body('daily-cap')).toContain('`budget.dailyCap`');
    expect(body('per-use')).toContain('`budget.perUse.max`');
    expect(body('per-use')).toContain('$0.48 per 1,000 invocations');
    expect(body('expiring')).toContain('extend `expires`');
    expect(body('unbudgeted')).toContain('Add policies/données-clients.yaml');
    expect(body('unbudgeted')).toContain('Owners: none listed');
  });

  it('never link to a URL that is not http(s)', () => {
    const report = fixtureReport();
    const forecast = alertOf(report, 'forecast');
    const message = alertMessage(forecast, report);
    expect(message.body).toContain('Dashboard: https://grafana.example.com/d/search-relevance');
    expect(message.body).not.toContain('javascript:');
    expect(message.chatbot).not.toContain('javascript:');
  });
});

describe('message attributes', () => {
  it('carry poc, severity, kind and owner as Strings for filter policies', () => {
    const report = fixtureReport();
    const { attributes } = alertMessage(alertOf(report, 'over-budget'), report);
    expect(attributes).toEqual({
      poc: { DataType: 'String', StringValue: 'checkout-redesign' },
      severity: { DataType: 'String', StringValue: 'critical' },
      kind: { DataType: 'String', StringValue: 'over-budget' },
      owner: { DataType: 'String', StringValue: 'dana@example.com' },
    });
    expect(Object.keys(attributes).length).toBeLessThanOrEqual(5);
  });

  it('keep the PoC name exact (filters match it) and say "none" without an owner', () => {
    const report = fixtureReport();
    const { attributes } = alertMessage(alertOf(report, 'unbudgeted'), report);
    expect(attributes.poc?.StringValue).toBe('données-clients');
    expect(attributes.owner?.StringValue).toBe('none');
  });

  it('mark recommendations as their own kind', () => {
    const report = fixtureReport();
    const [expired, idle] = report.recommendations;
    if (!expired || !idle) throw new Error('fixture changed');
    const attributes = recommendationMessage(expired, report).attributes;
    expect(attributes.kind?.StringValue).toBe('recommendation');
    expect(attributes.severity?.StringValue).toBe('warning');
    expect(attributes.owner?.StringValue).toBe('alex@example.com');
    expect(recommendationMessage(idle, report).attributes.severity?.StringValue).toBe('info');
  });
});

describe('publishInput', () => {
  it('uses MessageStructure json: plain text by default and for email, the Chatbot card over https, sqs, lambda', () => {
    const report = fixtureReport();
    const message = alertMessage(alertOf(report, 'daily-cap'), report);
    const input = publishInput(message, TOPIC);
    expect(input.TopicArn).toBe(TOPIC);
    expect(input.MessageStructure).toBe('json');
    expect(input.Subject).toBe(message.subject);
    expect(input.MessageAttributes).toEqual(message.attributes);
    const structured = JSON.parse(input.Message ?? '') as Record<string, unknown>;
    expect(Object.keys(structured).sort()).toEqual(['default', 'email', 'https', 'lambda', 'sqs']);
    expect(structured.default).toBe(message.body);
    expect(structured.email).toBe(message.body);
    for (const key of ['https', 'sqs', 'lambda']) expect(structured[key]).toBe(message.chatbot);
    expect(input.MessageGroupId).toBeUndefined();
    expect(input.MessageDeduplicationId).toBeUndefined();
  });

  it('groups by PoC and deduplicates on a FIFO topic', () => {
    const report = fixtureReport();
    const message = alertMessage(alertOf(report, 'unbudgeted'), report);
    const input = publishInput(message, `${TOPIC}.fifo`, { deduplicationId: 'a'.repeat(200) });
    expect(input.MessageGroupId).toBe('donnees-clients');
    expect(input.MessageDeduplicationId).toBe('a'.repeat(128));
  });

  it('refuses a message SNS would refuse', () => {
    const message: AlertMessage = { subject: 's', body: 'x'.repeat(300_000), chatbot: '{}', attributes: {} };
    expect(() => publishInput(message, TOPIC)).toThrow(/262144/);
  });
});

describe('the Chatbot custom notification', () => {
  it('has the documented shape', () => {
    const report = fixtureReport();
    for (const message of [
      ...report.alerts.map((alert) => alertMessage(alert, report)),
      ...report.recommendations.map((r) => recommendationMessage(r, report)),
    ]) {
      const card = chatbotOf(message);
      expect(card.version).toBe('1.0');
      expect(card.source).toBe('custom');
      expect(card.content.textType).toBe('client-markdown');
      expect(card.content.title.length).toBeGreaterThan(0);
      expect(card.content.title.length).toBeLessThanOrEqual(250);
      expect(card.content.description.length).toBeGreaterThan(0);
      expect(card.content.description.length).toBeLessThan(8000);
      expect(card.content.nextSteps?.length).toBeGreaterThan(0);
      expect(card.content.nextSteps?.length).toBeLessThanOrEqual(5);
      expect(card.content.keywords.length).toBeLessThanOrEqual(5);
      for (const keyword of card.content.keywords) expect(keyword.length).toBeLessThanOrEqual(30);
      expect(card.metadata.threadId).toMatch(/^[\x20-\x7e]+$/);
      expect(card.metadata.summary.length).toBeLessThanOrEqual(250);
      for (const value of Object.values(card.metadata.additionalContext)) expect(typeof value).toBe('string');
    }
  });

  it('carries the alert for code that reads it from SQS or Lambda', () => {
    const report = fixtureReport();
    const card = chatbotOf(alertMessage(alertOf(report, 'over-budget'), report));
    expect(card.id).toBe('checkout-redesign:over-budget:2026-11:100');
    expect(card.content.title).toBe(':rotating_light: checkout-redesign over budget: $152.04 of $120.00');
    expect(card.metadata.threadId).toBe('pocketwatch:checkout-redesign');
    expect(card.metadata.additionalContext).toMatchObject({
      type: 'alert',
      alertId: 'checkout-redesign:over-budget:2026-11:100',
      poc: 'checkout-redesign',
      kind: 'over-budget',
      severity: 'critical',
      limit: '120',
      owners: 'dana@example.com',
    });
  });

  it('cannot be turned into mentions or links by a tag value', () => {
    const payload = '<!channel> @here <https://evil.example|click>';
    const report = hostileReport(payload);
    for (const alert of report.alerts) {
      const card = chatbotOf(alertMessage(alert, report));
      const text = [card.content.title, card.content.description, ...(card.content.nextSteps ?? [])].join(
        '\n',
      );
      expect(text).not.toContain('<!channel>');
      expect(text).not.toContain('<https://evil.example');
      expect(text).not.toMatch(/@here\b/);
      expect(text).toContain('&lt;!channel&gt;');
    }
  });
});

describe('recommendation messages', () => {
  it('list each resource with its evidence, cost and whether it holds data', () => {
    const report = fixtureReport();
    const [expired] = report.recommendations;
    if (!expired) throw new Error('fixture changed');
    const { body, subject } = recommendationMessage(expired, report);
    expect(subject).toBe('[pocketwatch] chatbot-poc: 2 expired resources to tear down, saves $37.56/mo');
    expect(body).toContain('would save about $37.56 a month');
    expect(body).toContain('NAT gateway nat-0f3c9a7d21e4b5a60, us-east-1, account 123456789012: $32.85/mo');
    expect(body).toContain('0 bytes sent in 14 days (AWS/NATGateway BytesOutToDestination, Sum)');
    expect(body).toContain('arn:aws:dynamodb:us-east-1:123456789012:table/chatbot-sessions');
    expect(body).toContain('Holds data: 1 of 2');
    expect(body).toContain('Snapshot or back up the 1 resource(s)');
    expect(body).not.toContain('Approve');
  });

  it('offer the approval links when given, and only safe ones', () => {
    const report = fixtureReport();
    const [, idle] = report.recommendations;
    if (!idle) throw new Error('fixture changed');
    const message = recommendationMessage(idle, report, {
      approvalLinks: {
        approve: 'https://pocketwatch.example.com/approve?id=c07e&token=t',
        reject: 'https://pocketwatch.example.com/reject?id=c07e',
        snooze: 'javascript:alert(1)',
      },
    });
    expect(message.body).toContain(
      'Approve the teardown: https://pocketwatch.example.com/approve?id=c07e&token=t',
    );
    expect(message.body).toContain(
      'Reject it (keep the resources): https://pocketwatch.example.com/reject?id=c07e',
    );
    expect(message.body).not.toContain('javascript:');
    const card = chatbotOf(message);
    expect(card.content.nextSteps?.[0]).toBe(
      '<https://pocketwatch.example.com/approve?id=c07e&amp;token=t|Approve the teardown>',
    );
  });
});

describe('the 256 KB limit', () => {
  function hugeRecommendation(resources: number): Report {
    const report = fixtureReport();
    const [recommendation] = report.recommendations;
    const [template] = recommendation?.resources ?? [];
    if (!recommendation || !template) throw new Error('fixture changed');
    recommendation.resources = Array.from(
      { length: resources },
      (_, i): RecommendedResource => ({
        ...template,
        arn: `arn:aws:ec2:us-east-1:123456789012:natgateway/nat-${String(i).padStart(17, '0')}`,
        // Multi-byte text, so a cut in the wrong place would show.
        evidence: `0 bytes in 14 days — données 🙂 カード ${'é'.repeat(40)}`,
      }),
    );
    recommendation.estimatedMonthlySavings = parseMoney('32.85') * BigInt(resources);
    return report;
  }

  it('keeps the whole message under 262,144 bytes, saying how many lines were left out', () => {
    const report = hugeRecommendation(5000);
    const [recommendation] = report.recommendations;
    if (!recommendation) throw new Error('fixture changed');
    const message = recommendationMessage(recommendation, report);
    const input = publishInput(message, TOPIC);
    expect(publishSize(input)).toBeLessThan(SNS_MESSAGE_LIMIT_BYTES);
    expect(Buffer.byteLength(input.Message ?? '')).toBeLessThan(SNS_MESSAGE_LIMIT_BYTES);
    // Three lines per resource: those shown plus those counted in the note make up all of them.
    const note = /^… \((\d+) more lines in the report\)$/m.exec(message.body);
    expect(note).not.toBeNull();
    const shown = message.body.split('\n').filter((line) => /^(- NAT gateway| {4})/.test(line)).length;
    expect(shown + Number(note?.[1])).toBe(3 * 5000);
    // What matters most survives: the summary, the next steps, the owners.
    expect(message.body).toContain('would save about $164,250.00 a month');
    expect(message.body).toContain('What to do next:');
    expect(message.body).toContain('Owners: alex@example.com');
    // Never cut inside a character.
    expect(Buffer.from(message.body, 'utf8').toString('utf8')).toBe(message.body);
    expect(message.body).not.toContain('\uFFFD');
    expect(JSON.parse(message.chatbot).content.description.length).toBeLessThan(8000);
  });

  it('cuts a single enormous line at a character boundary', () => {
    const report = fixtureReport();
    const alert = alertOf(report, 'anomaly');
    alert.message = `spike ${'🙂é'.repeat(100_000)}`;
    const message = alertMessage(alert, report);
    expect(publishSize(publishInput(message, TOPIC))).toBeLessThan(SNS_MESSAGE_LIMIT_BYTES);
    const [first = ''] = message.body.split('\n');
    expect(first.startsWith('spike 🙂é')).toBe(true);
    expect(first.endsWith('…')).toBe(true);
    expect(first).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(message.body).toMatch(/… \(\d+ more lines in the report\)$/);
  });

  it('leaves a message that fits alone', () => {
    const report = hugeRecommendation(3);
    const [recommendation] = report.recommendations;
    if (!recommendation) throw new Error('fixture changed');
    expect(recommendationMessage(recommendation, report).body).not.toContain('more lines in the report');
  });
});
