import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../../src/delivery/digest-model.js';
import { asciiOnly, EMAIL_SUBJECT_MAX, renderEmailText } from '../../../src/delivery/email-text.js';
import { SNS_MESSAGE_MAX_BYTES, utf8Bytes } from '../../../src/delivery/size-limits.js';
import { fixtureReport } from '../report/fixture-report.js';
import { hostileReport } from '../report/hostile-report.js';
import { bigReport, REPORT_URL, singleAttentionReport } from './digest-fixtures.js';

function expectValidSubject(subject: string): void {
  expect(subject).toMatch(/^[\x20-\x7e]+$/);
  expect(subject.length).toBeLessThan(100);
  expect(subject.length).toBeLessThanOrEqual(EMAIL_SUBJECT_MAX);
  expect(subject).not.toMatch(/[\r\n]/);
  expect(subject.startsWith('[pocketwatch] ')).toBe(true);
}

describe('renderEmailText subject', () => {
  it('says the day, how many PoCs need attention and the month to date', () => {
    const { subject } = renderEmailText(buildDigest(fixtureReport()));
    expect(subject).toBe('[pocketwatch] 2026-11-19: 2 PoCs need attention, $532.93 this month');
  });

  it('names a single PoC that needs attention, transliterated to ASCII', () => {
    const { subject } = renderEmailText(buildDigest(singleAttentionReport('données-clients-v2')));
    expect(subject).toBe(
      '[pocketwatch] 2026-11-19: donnees-clients-v2 over budget ($152 of $120), $532.93 this month',
    );
    expectValidSubject(subject);
  });

  it('leaves out a name that has no ASCII form, and one that is too long', () => {
    for (const name of ['検索リランキング', `very-long-${'x'.repeat(120)}`]) {
      const { subject } = renderEmailText(buildDigest(singleAttentionReport(name)));
      expect(subject).toBe('[pocketwatch] 2026-11-19: 1 PoC needs attention, $532.93 this month');
      expectValidSubject(subject);
    }
  });

  it('writes currencies without an ASCII symbol as codes', () => {
    const { subject } = renderEmailText(buildDigest({ ...fixtureReport(), currency: 'EUR' }));
    expect(subject).toBe('[pocketwatch] 2026-11-19: 2 PoCs need attention, 532.93 EUR this month');
  });

  it("names the owner in an owner's digest when it fits", () => {
    expect(renderEmailText(buildDigest(fixtureReport(), { owner: 'lee@example.com' })).subject).toBe(
      '[pocketwatch] 2026-11-19 for lee@example.com: 1 PoC to watch, $172.37 this month',
    );
    const long = renderEmailText(buildDigest(fixtureReport(), { owner: `${'a'.repeat(80)}@example.com` }));
    expect(long.subject).toBe('[pocketwatch] 2026-11-19: None of your PoCs has spend this month');
    expectValidSubject(long.subject);
  });

  it('is always ASCII, short and on one line, whatever the names', () => {
    for (const report of [hostileReport(), hostileReport('ünïcødé\r\nBcc: x@evil.example 🚨'), bigReport()]) {
      expectValidSubject(renderEmailText(buildDigest(report)).subject);
      for (const owner of ['ok@example.com', 'jöns\r\n@example.com']) {
        expectValidSubject(renderEmailText(buildDigest(report, { owner })).subject);
      }
    }
  });

  it('transliterates only what it can', () => {
    expect(asciiOnly('Données – “clients” …')).toBe('Donnees - "clients" ...');
    expect(asciiOnly('検索')).toBeUndefined();
    expect(asciiOnly('a\nb')).toBe('a b');
  });
});

