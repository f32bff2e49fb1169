import { isIsoDate } from '../core/calendar.js';
import { type Money, moneyFromNumber } from '../core/money.js';
import { DEPLOYMENT_DEFAULTS } from './deployment-settings.js';
import type { Finding } from './finding.js';
import { isRecord } from './guards.js';
import type { AnomalySettings, Settings } from './model.js';
import { closestMatch } from './suggest.js';

// Rules that JSON Schema cannot express: relations between fields, and real time zones. They read the
// raw value defensively, so a file with schema errors still gets every other problem reported in the
// same run.

export interface CheckResult {
  errors: Finding[];
  warnings: Finding[];
}

/** expires before start (error); dailyCap above monthly, no 100 threshold, baseline conflicts (warnings). */
export function checkPolicy(raw: unknown, defaults: Settings['defaults']): CheckResult {
  const result: CheckResult = { errors: [], warnings: [] };
  if (!isRecord(raw)) return result;

  const { start, expires } = raw;
  if (typeof start === 'string' && typeof expires === 'string' && isIsoDate(start) && isIsoDate(expires)) {
    if (expires < start) {
      result.errors.push({
        path: ['expires'],
        anchor: 'value',
        message: `expires (${expires}) is before start (${start})`,
      });
    }
  }

  const budget = raw.budget;
  if (isRecord(budget)) {
    for (const key of ['monthly', 'dailyCap', 'total']) {
      const problem = amountProblem(budget[key], ['budget', key]);
      if (problem) result.errors.push(problem);
    }
    const { monthly, dailyCap } = budget;
    const monthlyMoney = toMoney(monthly);
    const dailyCapMoney = toMoney(dailyCap);
    if (monthlyMoney !== undefined && dailyCapMoney !== undefined && dailyCapMoney > monthlyMoney) {
      result.warnings.push({
        path: ['budget', 'dailyCap'],
        anchor: 'value',
        message: `dailyCap (${dailyCap}) is larger than the whole monthly budget (${monthly})`,
      });
    }
    const thresholds = thresholdsWithout100(budget.thresholds, ['budget', 'thresholds']);
    if (thresholds) result.warnings.push(thresholds);
    if (isRecord(budget.perUse)) {
      const problem = amountProblem(budget.perUse.max, ['budget', 'perUse', 'max']);
      if (problem) result.errors.push(problem);
      const signal = perUseSignalFindings(budget.perUse.signal, ['budget', 'perUse', 'signal']);
      result.errors.push(...signal.errors);
      result.warnings.push(...signal.warnings);
    }
  }

  if (isRecord(raw.anomaly)) {
    const problem = amountProblem(raw.anomaly.minIncrease, ['anomaly', 'minIncrease']);
    if (problem) result.errors.push(problem);
  }
  const anomaly = baselineConflict(raw.anomaly, defaults.anomaly, ['anomaly']);
  if (anomaly) result.warnings.push(anomaly);
  return result;
}

const METRIC_KEYS = ['namespace', 'metricName', 'dimensions', 'stat', 'region'] as const;

/**
 * A pay-per-use signal is either `resource` alone or a metric (namespace + metricName, optionally
 * dimensions, stat, region). The schema cannot say "one or the other" without Ajv's oneOf errors,
 * which name every branch, so the rule lives here.
 */
function perUseSignalFindings(signal: unknown, path: Finding['path']): CheckResult {
  const result: CheckResult = { errors: [], warnings: [] };
  if (!isRecord(signal)) return result;
  const metricKeys = METRIC_KEYS.filter((key) => signal[key] !== undefined);
  if (signal.resource !== undefined) {
    const [first] = metricKeys;
    if (first !== undefined) {
      result.errors.push({
        path: [...path, first],
        anchor: 'key',
        message: `give either resource or a metric (${metricKeys.join(', ')}), not both`,
      });
    }
    return result;
  }
  if (metricKeys.length === 0) {
    result.errors.push({
      path,
      anchor: 'value',
      message: 'must name what to count: resource (an ARN or name), or namespace and metricName',
    });
    return result;
  }
  for (const key of ['namespace', 'metricName'] as const) {
    if (signal[key] === undefined) {
      result.errors.push({
        path: [...path, key],
        anchor: 'parent',
        message: `missing required key "${key}" (a metric signal needs namespace and metricName)`,
      });
    }
  }
  const stat = signal.stat;
  if (typeof stat === 'string' && stat !== 'Sum' && stat !== 'SampleCount') {
    result.warnings.push({
      path: [...path, 'stat'],
      anchor: 'value',
      message: `use is the window's total of daily ${stat} values, which is not a count; Sum is usual`,
    });
  }
  return result;
}

