import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { errorMessage } from '../core/error-message.js';
import { bundledPath } from '../package-paths.js';
import { CliError } from './cli-error.js';
import type { CommandContext } from './command-context.js';
import { registerDigestCommand } from './commands/digest.js';
import { registerInspectCommands } from './commands/inspect.js';
import { registerRecommendationCommands } from './commands/recommendations.js';
import { registerRunCommand } from './commands/run.js';
import { registerServeCommand } from './commands/serve.js';
import { registerTeardownCommand } from './commands/teardown.js';
import { registerValidateCommand } from './commands/validate.js';
import { EXIT_CODES_HELP, ExitCode } from './exit-codes.js';
import { type Output, processOutput } from './output.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(bundledPath('package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

export function buildProgram(output: Output, context: CommandContext = {}): Command {
  const program = new Command('pocketwatch')
    .description('Cost tracking and idle-resource governance for AWS proof-of-concept projects.')
    .version(version())
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (text) => output.out(text), writeErr: (text) => output.err(text) })
    .exitOverride()
    .addHelpText('after', EXIT_CODES_HELP);
  registerRunCommand(program, output);
  registerValidateCommand(program, output);
  registerDigestCommand(program, output);
  registerInspectCommands(program, output);
  registerRecommendationCommands(program, output);
  registerServeCommand(program, output, context);
  registerTeardownCommand(program, output);
  for (const command of program.commands) command.exitOverride().addHelpText('after', EXIT_CODES_HELP);
  return program;
}

/**
 * Runs the command line; returns the exit code instead of exiting, so tests can call it (and stop a
 * long-running command such as `serve` with `context.signal`).
 */
export async function main(
  argv: string[],
  output: Output = processOutput(),
  context: CommandContext = {},
): Promise<number> {
  const program = buildProgram(output, context);
  try {
    await program.parseAsync(argv);
    return output.exitCode ?? ExitCode.Ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.exitCode === 0
      ) {
        return ExitCode.Ok;
      }
      return ExitCode.Usage;
    }
    if (error instanceof CliError) {
      output.err(`pocketwatch: ${error.message}\n`);
      return error.exitCode;
    }
    // Anything else is a bug or an environment failure: one clear line, the stack only on request.
    const message = errorMessage(error);
    output.err(`pocketwatch: ${message}\n`);
    if (process.env.POCKETWATCH_DEBUG && error instanceof Error && error.stack)
      output.err(`${error.stack}\n`);
    return ExitCode.Error;
  }
}
