import { describe, expect, it } from 'vitest';
import { describeWebhook, postToSlack, SlackWebhookError } from '../../../src/delivery/slack-webhook.js';

const SECRET = 'T0000000/B0000000/XXXXXXXXXXXXXXXXXXXXXXXX';
const URL_ = `https://hooks.slack.com/services/${SECRET}`;

/** A fetch that answers from a script of responses (or throws), recording each request. */
function scripted(...answers: Array<Response | Error>) {
  const requests: Array<{ url: string; init: RequestInit | undefined }> = [];
  const fetchFn = (async (url: string | URL | Request, init?: RequestInit) => {
    requests.push({ url: String(url), init });
    const answer = answers[Math.min(requests.length - 1, answers.length - 1)];
    if (answer instanceof Error) throw answer;
    return (answer as Response).clone();
  }) as typeof fetch;
  return { fetchFn, requests };
}

function slackError(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers });
}

/** Every way an error can be shown or logged. */
function everything(error: unknown): string {
  const e = error as Error & { details?: unknown; cause?: unknown };
  return [String(e), e.message, e.stack, JSON.stringify(e), JSON.stringify(e.details), String(e.cause)].join(
    '\n',
  );
}

async function failure(promise: Promise<unknown>): Promise<SlackWebhookError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(SlackWebhookError);
  return error as SlackWebhookError;
}

describe('postToSlack', () => {
  it('posts the payload as JSON', async () => {
    const { fetchFn, requests } = scripted(new Response('ok'));
    expect(await postToSlack(URL_, { text: 'hi' }, { fetch: fetchFn })).toBe(1);
    expect(requests[0]?.url).toBe(URL_);
    expect(requests[0]?.init?.method).toBe('POST');
    expect(requests[0]?.init?.body).toBe('{"text":"hi"}');
    expect(((requests[0]?.init?.headers ?? {}) as Record<string, string>)['content-type']).toMatch(
      /application\/json/,
    );
  });

  it('waits as long as Retry-After says on a 429, then succeeds', async () => {
    const { fetchFn, requests } = scripted(
      slackError(429, 'rate_limited', { 'Retry-After': '7' }),
      new Response('ok'),
    );
    const waits: number[] = [];
    const attempts = await postToSlack(
      URL_,
      { text: 'x' },
      { fetch: fetchFn, sleep: async (ms) => void waits.push(ms) },
    );
    expect(attempts).toBe(2);
    expect(waits).toEqual([7000]);
    expect(requests).toHaveLength(2);
  });

  it('does not stall the run on a very long Retry-After', async () => {
    const { fetchFn } = scripted(slackError(429, 'rate_limited', { 'Retry-After': '3600' }));
    const error = await failure(postToSlack(URL_, {}, { fetch: fetchFn, sleep: async () => {} }));
    expect(error.message).toMatch(/rate limited \(HTTP 429\) and asks to wait 3600 s/);
    expect(error.retryable).toBe(true);
  });

  it('retries server errors with backoff and gives up after maxAttempts', async () => {
    const { fetchFn, requests } = scripted(slackError(500, 'rollup_error'));
    const waits: number[] = [];
    const error = await failure(
      postToSlack(URL_, {}, { fetch: fetchFn, maxAttempts: 3, sleep: async (ms) => void waits.push(ms) }),
    );
    expect(requests).toHaveLength(3);
    expect(waits).toEqual([1000, 2000]);
    expect(error.message).toMatch(/server error \(HTTP 500, rollup_error\) after 3 attempts/);
    expect(error.details).toMatchObject({ status: 500, code: 'rollup_error', attempts: 3, retryable: true });
  });

  it.each([
    [400, 'invalid_payload', /malformed \(invalid_payload\)/],
    [404, 'no_service', /webhook URL is wrong or the webhook was removed \(no_service\)/],
    [410, 'channel_is_archived', /channel is archived \(channel_is_archived\)/],
    [403, 'action_prohibited', /restricted posting .*\(action_prohibited\)/],
    [404, 'channel_not_found', /channel no longer exists \(channel_not_found\)/],
    [400, 'something_new', /Slack answered HTTP 400 \(something_new\)/],
  ])('fails at once on HTTP %i %s, saying which', async (status, code, expected) => {
    const { fetchFn, requests } = scripted(slackError(status, code));
    const error = await failure(postToSlack(URL_, {}, { fetch: fetchFn, sleep: async () => {} }));
    expect(requests).toHaveLength(1);
    expect(error.message).toMatch(expected);
    expect(error.details).toMatchObject({ status, code, attempts: 1, retryable: false });
    expect(everything(error)).not.toContain(SECRET);
    expect(error.message).toContain('https://hooks.slack.com/…');
  });

  it('retries a network failure and never repeats the URL an error carried', async () => {
    const leaky = new TypeError(`fetch failed for ${URL_}`, {
      cause: Object.assign(new Error(`connect ECONNREFUSED (${URL_})`), { code: 'ECONNREFUSED' }),
    });
    const { fetchFn, requests } = scripted(leaky);
    const error = await failure(
      postToSlack(URL_, {}, { fetch: fetchFn, maxAttempts: 2, sleep: async () => {} }),
    );
    expect(requests).toHaveLength(2);
    expect(error.message).toMatch(
      /could not reach the Slack webhook \(https:\/\/hooks\.slack\.com\/…\) \(ECONNREFUSED\)/,
    );
    expect(everything(error)).not.toContain(SECRET);
    expect(error.cause).toBeUndefined();
  });

  it('refuses a URL that is not https (except to this machine) without echoing it', async () => {
    const { fetchFn, requests } = scripted(new Response('ok'));
    const error = await failure(
      postToSlack(`http://hooks.slack.com/services/${SECRET}`, {}, { fetch: fetchFn }),
    );
    expect(error.message).toMatch(/must use https/);
    expect(everything(error)).not.toContain(SECRET);
    expect(requests).toHaveLength(0);
    const garbage = await failure(postToSlack(`not a url ${SECRET}`, {}, { fetch: fetchFn }));
    expect(everything(garbage)).not.toContain(SECRET);
    expect(await postToSlack('http://127.0.0.1:9/hook', {}, { fetch: fetchFn })).toBe(1);
  });

  it('names a webhook by its origin only', () => {
    expect(describeWebhook(URL_)).toBe('the Slack webhook (https://hooks.slack.com/…)');
  });
});
