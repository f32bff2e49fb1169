/**
 * Reports for the digest tests, built from the realistic fixture: a very large one (hundreds of PoCs
 * and alerts, long and non-ASCII names) to test size limits, and one with Slack-specific injections.
 */
import type { Alert, PocReport, Recommendation, Report } from '../../../src/core/report.js';
import { fixtureReport } from '../report/fixture-report.js';

export const REPORT_URL = 'https://pocketwatch.example.com/reports/2026-11-19/report.html?team=a&b=1';

export interface BigReportOptions {
  pocs?: number;
  alerts?: number;
  recommendations?: number;
  /** Characters in each alert message. */
  messageLength?: number;
  /** Characters in each PoC name (before its number). */
  nameLength?: number;
}

function template<T>(items: readonly T[], i: number): T {
  const item = items[i % items.length];
  if (item === undefined) throw new Error('empty fixture list');
  return item;
}

/** The fixture scaled up: PoCs cycle through the fixture's seven, every alert is new. */
export function bigReport(options: BigReportOptions = {}): Report {
  const { pocs = 300, alerts = 200, recommendations = 40, messageLength = 160, nameLength = 40 } = options;
  const base = fixtureReport();
  const stem = 'Projekt-Ümlaut-検索-'.repeat(Math.ceil(nameLength / 18)).slice(0, nameLength);
  const pocList: PocReport[] = Array.from({ length: pocs }, (_, i) => ({
    ...structuredClone(template(base.pocs, i)),
    poc: `${stem}${i}`,
    owners: [`owner${i % 5}@example.com`],
    risk: pocs - i,
  }));
  const alertList: Alert[] = Array.from({ length: alerts }, (_, i) => ({
    ...template(base.alerts, i),
    id: `alert-${i}`,
    poc: template(pocList, i).poc,
    message: `Alert ${i}: ${'spend rose sharply; '.repeat(Math.ceil(messageLength / 20))}`.slice(
      0,
      messageLength,
    ),
    new: true,
  }));
  const recList: Recommendation[] = Array.from({ length: recommendations }, (_, i) => ({
    ...structuredClone(template(base.recommendations, i)),
    id: `rec${String(i).padStart(6, '0')}`,
    poc: template(pocList, i).poc,
  }));
  return { ...base, pocs: pocList, alerts: alertList, recommendations: recList };
}

/** Strings that mean something to Slack: mentions, links, formatting, entities. */
export const SLACK_PAYLOADS = [
  '<!channel> <!here> <@U024BE7LH> <#C024BE7LR>',
  '<https://evil.example.com|click me> https://evil.example.com/x',
  '@channel @here @everyone',
  '*bold* _italic_ ~strike~ `code` ```block```',
  '&amp; &lt; & < >',
  'line one\nline two\r\n> quote',
];

/** The fixture with Slack injection payloads as PoC names, owners and alert messages. */
export function slackHostileReport(): Report {
  const report = fixtureReport();
  const names = new Map<string, string>();
  report.pocs.forEach((poc, i) => {
    const name = `${template(SLACK_PAYLOADS, i)} ${i}`;
    names.set(poc.poc, name);
    poc.poc = name;
    poc.owners = [template(SLACK_PAYLOADS, i + 1)];
    poc.statusReason = template(SLACK_PAYLOADS, i + 2);
  });
  report.alerts = report.alerts.map((a, i) => ({
    ...a,
    poc: names.get(a.poc) ?? a.poc,
    message: template(SLACK_PAYLOADS, i),
  }));
  report.recommendations = report.recommendations.map((r, i) => ({
    ...r,
    poc: names.get(r.poc) ?? r.poc,
    id: template(SLACK_PAYLOADS, i),
    resources: r.resources.map((res) => ({ ...res, arn: template(SLACK_PAYLOADS, i + 1), type: '<@U1>' })),
  }));
  report.unattributed.services = report.unattributed.services.map((s, i) => ({
    ...s,
    service: template(SLACK_PAYLOADS, i),
  }));
  report.warnings = [];
  return report;
}

/** A fixture copy where only the named PoC is over budget or expired, renamed to `name`. */
export function singleAttentionReport(name: string): Report {
  const report = fixtureReport();
  for (const poc of report.pocs) {
    if (poc.poc === 'chatbot-poc') poc.status = 'ok';
    if (poc.poc === 'checkout-redesign') poc.poc = name;
  }
  return report;
}
