import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { recommendationResourceSetHash, resourceSetHash } from '../../../src/approval/resource-set-hash.js';

const arn = fc.oneof(
  fc.string(),
  fc.constantFrom(
    'arn:aws:ec2:eu-west-1:123456789012:natgateway/nat-1',
    'arn:aws:lambda:us-east-1:1:function:f',
  ),
);

describe('resourceSetHash', () => {
  it('is SHA-256 hex of the JSON of the sorted, de-duplicated ARNs', () => {
    const expected = createHash('sha256').update('["arn:a","arn:b"]').digest('hex');
    expect(resourceSetHash(['arn:b', 'arn:a', 'arn:b'])).toBe(expected);
    expect(resourceSetHash([])).toBe(createHash('sha256').update('[]').digest('hex'));
  });

  it('ignores order and repetition', () => {
    const arrangements = fc
      .array(arn, { minLength: 1, maxLength: 10 })
      .chain((arns) =>
        fc.tuple(
          fc.constant(arns),
          fc.shuffledSubarray(arns, { minLength: arns.length }),
          fc.array(fc.constantFrom(...arns), { maxLength: 10 }),
        ),
      );
    fc.assert(
      fc.property(arrangements, ([arns, shuffled, repeats]) => {
        expect(resourceSetHash([...shuffled, ...repeats])).toBe(resourceSetHash(arns));
        expect(resourceSetHash(arns)).toMatch(/^[0-9a-f]{64}$/);
      }),
    );
  });

  it('differs for different sets', () => {
    fc.assert(
      fc.property(fc.uniqueArray(arn, { maxLength: 8 }), fc.uniqueArray(arn, { maxLength: 8 }), (a, b) => {
        const same = a.length === b.length && a.every((x) => b.includes(x));
        expect(resourceSetHash(a) === resourceSetHash(b)).toBe(same);
      }),
    );
  });

  it('cannot be fooled by separators inside an ARN', () => {
    expect(resourceSetHash(['a\nb'])).not.toBe(resourceSetHash(['a', 'b']));
    expect(resourceSetHash(['a,b'])).not.toBe(resourceSetHash(['a', 'b']));
    expect(resourceSetHash(['a","b'])).not.toBe(resourceSetHash(['a', 'b']));
    expect(resourceSetHash([''])).not.toBe(resourceSetHash([]));
  });

  it('compares ARNs exactly (no trimming or case folding)', () => {
    expect(resourceSetHash(['arn:A'])).not.toBe(resourceSetHash(['arn:a']));
    expect(resourceSetHash(['arn:a '])).not.toBe(resourceSetHash(['arn:a']));
  });

  it('of a recommendation uses its resources’ ARNs', () => {
    const resources = [{ arn: 'arn:b' }, { arn: 'arn:a' }];
    expect(recommendationResourceSetHash({ resources })).toBe(resourceSetHash(['arn:a', 'arn:b']));
  });
});
