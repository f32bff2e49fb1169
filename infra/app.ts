import { App } from 'aws-cdk-lib';
import { loadDeploymentConfig, PolicyValidationError } from './deployment-config.js';
import { buildPocketwatchApp } from './pocketwatch-app.js';

/*
 * The CDK app (cdk.json runs it with tsx). The policies folder is `policies/`, or `-c policiesDir=DIR`.
 * Policies are validated here, with the same loader and messages as `pocketwatch validate`: an
 * invalid policy stops `cdk synth` and `cdk deploy` before anything is built.
 */
// Synthesised explicitly below, never on exit: a failed validation must leave no assembly behind.
const app = new App({ autoSynth: false });
const dir = String(app.node.tryGetContext('policiesDir') ?? 'policies');
try {
  const config = await loadDeploymentConfig(dir);
  for (const warning of config.warnings) process.stderr.write(`${warning}\n`);
  buildPocketwatchApp(app, config);
  app.synth();
} catch (error) {
  if (!(error instanceof PolicyValidationError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
}
