import type { Command } from 'commander';
import { Option } from 'commander';
import { loadPolicies } from '../../policy/load-policies.js';
import { formatPolicyIssue } from '../../policy/policy-issue.js';
import { ExitCode } from '../exit-codes.js';
import type { Output } from '../output.js';

export function registerValidateCommand(program: Command, output: Output): void {
  program
    .command('validate')
    .description(
      'Check the policy files and settings: schema, typos, duplicates, dates. Exit 1 on any error.',
    )
    .argument('[dir]', 'folder of policy files', 'policies')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (dir: string, options: { format: 'text' | 'json' }) => {
      const result = await loadPolicies(dir);
      if (options.format === 'json') {
        output.out(
          `${JSON.stringify(
            {
              valid: result.errors.length === 0,
              errors: result.errors,
              warnings: result.warnings,
              pocs: result.policySet?.policies.map((policy) => policy.poc) ?? [],
              files: result.policySet?.files ?? [],
            },
            null,
            2,
          )}\n`,
        );
      } else {
        for (const issue of result.errors) output.out(`error: ${formatPolicyIssue(issue)}\n`);
        for (const issue of result.warnings) output.out(`warning: ${formatPolicyIssue(issue)}\n`);
        if (result.errors.length > 0) {
          const count = result.errors.length;
          output.out(`\n${count} error${count === 1 ? '' : 's'} in ${dir}\n`);
        } else if (result.policySet) {
          const { policies, files } = result.policySet;
          output.out(
            `${dir}: ${policies.length} PoC polic${policies.length === 1 ? 'y' : 'ies'} in ${files.length} file${files.length === 1 ? '' : 's'}, all valid (tag key "${result.policySet.settings.tagKey}")\n`,
          );
        }
      }
      if (result.errors.length > 0) output.exitCode = ExitCode.Error;
    });
}
