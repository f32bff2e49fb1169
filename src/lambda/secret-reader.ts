import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export class SecretReadError extends Error {
  override readonly name = 'SecretReadError';
}

/** How long a value is reused before it is read again, so a rotated secret reaches warm functions. */
export const SECRET_TTL_MS = 5 * 60 * 1000;

/**
 * Reads Secrets Manager values and keeps each for SECRET_TTL_MS in the warm function, so most
 * invocations make no call at all (a read costs $0.05 per 10,000). Concurrent first reads share one call.
 */
export class CachedSecretReader {
  private readonly cache = new Map<string, { value: Promise<string>; until: number }>();

  constructor(
    private readonly client: Pick<SecretsManagerClient, 'send'>,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = SECRET_TTL_MS,
  ) {}

  read(secretId: string): Promise<string> {
    const cached = this.cache.get(secretId);
    if (cached && cached.until > this.now()) return cached.value;
    const value = this.fetch(secretId);
    this.cache.set(secretId, { value, until: this.now() + this.ttlMs });
    // A failed read is not cached: the next invocation tries again.
    value.catch(() => this.cache.delete(secretId));
    return value;
  }

  private async fetch(secretId: string): Promise<string> {
    const { SecretString } = await this.client.send(new GetSecretValueCommand({ SecretId: secretId }));
    if (SecretString === undefined) throw new SecretReadError(`secret ${secretId} has no string value`);
    return SecretString;
  }
}
