import type { Command } from 'commander';
import { type RunningApprovalServer, startApprovalServer } from '../../approval/approval-http-server.js';
import { APPROVAL_URL_ENV } from '../../approval/approval-links.js';
import { APPROVAL_KEYS_ENV, type Keyring, KeyringError, keyringFromEnv } from '../../approval/keyring.js';
import { errorMessage } from '../../core/error-message.js';
import { teardownDataFor } from '../../policy/teardown-data.js';
import { CliError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';
import { ExitCode } from '../exit-codes.js';
import { loadPolicySetOrFail, resolvePoliciesDir } from '../load-policy-set.js';
import type { Output } from '../output.js';
import { openStateStore, STATE_OPTION_HELP } from '../state-option.js';

export const DEFAULT_SERVE_PORT = 8787;
const DEFAULT_SERVE_HOST = '127.0.0.1';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

interface ServeOptions {
  port: string;
  host: string;
  state?: string;
  policies?: string;
}

/**
 * `pocketwatch serve`: the approval page on this machine, over the local state file, until Ctrl+C
 * (SIGINT), SIGTERM or the context's signal.
 */
export function registerServeCommand(program: Command, output: Output, context: CommandContext = {}): void {
  program
    .command('serve')
    .description(
      `Serve the approval page that approve/reject/snooze links open, over the local state (keys from ${APPROVAL_KEYS_ENV}).`,
    )
    .option('--port <n>', `port to listen on (0: any free port)`, String(DEFAULT_SERVE_PORT))
    .option('--host <host>', 'interface to listen on', DEFAULT_SERVE_HOST)
    .option('--state <path>', STATE_OPTION_HELP)
    .option(
      '--policies <dir>',
      'policies folder: the billing currency, and what each PoC’s teardown does with data (default: ./policies)',
    )
    .action(async (options: ServeOptions) => {
      await serve(options, output, context);
    });
}

async function serve(options: ServeOptions, output: Output, context: CommandContext): Promise<void> {
  const port = parsePort(options.port);
  const keyring = signingKeys();
  const state = openStateStore(options.state);
  const policySet = await loadPolicySetOrFail(resolvePoliciesDir(options.policies, true), output);
  const { settings } = policySet;
  let server: RunningApprovalServer;
  try {
    server = await startApprovalServer({
      host: options.host,
      port,
      deps: {
        keyring,
        store: state,
        usedTokens: state,
        now: () => new Date(),
        currency: settings.currency,
        teardownData: (poc) => teardownDataFor(policySet, poc),
        onError: (error) => output.err(`pocketwatch serve: ${errorMessage(error)}\n`),
      },
    });
  } catch (error) {
    throw new CliError(`cannot listen on ${options.host}:${port}: ${errorMessage(error)}`);
  }
  output.out(`pocketwatch approval page at ${server.url}\n`);
  output.out(
    `Set ${APPROVAL_URL_ENV}=${server.url} so that \`pocketwatch recommendations show\` prints links to it.\n`,
  );
  output.out(`State: ${state.location}. Stop with Ctrl+C.\n`);
  if (!LOOPBACK_HOSTS.has(options.host)) {
    output.err(
      `warning: listening on ${options.host}, reachable from other machines; serve it behind HTTPS, since links carry their token in the URL\n`,
    );
  }
  await stopRequested(context.signal);
  await server.close();
  output.out('pocketwatch approval page stopped\n');
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(port) || port > 65_535) {
    throw new CliError(`--port "${text}" is not a port number (0–65535)`, ExitCode.Usage);
  }
  return port;
}

function signingKeys(): Keyring {
  try {
    return keyringFromEnv();
  } catch (error) {
    if (error instanceof KeyringError) {
      throw new CliError(
        `${error.message}. The same keys must sign the links (see \`pocketwatch recommendations show\`); a secret can be made with \`openssl rand -base64 32\`.`,
        ExitCode.Usage,
      );
    }
    throw error;
  }
}

/** Resolves on SIGINT, SIGTERM or the signal's abort, whichever comes first. */
function stopRequested(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    signal?.addEventListener('abort', stop, { once: true });
    if (signal?.aborted) stop();
  });
}