/** An unknown time zone (error); no 100 threshold, baseline conflicts in the defaults (warnings). */
export function checkSettings(raw: unknown, builtIn: Settings['defaults']): CheckResult {
  const result: CheckResult = { errors: [], warnings: [] };
  if (!isRecord(raw)) return result;

  const { timeZone } = raw;
  if (typeof timeZone === 'string' && timeZone !== '' && !isTimeZone(timeZone)) {
    const finding: Finding = {
      path: ['timeZone'],
      anchor: 'value',
      message: `"${timeZone}" is not an IANA time zone such as Europe/Berlin or UTC`,
    };
    const suggestion = closestMatch(timeZone, knownTimeZones());
    if (suggestion !== undefined) finding.suggestion = suggestion;
    result.errors.push(finding);
  }

  const defaults = raw.defaults;
  if (isRecord(defaults)) {
    const thresholds = thresholdsWithout100(defaults.thresholds, ['defaults', 'thresholds']);
    if (thresholds) result.warnings.push(thresholds);
    if (isRecord(defaults.anomaly)) {
      const problem = amountProblem(defaults.anomaly.minIncrease, ['defaults', 'anomaly', 'minIncrease']);
      if (problem) result.errors.push(problem);
    }
    const anomaly = baselineConflict(defaults.anomaly, builtIn.anomaly, ['defaults', 'anomaly']);
    if (anomaly) result.warnings.push(anomaly);
  }
  const deployment = checkDeployment(raw.deployment, raw.costGrouping);
  result.errors.push(...deployment.errors);
  result.warnings.push(...deployment.warnings);
  return result;
}

/**
 * A budget check at the daily run's own hour would run twice at once; an organisation deployment
 * without `costGrouping: account` cannot tell member accounts' spend apart.
 */
function checkDeployment(raw: unknown, costGrouping: unknown): CheckResult {
  const result: CheckResult = { errors: [], warnings: [] };
  if (!isRecord(raw)) return result;
  const digestHour = raw.digestHour ?? DEPLOYMENT_DEFAULTS.digestHour;
  if (Array.isArray(raw.budgetCheckHours)) {
    const index = raw.budgetCheckHours.indexOf(digestHour);
    if (index >= 0) {
      result.errors.push({
        path: ['deployment', 'budgetCheckHours', index],
        anchor: 'value',
        message: `${digestHour} is the daily run's hour (digestHour), which checks budgets already`,
      });
    }
  }
  if (isRecord(raw.organization) && costGrouping !== 'account') {
    result.warnings.push({
      path: ['deployment', 'organization'],
      anchor: 'key',
      message:
        'set costGrouping: account too, so Cost Explorer tells member accounts apart and policies can scope PoCs with accounts',
    });
  }
  return result;
}

/** True when Intl knows the zone, i.e. schedules and "today" can be computed in it. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat(undefined, { timeZone });
    return true;
  } catch {
    return false;
  }
}

function knownTimeZones(): string[] {
  return ['UTC', ...Intl.supportedValuesOf('timeZone')];
}

function thresholdsWithout100(value: unknown, path: Finding['path']): Finding | undefined {
  if (!Array.isArray(value) || value.length === 0 || !value.every(isAmount) || value.includes(100)) {
    return undefined;
  }
  return {
    path,
    anchor: 'value',
    message: `[${value.join(', ')}] has no 100, so spending the whole monthly budget raises no alert`,
  };
}

/** minBaselineDays above baselineDays means no day can ever be judged, so spikes go unnoticed. */
function baselineConflict(
  value: unknown,
  inherited: AnomalySettings,
  path: Finding['path'],
): Finding | undefined {
  if (!isRecord(value)) return undefined;
  const own = { baselineDays: value.baselineDays, minBaselineDays: value.minBaselineDays };
  if (own.baselineDays === undefined && own.minBaselineDays === undefined) return undefined;
  const baselineDays = own.baselineDays ?? inherited.baselineDays;
  const minBaselineDays = own.minBaselineDays ?? inherited.minBaselineDays;
  if (!Number.isInteger(baselineDays) || !Number.isInteger(minBaselineDays)) return undefined;
  if (Number(minBaselineDays) <= Number(baselineDays)) return undefined;
  const key = own.minBaselineDays === undefined ? 'baselineDays' : 'minBaselineDays';
  return {
    path: [...path, key],
    anchor: 'value',
    message: `minBaselineDays (${minBaselineDays}) is more than baselineDays (${baselineDays}), so no day can be checked for spikes`,
  };
}

/** Money holds 18 decimals and exponents up to 60, far beyond any budget, but YAML allows 1e300. */
function amountProblem(value: unknown, path: Finding['path']): Finding | undefined {
  if (!isAmount(value) || toMoney(value) !== undefined) return undefined;
  const message =
    Math.abs(value) >= 1 ? 'is too large to be an amount' : 'is too small to be an amount; write 0';
  return { path, anchor: 'value', message: `${message} (it is ${value})` };
}

function toMoney(value: unknown): Money | undefined {
  if (!isAmount(value)) return undefined;
  try {
    return moneyFromNumber(value);
  } catch {
    return undefined;
  }
}

function isAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