describe('renderEmailText body', () => {
  const digest = buildDigest(fixtureReport(), { reportUrl: REPORT_URL });
  const { body } = renderEmailText(digest);
  const lines = body.split('\n');

  it('opens with the day, scope, period and headline', () => {
    expect(lines.slice(0, 5)).toEqual([
      'pocketwatch: PoC costs as of 2026-11-19',
      'Team digest, November 2026: Nov 1–18 (day 18 of 30)',
      '',
      digest.headline,
      '',
    ]);
    expect(body).toContain('Spent this month: $532.93\nForecast for the month: $963.32\n');
    expect(body).toContain('New alerts: 5 (4 earlier alerts still open)');
    expect(body).toContain('Could save: ~$63.11/mo with 2 recommendations');
  });

  it('lists PoCs by risk in simple lines', () => {
    expect(body).toContain(
      [
        '- checkout-redesign: over budget ($152 of $120)',
        '  Spent $152.04 of $120.00 (126%), forecast $284.52, +$0.33 vs yesterday',
        '  Last 14 days: ▄▄▄▄▄▄▅▅▅▅▅█▆▆',
        '  Owners: dana@example.com',
        '  Expires: 2027-01-31',
      ].join('\n'),
    );
    expect(body).toContain('- chatbot-poc: expired and still billing');
    expect(body).toContain('  Expired: 2026-10-31');
    expect(body).toContain('- pricing-experiment: on track');
  });

  it('has the new alerts only, the recommendations, unattributed spend, the link and the run cost', () => {
    expect(body).toContain('NEW ALERTS (5)');
    expect(body).toContain(
      '- [CRITICAL] checkout-redesign, over budget (Nov 18): checkout-redesign is over budget',
    );
    expect(body).not.toContain('chatbot-poc expired on 2026-10-31');
    expect(body).toContain('- chatbot-poc (expired): saves ~$37.56/mo, recommendation 3f9a2c1b');
    expect(body).toContain('HOLDS DATA: back it up first');
    expect(body).toContain('UNATTRIBUTED SPEND: $81.15 (15% of all spend)');
    expect(body).toContain('PoCs without an owner: données-clients');
    expect(body).toContain(`Full report: ${REPORT_URL}\nThis run: no AWS calls (offline), cost $0.00.\n`);
  });

  it("holds only the owner's PoCs in an owner's digest", () => {
    const owner = renderEmailText(buildDigest(fixtureReport(), { owner: 'dana@example.com' })).body;
    expect(owner).toContain('Digest for dana@example.com');
    expect(owner).toContain('- checkout-redesign:');
    for (const other of [
      'chatbot-poc',
      'search-relevance',
      'image-tagging',
      'données-clients',
      'invoice-ocr',
    ]) {
      expect(owner).not.toContain(other);
    }
    expect(owner).not.toContain('UNATTRIBUTED');
  });

  it('stays within 256 KB, summarising with a count and a link, never cutting a line', () => {
    const report = bigReport({ pocs: 600, alerts: 600, messageLength: 9000 });
    const big = buildDigest(report, { reportUrl: REPORT_URL });
    const out = renderEmailText(big).body;
    expect(utf8Bytes(out)).toBeLessThanOrEqual(SNS_MESSAGE_MAX_BYTES);
    expect(utf8Bytes(out)).toBeGreaterThan(SNS_MESSAGE_MAX_BYTES / 2);
    expect(out).toMatch(
      new RegExp(`… and \\d+ more alerts: see the report at ${REPORT_URL.replaceAll('?', '\\?')}\\n`),
    );
    expect(out).toMatch(/… and 5\d\d more PoCs: see the report at https:/);
    expect(out.endsWith('-- \npocketwatch\n')).toBe(true);
    const alertLines = out.split('\n').filter((l) => /^- \[(WARNING|CRITICAL|INFO)\]/.test(l));
    expect(alertLines.length).toBeGreaterThan(5);
    for (const line of alertLines) {
      const index = Number(/: Alert (\d+):/.exec(line)?.[1]);
      expect(line.endsWith(report.alerts[index]?.message ?? '?')).toBe(true);
    }
  });

  it('uses the limit it is given', () => {
    const out = renderEmailText(buildDigest(bigReport()), { limitBytes: 20_000 }).body;
    expect(utf8Bytes(out)).toBeLessThanOrEqual(20_000);
    expect(out).toMatch(/more PoCs: see the full report/);
  });

  it('keeps a hostile string on its own line: line breaks in it become spaces', () => {
    const out = renderEmailText(buildDigest(hostileReport('evil\nSubject: pwned\r\n\u001b[31mred'))).body;
    expect(out.split('\n').some((line) => line.startsWith('Subject:'))).toBe(false);
    expect(out).not.toContain('\u001b');
    expect(out).not.toContain('\r');
  });
});
