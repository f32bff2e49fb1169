/** A signing key for approval links. The secret never appears in error messages. */
export interface SigningKey {
  /** Short public label written into each token (`keyId`), e.g. "2026-11". */
  id: string;
  secret: Buffer;
}

/**
 * Rotation: tokens are signed with `current` and verified with `current` or any of `previous`.
 * To rotate, make a new current key and move the old one to `previous` until the links it signed have
 * expired; then drop it, and its links stop verifying ('unknown-key').
 */
export interface Keyring {
  current: SigningKey;
  previous: SigningKey[];
}

/** The environment variable holding the keyring JSON (the Lambda reads the same JSON from Secrets Manager). */
export const APPROVAL_KEYS_ENV = 'POCKETWATCH_APPROVAL_KEYS';

/** HMAC-SHA256 keys shorter than the hash output are refused. */
export const MIN_SECRET_BYTES = 32;

/** Key ids: 1–64 characters of letters, digits, '.', '_' and '-'. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export class KeyringError extends Error {
  override readonly name = 'KeyringError';
}

/** Current first, then previous in order. */
export function keysOf(keyring: Keyring): SigningKey[] {
  return [keyring.current, ...keyring.previous];
}

/** The key with this id (current preferred), if the keyring still holds it. */
export function findKey(keyring: Keyring, id: string): SigningKey | undefined {
  return keysOf(keyring).find((key) => key.id === id);
}

/**
 * Parses a secret value such as
 * `{"current":{"id":"2026-11","secret":"<base64>"},"previous":[{"id":"2026-08","secret":"<base64>"}]}`.
 * Secrets are base64 (standard or URL alphabet, padding optional) of at least 32 bytes; `previous` is
 * optional; unknown fields, duplicate ids and bad values are refused with a `KeyringError` that names the
 * offending field but never echoes a secret.
 */
export function keyringFromSecret(json: string, source = 'approval keys secret'): Keyring {
  if (typeof json !== 'string' || json.trim() === '') throw new KeyringError(`${source} is empty`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new KeyringError(`${source} is not valid JSON`);
  }
  if (!isPlainObject(parsed)) throw new KeyringError(`${source} must be a JSON object`);
  rejectUnknownFields(parsed, ['current', 'previous'], source);

  if (parsed.current === undefined) throw new KeyringError(`${source}: "current" is missing`);
  const current = parseKey(parsed.current, `${source}: current`);

  const previousRaw = parsed.previous ?? [];
  if (!Array.isArray(previousRaw)) throw new KeyringError(`${source}: "previous" must be an array`);
  const previous = previousRaw.map((entry: unknown, index) =>
    parseKey(entry, `${source}: previous[${index}]`),
  );

  const seen = new Set<string>();
  for (const key of [current, ...previous]) {
    if (seen.has(key.id)) throw new KeyringError(`${source}: key id "${key.id}" appears more than once`);
    seen.add(key.id);
  }
  return { current, previous };
}

/** Reads the keyring from `POCKETWATCH_APPROVAL_KEYS`. */
export function keyringFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): Keyring {
  const value = env[APPROVAL_KEYS_ENV];
  if (value === undefined || value.trim() === '') {
    throw new KeyringError(
      `${APPROVAL_KEYS_ENV} is not set: it must hold {"current":{"id":"…","secret":"<base64, ≥ ${MIN_SECRET_BYTES} bytes>"},"previous":[…]}`,
    );
  }
  return keyringFromSecret(value, APPROVAL_KEYS_ENV);
}

/** Throws a `KeyringError` unless the key has a valid id and a secret of at least 32 bytes. */
export function assertUsableKey(key: SigningKey, where: string): void {
  if (typeof key.id !== 'string' || !KEY_ID_PATTERN.test(key.id)) {
    throw new KeyringError(`${where}: "id" must be 1–64 characters of letters, digits, '.', '_' or '-'`);
  }
  if (!Buffer.isBuffer(key.secret) || key.secret.length < MIN_SECRET_BYTES) {
    throw new KeyringError(`${where}: "secret" must be at least ${MIN_SECRET_BYTES} bytes`);
  }
}

const BASE64_PATTERN = /^[A-Za-z0-9+/_-]+={0,2}$/;

function parseKey(value: unknown, where: string): SigningKey {
  if (!isPlainObject(value)) throw new KeyringError(`${where} must be an object with "id" and "secret"`);
  rejectUnknownFields(value, ['id', 'secret'], where);
  const { id, secret } = value;
  if (typeof id !== 'string' || !KEY_ID_PATTERN.test(id)) {
    throw new KeyringError(`${where}: "id" must be 1–64 characters of letters, digits, '.', '_' or '-'`);
  }
  if (typeof secret !== 'string' || secret === '') {
    throw new KeyringError(`${where} (${id}): "secret" must be a non-empty base64 string`);
  }
  const compact = secret.trim();
  if (!BASE64_PATTERN.test(compact) || compact.replace(/=+$/, '').length % 4 === 1) {
    throw new KeyringError(`${where} (${id}): "secret" is not valid base64`);
  }
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new KeyringError(
      `${where} (${id}): "secret" decodes to ${bytes.length} bytes; at least ${MIN_SECRET_BYTES} are required`,
    );
  }
  return { id, secret: bytes };
}

function rejectUnknownFields(
  value: Record<string, unknown>,
  allowed: readonly string[],
  where: string,
): void {
  const unknown = Object.keys(value).filter((field) => !allowed.includes(field));
  if (unknown.length > 0) {
    throw new KeyringError(
      `${where}: unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((f) => `"${f}"`).join(', ')} (allowed: ${allowed.join(', ')})`,
    );
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
