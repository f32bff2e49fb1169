/** Runs the real command in-process, as the integration tests do, capturing what it prints. */
import { main } from '../../src/cli/main.js';
import type { Output } from '../../src/cli/output.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(...args: string[]): Promise<CliResult> {
  const result = { code: 0, stdout: '', stderr: '' };
  const output: Output = {
    out: (text) => {
      result.stdout += text;
    },
    err: (text) => {
      result.stderr += text;
    },
    interactive: false,
    color: false,
    columns: 120,
  };
  result.code = await main(['node', 'pocketwatch', ...args], output);
  return result;
}
