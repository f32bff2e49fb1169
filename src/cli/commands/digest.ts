import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { SOURCE_SPEC_HELP } from '../../app/run-setup.js';
import { renderChatbotDigest } from '../../delivery/chatbot-message.js';
import { buildDigest, ownersOf } from '../../delivery/digest-model.js';
import { renderEmailHtml } from '../../delivery/email-html.js';
import { renderEmailText } from '../../delivery/email-text.js';
import { renderSlackDigest } from '../../delivery/slack-blocks.js';
import { CliError } from '../cli-error.js';
import { ExitCode } from '../exit-codes.js';
import type { Output } from '../output.js';
import { STATE_OPTION_HELP } from '../state-option.js';
import { produceReport, type ReportOptions } from './run.js';

interface DigestOptions extends ReportOptions {
  preview?: boolean;
  out?: string;
  owner?: string;
}

/** `digest --preview`: what each channel would receive, written to files, nothing sent. */
export function registerDigestCommand(program: Command, output: Output): void {
  program
    .command('digest')
    .description(
      'Render the daily digest for each channel. With --preview, write what each would receive; nothing is sent.',
    )
    .option('--preview', 'write the channel payloads to --out instead of sending them')
    .option(
      '--out <dir>',
      'where --preview writes slack.json, chatbot.json, email.txt and email.html',
      'digest-preview',
    )
    .option('--owner <email>', "one owner's digest: only the PoCs they own")
    .option('--source <spec>', SOURCE_SPEC_HELP, 'sample')
    .option(
      '--policies <dir>',
      'folder of policy files (default: ./policies, or the bundled examples with the sample)',
    )
    .option('--tag-key <key>', 'cost allocation tag that names a PoC')
    .option('--as-of <date>', 'the as-of day (default: today UTC; the sample has its own)')
    .option('--state <path>', STATE_OPTION_HELP)
    .action(async (options: DigestOptions) => {
      if (!options.preview) {
        throw new CliError(
          'digests are sent by `pocketwatch run --notify`; use --preview to look at one',
          ExitCode.Usage,
        );
      }
      const { report, policySet } = await produceReport(options, output);
      const reportUrl = policySet.settings.notifications?.reportUrl;
      const digest = buildDigest(report, {
        ...(options.owner ? { owner: options.owner } : {}),
        ...(reportUrl ? { reportUrl } : {}),
      });
      const email = renderEmailText(digest);
      const dir = options.out ?? 'digest-preview';
      await mkdir(dir, { recursive: true });
      const files: Array<[string, string]> = [
        ['slack.json', `${JSON.stringify(renderSlackDigest(digest), null, 2)}\n`],
        ['chatbot.json', `${renderChatbotDigest(digest)}\n`],
        ['email.txt', `Subject: ${email.subject}\n\n${email.body}`],
        ['email.html', renderEmailHtml(digest)],
      ];
      await Promise.all(files.map(([name, content]) => writeFile(join(dir, name), content)));
      output.out(`${digest.headline}\n`);
      output.err(`wrote ${files.map(([name]) => join(dir, name)).join(', ')}\n`);
      if (!options.owner) {
        const owners = ownersOf(report);
        if (owners.length > 0)
          output.err(`owners with digests of their own (--owner): ${owners.join(', ')}\n`);
      }
    });
}
