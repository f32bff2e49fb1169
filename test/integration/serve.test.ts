/**
 * `pocketwatch serve` over real HTTP: the command started in-process (stopped with an AbortSignal)
 * and as a child process (stopped with SIGTERM), against a temporary state file.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeUnverifiedClaims } from '../../src/approval/approval-token.js';
import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/cli/output.js';
import { LocalStateStore } from '../../src/state/local-state-store.js';
import {
  APPROVAL_KEYS_JSON,
  messageLinks,
  recordedState,
  sampleRecommendation,
  tokenOf,
} from '../support/approval-fixtures.js';
import { hiddenFields } from '../support/approval-requests.js';
import { runCli } from '../support/cli.js';

interface Served {
  url: string;
  stdout: () => string;
  stderr: () => string;
  stop: () => Promise<number>;
}

/** Starts `pocketwatch serve` in-process and waits for it to print its URL. */
async function serve(...args: string[]): Promise<Served> {
  let stdout = '';
  let stderr = '';
  const output: Output = {
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    interactive: false,
    color: false,
    columns: 120,
  };
  const controller = new AbortController();
  const running = main(['node', 'pocketwatch', 'serve', ...args], output, { signal: controller.signal });
  let exited: number | undefined;
  void running.then((code) => {
    exited = code;
  });
  for (let waited = 0; !/approval page at (\S+)/.test(stdout); waited += 10) {
    if (exited !== undefined) throw new Error(`serve exited with ${exited}: ${stderr}`);
    if (waited > 5000) throw new Error(`serve printed no URL: ${stdout}${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const url = /approval page at (\S+)/.exec(stdout)?.[1] ?? '';
  return {
    url,
    stdout: () => stdout,
    stderr: () => stderr,
    stop: async () => {
      controller.abort();
      return running;
    },
  };
}

function form(fields: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  };
}

beforeEach(() => {
  process.env.POCKETWATCH_APPROVAL_KEYS = APPROVAL_KEYS_JSON;
});
afterEach(() => {
  delete process.env.POCKETWATCH_APPROVAL_KEYS;
});

describe('pocketwatch serve', () => {
  it('serves the approval page over HTTP: a GET changes nothing, a POST decides once', async () => {
    const recommendation = sampleRecommendation();
    const { path } = await recordedState(recommendation, () => new Date());
    const served = await serve('--port', '0', '--state', path);
    try {
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(served.stdout()).toContain(`POCKETWATCH_APPROVAL_URL=${served.url}`);

      const landing = await fetch(served.url);
      expect(landing.status).toBe(200);
      expect(landing.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(landing.headers.get('referrer-policy')).toBe('no-referrer');
      expect(landing.headers.get('cache-control')).toBe('no-store');

      const links = messageLinks(recommendation, served.url, new Date());
      const before = await readFile(path, 'utf8');
      const page = await fetch(links.approve);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('chatbot-poc');
      expect((await fetch(links.approve, { method: 'HEAD' })).status).toBe(200);
      expect(await readFile(path, 'utf8')).toBe(before);

      const fields = hiddenFields(html, 'approve');
      const decided = await fetch(served.url, form({ ...fields, name: 'alice@example.com' }));
      expect(decided.status).toBe(200);
      expect(await decided.text()).toContain('Approved');
      const record = await new LocalStateStore(path).getRecommendation(recommendation.id);
      expect(record?.state).toBe('approved');
      expect(record?.audit.at(-1)).toMatchObject({ actor: 'alice@example.com', from: 'link' });
      expect(record?.audit.at(-1)?.address).toMatch(/^(::ffff:)?127\.0\.0\.1 /);
      const nonce = decodeUnverifiedClaims(tokenOf(links.approve))?.nonce ?? '';
      expect(await new LocalStateStore(path).wasUsed(nonce)).toBe(true);

      const replay = await fetch(served.url, form({ ...fields, name: 'alice@example.com' }));
      expect(replay.status).toBe(410);
      expect((await fetch(links.reject)).status).toBe(410);
    } finally {
      expect(await served.stop()).toBe(0);
    }
    expect(served.stdout()).toContain('stopped');
    await expect(fetch(served.url)).rejects.toThrow();
  });

  it('answers 405 with Allow, 415 and 413 over the wire', async () => {
    const { path } = await recordedState();
    const served = await serve('--port', '0', '--state', path);
    try {
      const put = await fetch(served.url, { method: 'PUT' });
      expect(put.status).toBe(405);
      expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
      const json = await fetch(served.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(json.status).toBe(415);
      const large = await fetch(served.url, form({ name: 'x', pad: 'y'.repeat(64 * 1024) }));
      expect(large.status).toBe(413);
      expect(await large.text()).toContain('too large');
      // A body sent without a length is cut off just past the limit, not read to its end.
      const chunked = await postChunked(served.url, 'a'.repeat(1024), 40);
      expect(chunked).toBe(413);
      // The server still answers afterwards.
      expect((await fetch(served.url)).status).toBe(200);
    } finally {
      await served.stop();
    }
  });

  it('refuses to start without signing keys or with a bad port, saying what to do', async () => {
    delete process.env.POCKETWATCH_APPROVAL_KEYS;
    const withoutKeys = await runCli('serve', '--port', '0');
    expect(withoutKeys.code).toBe(2);
    expect(withoutKeys.stderr).toContain('POCKETWATCH_APPROVAL_KEYS is not set');
    process.env.POCKETWATCH_APPROVAL_KEYS = APPROVAL_KEYS_JSON;
    const badPort = await runCli('serve', '--port', '70000');
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toContain('--port "70000" is not a port number');
  });

  it('says so when the port is taken', async () => {
    const { path } = await recordedState();
    const first = await serve('--port', '0', '--state', path);
    try {
      const port = new URL(first.url).port;
      const taken = await runCli('serve', '--port', port, '--state', path);
      expect(taken.code).toBe(1);
      expect(taken.stderr).toContain(`cannot listen on 127.0.0.1:${port}`);
    } finally {
      await first.stop();
    }
  });

  it('shuts down cleanly on SIGTERM as a process', async () => {
    const { path } = await recordedState();
    const mainModule = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
    const script = `import { main } from ${JSON.stringify(mainModule)};
process.exitCode = await main(['node', 'pocketwatch', 'serve', '--port', '0', '--state', ${JSON.stringify(path)}]);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, POCKETWATCH_APPROVAL_KEYS: APPROVAL_KEYS_JSON },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    for (let waited = 0; !/approval page at (\S+)/.test(stdout); waited += 20) {
      if (waited > 15_000) throw new Error(`no URL printed: ${stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const url = /approval page at (\S+)/.exec(stdout)?.[1] ?? '';
    expect((await fetch(url)).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stdout).toContain('stopped');
  }, 30_000);
});

/** Posts `count` chunks of `chunk` with chunked transfer encoding; resolves with the status. */
function postChunked(url: string, chunk: string, count: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on('error', reject);
    for (let i = 0; i < count; i++) request.write(chunk);
    request.end();
  });
}
