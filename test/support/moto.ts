/**
 * moto, the Python AWS emulator, in server mode (`moto_server`), for tests that create real resources
 * with the real SDK and let pocketwatch find, re-check and delete them. One server per test file, on a
 * free port of 127.0.0.1; `reset()` empties every backend between tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';

/** How long moto may take to start (it imports lazily, so well under two seconds here). */
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

/**
 * moto cannot set when a resource was created: everything it creates is created "now", and
 * pocketwatch does not judge a resource younger than its idle window. The server is started behind a
 * few lines of Python that move its clock back by `clockBehindDays` (moto takes every timestamp from
 * datetime.datetime.now/utcnow, which the launcher replaces before moto is imported), so what a test creates looks that old; then `moto.server.main`, as
 * the `moto_server` command runs it.
 */
const LAUNCHER = `
import datetime, os, sys
behind = datetime.timedelta(days=float(os.environ.get("POCKETWATCH_MOTO_CLOCK_BEHIND_DAYS", "0")))
real = datetime.datetime
# isinstance(x, datetime.datetime) must still hold for the real datetimes that arithmetic returns.
class Real(type):
    def __instancecheck__(cls, instance):
        return isinstance(instance, real)
    def __subclasscheck__(cls, subclass):
        return issubclass(subclass, real)
class BehindDatetime(real, metaclass=Real):
    @classmethod
    def now(cls, tz=None):
        return real.now(tz) - behind
    @classmethod
    def utcnow(cls):
        return real.utcnow() - behind
datetime.datetime = BehindDatetime
from moto.server import main
main(sys.argv[1:])
`;

export interface MotoServer {
  /** For AWS_ENDPOINT_URL_<SERVICE>. */
  endpoint: string;
  /** Forgets every resource in every backend (POST /moto-api/reset). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export interface MotoOptions {
  /** Days moto's clock runs behind: resources it creates look created that long ago. */
  clockBehindDays?: number;
}

/** Fails the test run with a clear message when moto is not installed. */
function missingMoto(): Error {
  return new Error(
    'moto is not installed for python3: `python3 -c "import moto"` fails. Install it (pip install "moto[server]") to run the moto tests.',
  );
}

export async function startMoto(options: MotoOptions = {}): Promise<MotoServer> {
  const child = spawn('python3', ['-c', LAUNCHER, '-H', '127.0.0.1', '-p', '0'], {
    env: { ...process.env, POCKETWATCH_MOTO_CLOCK_BEHIND_DAYS: String(options.clockBehindDays ?? 0) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`moto did not start within ${START_TIMEOUT_MS} ms:\n${output}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      // Werkzeug prints the port it bound ("-p 0" picks a free one).
      const port = /Running on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1];
      if (port) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${port}`);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(
        /No module named '?moto/.test(output)
          ? missingMoto()
          : new Error(`moto exited (${code}):\n${output}`),
      );
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  // Werkzeug keeps writing a line per request; drained so the pipe never fills.
  child.stdout?.resume();
  child.stderr?.resume();
  const server: MotoServer = {
    endpoint,
    reset: async () => {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset answered ${response.status}`);
    },
    stop: () => stopChild(child),
  };
  // Bound to the port and answering: the first call is the reset every test file starts from.
  await server.reset();
  return server;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * The SDK service ids (as AWS_ENDPOINT_URL_<ID> spells them) that moto models faithfully enough to
 * create, describe, tag, measure and delete real resources with.
 */
export const MOTO_SERVICES = [
  'EC2',
  'RDS',
  'DYNAMODB',
  'S3',
  'LAMBDA',
  'SQS',
  'SNS',
  'CLOUDWATCH',
  'CLOUDFORMATION',
  'RESOURCE_GROUPS_TAGGING_API',
  'STS',
  // Only for the role a Lambda function is created with: moto checks that it exists.
  'IAM',
] as const;

/**
 * Endpoint overrides for useFakeAwsEnv: moto for the services it models, and `fallback` (a
 * FakeAwsServer) for everything else: Cost Explorer (moto answers it with canned results, without
 * paging, Estimated days or throttling) and any service a test did not expect.
 */
export function motoEndpoints(moto: Pick<MotoServer, 'endpoint'>, fallback: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: fallback,
    ...Object.fromEntries(MOTO_SERVICES.map((service) => [`AWS_ENDPOINT_URL_${service}`, moto.endpoint])),
  };
}

/** The account moto puts every resource in (its default; STS GetCallerIdentity says so too). */
export const MOTO_ACCOUNT = '123456789012';
