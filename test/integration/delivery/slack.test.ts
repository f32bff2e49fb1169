/**
 * The Slack sender over real HTTP: a local server stands in for the incoming webhook, answering each
 * request from a script (status, body, headers) and recording what arrived and when.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { postToSlack, SlackWebhookError } from '../../../src/delivery/slack-webhook.js';

interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

interface Received {
  path: string;
  contentType: string | undefined;
  body: string;
  at: number;
}

const SECRET_PATH = '/services/T0LOCAL00/B0LOCAL00/notARealSecretButTreatedAsOne';
let server: Server;
let webhook: string;
let script: Answer[] = [];
let received: Received[] = [];

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    received.push({
      path: request.url ?? '',
      contentType: request.headers['content-type'],
      body: await readBody(request),
      at: Date.now(),
    });
    const answer = script.shift() ?? { status: 200, body: 'ok' };
    response.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
    response.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  webhook = `http://127.0.0.1:${(server.address() as AddressInfo).port}${SECRET_PATH}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  script = [];
  received = [];
});

describe('postToSlack against a webhook server', () => {
  it('delivers the payload as JSON', async () => {
    const payload = {
      text: 'checkout-redesign over budget',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*hi* 🙂' } }],
    };
    expect(await postToSlack(webhook, payload, { maxAttempts: 3 })).toBe(1);
    expect(received).toHaveLength(1);
    expect(received[0]?.path).toBe(SECRET_PATH);
    expect(received[0]?.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(received[0]?.body ?? '')).toEqual(payload);
  });

  it('retries a 429 after its Retry-After delay, then succeeds', async () => {
    script = [{ status: 429, body: 'rate_limited', headers: { 'Retry-After': '1' } }];
    const started = Date.now();
    expect(await postToSlack(webhook, { text: 'x' }, { maxAttempts: 3 })).toBe(2);
    expect(received).toHaveLength(2);
    const [first, second] = received;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(second?.body).toBe('{"text":"x"}');
  });

  it('retries a server error with backoff', async () => {
    script = [{ status: 503, body: 'service_unavailable' }];
    const waits: number[] = [];
    const attempts = await postToSlack(webhook, { text: 'x' }, { sleep: async (ms) => void waits.push(ms) });
    expect(attempts).toBe(2);
    expect(waits).toEqual([1000]);
  });

  it('fails at once on 410 channel_is_archived, saying so and not leaking the URL', async () => {
    script = [{ status: 410, body: 'channel_is_archived' }];
    const error = await postToSlack(webhook, { text: 'x' }, { maxAttempts: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlackWebhookError);
    expect((error as Error).message).toMatch(/channel is archived \(channel_is_archived\)/);
    expect(received).toHaveLength(1);
    expect(`${(error as Error).message}\n${(error as Error).stack}\n${JSON.stringify(error)}`).not.toContain(
      SECRET_PATH,
    );
  });

  it('fails at once on 404 no_service and 400 invalid_payload, naming each', async () => {
    script = [
      { status: 404, body: 'no_service' },
      { status: 400, body: 'invalid_payload' },
    ];
    await expect(postToSlack(webhook, {})).rejects.toThrow(/no_service/);
    await expect(postToSlack(webhook, {})).rejects.toThrow(/invalid_payload/);
    expect(received).toHaveLength(2);
  });

  it('reports an unreachable webhook without its secret path', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await postToSlack(
      `http://127.0.0.1:${port}${SECRET_PATH}`,
      {},
      { maxAttempts: 2, sleep: async () => {} },
    ).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /could not reach the Slack webhook \(http:\/\/127\.0\.0\.1:\d+\/…\) \(ECONNREFUSED\) after 2 attempts/,
    );
    expect(`${(error as Error).message}\n${(error as Error).stack}`).not.toContain(SECRET_PATH);
  });
});
