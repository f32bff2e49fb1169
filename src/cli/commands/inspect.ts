import type { Command } from 'commander';
import { Option } from 'commander';
import { runRolePolicy } from '../../app/iam-actions.js';
import { IDLE_RULES } from '../../core/idle/idle-rules.js';
import { DELETERS } from '../../teardown/deleters.js';
import { teardownRolePolicy } from '../../teardown/teardown-policy.js';
import { loadPolicySetOrFail, resolvePoliciesDir } from '../load-policy-set.js';
import type { Output } from '../output.js';

/** `idle-rules` and `iam-policy`: what the idle scan looks at, and what it needs permission for. */
export function registerInspectCommands(program: Command, output: Output): void {
  program
    .command('idle-rules')
    .description(
      'List the idle rules: resource type, signal, default threshold and window, whether it holds data.',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((options: { format: 'text' | 'json' }) => {
      const rules = Object.values(IDLE_RULES).map((rule) => ({
        type: rule.type,
        label: rule.label,
        signal: rule.signal,
        threshold: rule.threshold,
        windowDays: rule.windowDays,
        holdsData: rule.holdsData,
        iamActions: rule.iamActions,
      }));
      if (options.format === 'json') {
        output.out(`${JSON.stringify(rules, null, 2)}\n`);
        return;
      }
      for (const rule of rules) {
        output.out(
          `${rule.type}\n  ${rule.label}: idle when ${rule.signal} stays at or below ${rule.threshold} for ${rule.windowDays} days${rule.holdsData ? ' (holds data)' : ''}\n`,
        );
      }
      output.out(
        '\nOverride per type in settings.yaml or a policy: idle: { <type>: { threshold, windowDays, enabled } }\n',
      );
    });

  program
    .command('iam-policy')
    .description('Print the least-privilege IAM policy for `pocketwatch run --source aws` (read-only).')
    .option('--policies <dir>', 'folder of policy files (default: ./policies)')
    .option(
      '--teardown',
      "the teardown role's policy instead: describe calls, deletions only of resources carrying the PoC tag in settings.teardownAccounts, never of protected ones",
    )
    .action(async (options: { policies?: string; teardown?: boolean }) => {
      const policySet = await loadPolicySetOrFail(resolvePoliciesDir(options.policies, true), output);
      const { settings } = policySet;
      const policy = options.teardown
        ? teardownRolePolicy(Object.values(DELETERS), {
            tagKey: settings.tagKey,
            protectTag: settings.protectTag,
            accounts: settings.teardownAccounts ?? [],
          })
        : runRolePolicy(settings);
      output.out(`${JSON.stringify(policy, null, 2)}\n`);
    });
}
