/**
 * Posting to a Slack incoming webhook. The webhook URL is a secret (anyone holding it can post to the
 * channel), so it never appears in an error, a log line or an error's `cause`: messages name the
 * webhook as "the Slack webhook (https://hooks.slack.com/…)".
 */

export interface SlackPostOptions {
  /** Attempts in all, the first included (default 3). */
  maxAttempts?: number;
  /** Node's fetch unless given (tests). */
  fetch?: typeof fetch;
  /** Waits between attempts (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
  /** First backoff after a 5xx or a network failure, doubled each time (default 1 s). */
  backoffMs?: number;
  /** Longest `Retry-After` honoured; a longer one fails instead of stalling the run (default 60 s). */
  maxRetryAfterSeconds?: number;
  /** Per attempt (default 10 s). */
  timeoutMs?: number;
}

/** What Slack's webhook errors mean and what to do (https://api.slack.com/messaging/webhooks). */
const SLACK_ERRORS: Record<string, string> = {
  invalid_payload:
    'Slack rejected the message as malformed (invalid_payload); this is a pocketwatch bug, please report it',
  no_text:
    'Slack rejected the message because it has no text (no_text); this is a pocketwatch bug, please report it',
  too_many_attachments: 'Slack rejected the message: too many attachments (too_many_attachments)',
  invalid_token: 'the webhook URL is not valid any more (invalid_token); create a new incoming webhook',
  action_prohibited: 'a workspace admin has restricted posting through this webhook (action_prohibited)',
  posting_to_general_channel_denied:
    'only admins may post to that channel (posting_to_general_channel_denied); pick another channel for the webhook',
  no_service:
    'the webhook URL is wrong or the webhook was removed (no_service); create a new incoming webhook and update the setting',
  no_team: "the webhook's Slack workspace no longer exists (no_team)",
  team_disabled: "the webhook's Slack workspace is disabled (team_disabled)",
  channel_not_found:
    "the webhook's channel no longer exists (channel_not_found); create a webhook for another channel",
  channel_is_archived:
    "the webhook's channel is archived (channel_is_archived); unarchive it or create a webhook for another channel",
};

const DEFAULT_ATTEMPTS = 3;
const DEFAULT_BACKOFF_MS = 1000;
const DEFAULT_MAX_RETRY_AFTER_S = 60;
const DEFAULT_TIMEOUT_MS = 10_000;

export class SlackWebhookError extends Error {
  constructor(
    message: string,
    readonly details: {
      /** HTTP status, when Slack answered. */
      status?: number;
      /** Slack's error code ("channel_is_archived") or the network error's code. */
      code?: string;
      attempts: number;
      /** Whether a later try may succeed (rate limit, server or network error). */
      retryable: boolean;
    },
  ) {
    super(message);
    this.name = 'SlackWebhookError';
  }

  get retryable(): boolean {
    return this.details.retryable;
  }
}

/**
 * Posts `payload` (JSON) to the webhook. Retries a 429 after its `Retry-After` seconds, and a 5xx,
 * a timeout or a network failure with exponential backoff; fails at once, saying why, on any other
 * 4xx. Resolves with the number of attempts made.
 */
export async function postToSlack(
  url: string,
  payload: unknown,
  options: SlackPostOptions = {},
): Promise<number> {
  const where = describeWebhook(url);
  const target = checkWebhookUrl(url, where);
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? DEFAULT_ATTEMPTS));
  const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  const maxRetryAfter = options.maxRetryAfterSeconds ?? DEFAULT_MAX_RETRY_AFTER_S;
  const body = JSON.stringify(payload);

  for (let attempt = 1; ; attempt++) {
    let failure: SlackWebhookError;
    let wait: number;
    try {
      const response = await doFetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
      const text = (await response.text().catch(() => '')).trim();
      if (response.ok) return attempt;
      const code = /^[a-z_]{1,64}$/.test(text) ? text : undefined;
      if (response.status === 429) {
        const seconds = retryAfterSeconds(response.headers.get('retry-after'));
        if (seconds > maxRetryAfter) {
          throw new SlackWebhookError(
            `${where} is rate limited (HTTP 429) and asks to wait ${seconds} s, longer than ${maxRetryAfter} s; try again later`,
            { status: 429, ...(code ? { code } : {}), attempts: attempt, retryable: true },
          );
        }
        failure = new SlackWebhookError(
          `${where} is rate limited (HTTP 429) after ${attempt} attempt${attempt === 1 ? '' : 's'}; try again later`,
          {
            status: 429,
            ...(code ? { code } : {}),
            attempts: attempt,
            retryable: true,
          },
        );
        wait = seconds * 1000;
      } else if (response.status >= 500) {
        failure = new SlackWebhookError(
          `${where} failed with a server error (HTTP ${response.status}${code ? `, ${code}` : ''}) after ${attempt} attempt${attempt === 1 ? '' : 's'}; try again later`,
          { status: response.status, ...(code ? { code } : {}), attempts: attempt, retryable: true },
        );
        wait = backoffMs * 2 ** (attempt - 1);
      } else {
        const meaning = code ? SLACK_ERRORS[code] : undefined;
        const reason = meaning ?? `Slack answered HTTP ${response.status}${code ? ` (${code})` : ''}`;
        throw new SlackWebhookError(`${where}: ${reason}`, {
          status: response.status,
          ...(code ? { code } : {}),
          attempts: attempt,
          retryable: false,
        });
      }
    } catch (error) {
      if (error instanceof SlackWebhookError) throw error;
      const code = networkCode(error);
      failure = new SlackWebhookError(
        `could not reach ${where} (${code}) after ${attempt} attempt${attempt === 1 ? '' : 's'}; check the network and proxy`,
        { code, attempts: attempt, retryable: true },
      );
      wait = backoffMs * 2 ** (attempt - 1);
    }
    if (attempt >= maxAttempts) throw failure;
    await sleep(wait);
  }
}

/** "the Slack webhook (https://hooks.slack.com/…)": the origin only, never the secret path. */
export function describeWebhook(url: string): string {
  try {
    return `the Slack webhook (${new URL(url).origin}/…)`;
  } catch {
    return 'the Slack webhook (not a valid URL)';
  }
}

/** https only, except http to this machine (a test server); no credentials in the URL. */
function checkWebhookUrl(url: string, where: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SlackWebhookError(`${where}: the webhook URL is not a valid URL`, {
      attempts: 0,
      retryable: false,
    });
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
    throw new SlackWebhookError(`${where}: the webhook URL must use https`, {
      attempts: 0,
      retryable: false,
    });
  }
  return parsed;
}

/** Retry-After as seconds (delta-seconds or an HTTP date); 1 when absent or unreadable. */
function retryAfterSeconds(header: string | null): number {
  if (header === null || header.trim() === '') return 1;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  if (Number.isFinite(date)) return Math.max(0, Math.ceil((date - Date.now()) / 1000));
  return 1;
}

/** The code of a fetch failure ("ECONNREFUSED", "TimeoutError"), never its message (it may hold the URL). */
function networkCode(error: unknown): string {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    if (typeof current !== 'object') break;
    const record = current as { code?: unknown; name?: unknown; cause?: unknown };
    if (typeof record.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(record.code)) return record.code;
    if (record.name === 'TimeoutError' || record.name === 'AbortError') return record.name;
    current = record.cause;
  }
  return 'network error';
}
