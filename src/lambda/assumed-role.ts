import { AssumeRoleCommand, type AssumeRoleCommandOutput, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { errorMessage } from '../core/error-message.js';

/** Credentials are renewed this long before they expire, so no call is signed with stale ones. */
const RENEW_BEFORE_MS = 60_000;

export class AssumeRoleError extends Error {
  override readonly name = 'AssumeRoleError';
}

/**
 * Credentials of a role in another account, assumed on first use and renewed before they expire. The
 * session name carries the run id, so CloudTrail in the member account ties each call to its run.
 */
export function assumedRoleCredentials(
  sts: Pick<STSClient, 'send'>,
  roleArn: string,
  sessionName: string,
  now: () => number = Date.now,
): AwsCredentialIdentityProvider {
  let current: Promise<AwsCredentialIdentity> | undefined;
  return () => {
    const cached = current;
    if (cached) {
      return cached.then((credentials) =>
        credentials.expiration && credentials.expiration.getTime() - RENEW_BEFORE_MS <= now()
          ? renew()
          : credentials,
      );
    }
    return renew();
  };

  function renew(): Promise<AwsCredentialIdentity> {
    current = assume().catch((error: unknown) => {
      current = undefined;
      throw error;
    });
    return current;
  }

  async function assume(): Promise<AwsCredentialIdentity> {
    let response: AssumeRoleCommandOutput;
    try {
      response = await sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: sessionName.slice(0, 64),
          DurationSeconds: 3600,
        }),
      );
    } catch (error) {
      const reason = errorMessage(error);
      throw new AssumeRoleError(
        `cannot assume ${roleArn}: ${reason} (is the member role deployed there, trusting this function's role?)`,
      );
    }
    const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = response.Credentials ?? {};
    if (!AccessKeyId || !SecretAccessKey) {
      throw new AssumeRoleError(`sts:AssumeRole on ${roleArn} returned no credentials`);
    }
    return {
      accessKeyId: AccessKeyId,
      secretAccessKey: SecretAccessKey,
      ...(SessionToken ? { sessionToken: SessionToken } : {}),
      ...(Expiration ? { expiration: Expiration } : {}),
    };
  }
}
