import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  APPROVAL_KEYS_ENV,
  findKey,
  type Keyring,
  KeyringError,
  keyringFromEnv,
  keyringFromSecret,
  keysOf,
  MIN_SECRET_BYTES,
} from '../../../src/approval/keyring.js';

const S1 = Buffer.alloc(32, 1);
const S2 = Buffer.alloc(48, 2);
const VALID = JSON.stringify({
  current: { id: '2026-11', secret: S1.toString('base64') },
  previous: [{ id: '2026-08', secret: S2.toString('base64url') }],
});

function refusal(json: string): string {
  try {
    keyringFromSecret(json);
  } catch (error) {
    expect(error).toBeInstanceOf(KeyringError);
    return (error as Error).message;
  }
  throw new Error('expected a KeyringError');
}

describe('keyringFromSecret', () => {
  it('reads current and previous keys', () => {
    const ring = keyringFromSecret(VALID);
    expect(ring.current).toEqual({ id: '2026-11', secret: S1 });
    expect(ring.previous).toEqual([{ id: '2026-08', secret: S2 }]);
    expect(keysOf(ring).map((k) => k.id)).toEqual(['2026-11', '2026-08']);
    expect(findKey(ring, '2026-08')?.secret).toEqual(S2);
    expect(findKey(ring, 'gone')).toBeUndefined();
  });

  it('treats previous as optional', () => {
    const ring = keyringFromSecret(JSON.stringify({ current: { id: 'k1', secret: S1.toString('base64') } }));
    expect(ring).toEqual({ current: { id: 'k1', secret: S1 }, previous: [] } satisfies Keyring);
  });

  it('accepts any secret of at least 32 bytes in either base64 alphabet, padded or not', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: MIN_SECRET_BYTES, maxLength: 128 }),
        fc.constantFrom('base64', 'base64url', 'unpadded'),
        (bytes, encoding) => {
          const buffer = Buffer.from(bytes);
          const text =
            encoding === 'unpadded'
              ? buffer.toString('base64').replace(/=+$/, '')
              : buffer.toString(encoding as BufferEncoding);
          const ring = keyringFromSecret(JSON.stringify({ current: { id: 'k', secret: text } }));
          expect(ring.current.secret.equals(buffer)).toBe(true);
        },
      ),
    );
  });

  it('refuses any secret shorter than 32 bytes, without echoing it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: MIN_SECRET_BYTES - 1 }), (bytes) => {
        const secret = Buffer.from(bytes).toString('base64');
        const message = refusal(JSON.stringify({ current: { id: 'k', secret } }));
        expect(message).toContain(`at least ${MIN_SECRET_BYTES}`);
        expect(message).not.toContain(secret);
      }),
    );
  });

  it.each([
    ['empty', '', /empty/],
    ['not JSON', '{current:', /not valid JSON/],
    ['not an object', '[]', /must be a JSON object/],
    ['missing current', '{"previous":[]}', /"current" is missing/],
    ['current not an object', '{"current":"abc"}', /current must be an object/],
    [
      'previous not an array',
      `{"current":{"id":"k","secret":"${S1.toString('base64')}"},"previous":{}}`,
      /"previous" must be an array/,
    ],
    [
      'unknown top-level field',
      `{"current":{"id":"k","secret":"${S1.toString('base64')}"},"previos":[]}`,
      /unknown field "previos"/,
    ],
    [
      'unknown key field',
      `{"current":{"id":"k","secret":"${S1.toString('base64')}","alg":"none"}}`,
      /unknown field "alg"/,
    ],
    ['a bad id', `{"current":{"id":"has space","secret":"${S1.toString('base64')}"}}`, /"id" must be/],
    ['a missing secret', '{"current":{"id":"k"}}', /"secret" must be a non-empty base64 string/],
    ['a non-base64 secret', '{"current":{"id":"k","secret":"not base64!"}}', /not valid base64/],
    [
      'a short previous secret',
      `{"current":{"id":"k","secret":"${S1.toString('base64')}"},"previous":[{"id":"old","secret":"AAAA"}]}`,
      /previous\[0\] \(old\).*at least 32/,
    ],
    [
      'a duplicate id',
      `{"current":{"id":"k","secret":"${S1.toString('base64')}"},"previous":[{"id":"k","secret":"${S2.toString('base64')}"}]}`,
      /"k" appears more than once/,
    ],
  ])('refuses %s', (_name, json, message) => {
    expect(refusal(json)).toMatch(message);
  });
});

describe('keyringFromEnv', () => {
  it(`reads ${APPROVAL_KEYS_ENV}`, () => {
    expect(keyringFromEnv({ [APPROVAL_KEYS_ENV]: VALID })).toEqual(keyringFromSecret(VALID));
  });

  it('says which variable is missing or wrong', () => {
    expect(() => keyringFromEnv({})).toThrow(new RegExp(`${APPROVAL_KEYS_ENV} is not set`));
    expect(() => keyringFromEnv({ [APPROVAL_KEYS_ENV]: '  ' })).toThrow(KeyringError);
    expect(() => keyringFromEnv({ [APPROVAL_KEYS_ENV]: '{"current":{"id":"k","secret":"AAAA"}}' })).toThrow(
      new RegExp(`^${APPROVAL_KEYS_ENV}: current \\(k\\)`),
    );
  });
});
