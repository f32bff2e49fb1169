import { type Keyring, keyringFromSecret } from '../approval/keyring.js';

/**
 * The approval keyring from its Secrets Manager value. The stack generates the first value as a
 * single key, `{"id":"…","secret":"<64 letters and digits>"}` (valid base64 of 48 bytes), since
 * CloudFormation can generate a string only at the top level of a JSON secret; that single key is the
 * current one. Rotating means writing the full keyring format, `{"current":…,"previous":[…]}`.
 */
export function keyringFromSecretValue(value: string): Keyring {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    // keyringFromSecret reports it, without echoing the value.
    return keyringFromSecret(value, 'approval keys secret');
  }
  const single =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && !('current' in parsed);
  return keyringFromSecret(single ? JSON.stringify({ current: parsed }) : value, 'approval keys secret');
}
