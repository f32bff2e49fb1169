/**
 * The fixture with every user-controlled string (tag values, policy fields, service names, messages,
 * source details) replaced by an injection payload, for escaping tests of every renderer.
 */
import type { Report } from '../../../src/core/report.js';
import { fixtureReport } from './fixture-report.js';

export const HTML_PAYLOAD = `<script>alert(1)</script><img src=x onerror=alert(2)>"'&amp;`;

function fail(): never {
  throw new Error('fixture changed');
}

export function hostileReport(payload: string = HTML_PAYLOAD): Report {
  const report = fixtureReport();
  const names = new Map<string, string>();
  report.pocs.forEach((poc, i) => {
    const name = `${payload}${i}`;
    names.set(poc.poc, name);
    poc.poc = name;
    poc.statusReason = payload;
    poc.owners = [payload, 'ok@example.com'];
    poc.description = payload;
    poc.services = poc.services.map((s) => ({ ...s, service: payload }));
    poc.accounts = [payload];
    poc.policyFile = payload;
    if (poc.perUse) poc.perUse = { ...poc.perUse, signal: payload };
    poc.links = [
      { title: payload, url: 'javascript:alert(3)' },
      { title: payload, url: `https://example.com/"><script>alert(4)</script>` },
      { title: 'data', url: 'data:text/html;base64,PHNjcmlwdD5hbGVydCg1KTwvc2NyaXB0Pg==' },
    ];
  });
  for (const alert of report.alerts) {
    alert.poc = names.get(alert.poc) ?? payload;
    alert.message = payload;
    alert.id = payload;
  }
  report.unattributed.services = report.unattributed.services.map((s) => ({ ...s, service: payload }));
  report.warnings = [{ code: payload, message: payload, where: payload, partial: true }];
  report.source = { ...report.source, kind: payload, description: payload, partial: true };
  report.tagKey = payload;
  report.recommendations = report.recommendations.map((r) => ({
    ...r,
    id: payload,
    poc: names.get(r.poc) ?? payload,
    resources: r.resources.map((resource) => ({
      ...resource,
      arn: `arn:aws:ec2:${payload}:${payload}:natgateway/${payload}`,
      type: payload,
      region: payload,
      account: payload,
      evidence: payload,
    })),
  }));
  // A resource whose "ARN" is not one at all.
  report.recommendations[0]?.resources.push({
    ...(report.recommendations[0]?.resources[0] ?? fail()),
    arn: payload,
  });
  report.apiCalls = { [payload]: 2 };
  return report;
}
