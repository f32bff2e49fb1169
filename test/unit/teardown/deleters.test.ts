import { describe, expect, it } from 'vitest';
import { IDLE_RULES } from '../../../src/core/idle/idle-rules.js';
import { DELETERS, deleterFor } from '../../../src/teardown/deleters.js';
import { teardownTarget } from '../../../src/teardown/teardown-target.js';

/** IAM actions that only read: what `describe` may need. */
const READ_ONLY = /^[a-z0-9-]+:(Describe|Get|List|Head)[A-Za-z]*$|^apigateway:GET$/;
const ACTION = /^[a-z0-9-]+:[A-Za-z]+$/;

describe('the deleter registry', () => {
  it('has a deleter for every idle rule type, S3 buckets and CloudFormation stacks', () => {
    const types = [...Object.keys(IDLE_RULES), 's3', 'cloudformation:stack'];
    const missing = types.filter((type) => !Object.hasOwn(DELETERS, type));
    expect(missing).toEqual([]);
    expect(Object.keys(DELETERS).sort()).toEqual([...types].sort());
  });

  it('keys each deleter by its own type', () => {
    for (const [key, deleter] of Object.entries(DELETERS)) expect(deleter.type, key).toBe(key);
  });

  it('declares no delete action among the actions describe needs', () => {
    for (const deleter of Object.values(DELETERS)) {
      const writes = deleter.iam.delete.filter((action) => !READ_ONLY.test(action));
      expect(writes.length, `${deleter.type} deletes nothing`).toBeGreaterThan(0);
      for (const action of deleter.iam.describe) {
        expect(action, `${deleter.type} describe`).toMatch(READ_ONLY);
      }
      for (const action of [...deleter.iam.describe, ...deleter.iam.delete]) expect(action).toMatch(ACTION);
    }
  });

  it('never takes the same error code for both "already gone" and "not yet"', () => {
    for (const deleter of Object.values(DELETERS)) {
      expect(
        deleter.notFound.filter((code) => deleter.dependency.includes(code)),
        deleter.type,
      ).toEqual([]);
    }
  });

  it('says how data-bearing types keep their data, and every idle rule that holds data keeps some', () => {
    for (const [type, rule] of Object.entries(IDLE_RULES)) {
      const deleter = DELETERS[type];
      if (rule.holdsData) expect(deleter?.data.kind, type).not.toBe('none');
    }
    for (const deleter of Object.values(DELETERS)) {
      if (deleter.data.kind === 'final-copy') expect(deleter.data.copy).not.toBe('');
      if (deleter.data.kind === 'not-deleted') expect(deleter.data.why).not.toBe('');
    }
  });

  it('orders a teardown: stacks first, then front doors, compute, data stores, addresses, buckets last', () => {
    const order = (type: string) => DELETERS[type]?.order ?? Number.NaN;
    expect(order('cloudformation:stack')).toBeLessThan(order('apigateway:restapis'));
    expect(order('elasticloadbalancing:loadbalancer/app')).toBeLessThan(order('ec2:instance'));
    expect(order('apigateway:apis')).toBeLessThan(order('lambda:function'));
    expect(order('rds:db')).toBeLessThan(order('rds:cluster'));
    expect(order('ec2:instance')).toBeLessThan(order('ec2:volume'));
    expect(order('ec2:natgateway')).toBeLessThan(order('ec2:elastic-ip'));
    for (const deleter of Object.values(DELETERS)) expect(deleter.order).toBeLessThanOrEqual(order('s3'));
  });

  it('finds the deleter of recorded resources whose ARN alone is not fine enough', () => {
    const cases: Array<[string, { type?: string; region?: string }, string]> = [
      ['arn:aws:s3:::orders-data', { type: 's3', region: 'eu-west-1' }, 's3'],
      ['arn:aws:sqs:us-east-1:123456789012:orders', {}, 'sqs:queue'],
      ['arn:aws:sns:us-east-1:123456789012:orders', {}, 'sns:topic'],
      ['arn:aws:apigateway:us-east-1::/restapis/a1b2c3', {}, 'apigateway:restapis'],
      ['arn:aws:apigateway:us-east-1::/apis/a1b2c3', {}, 'apigateway:apis'],
      [
        'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/n/1',
        {},
        'elasticloadbalancing:loadbalancer/net',
      ],
      ['arn:aws:cloudformation:us-east-1:123456789012:stack/orders/e722ae60', {}, 'cloudformation:stack'],
      ['arn:aws:rds:us-east-1:123456789012:cluster:orders', {}, 'rds:cluster'],
    ];
    for (const [arn, recorded, type] of cases) {
      expect(deleterFor(teardownTarget({ arn, ...recorded }))?.type, arn).toBe(type);
    }
    // API Gateway stages and Classic Load Balancers have no deleter: never deleted, reported skipped.
    expect(
      deleterFor(teardownTarget({ arn: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3/stages/prod' })),
    ).toBeUndefined();
    expect(
      deleterFor(
        teardownTarget({
          arn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/classic-lb',
        }),
      ),
    ).toBeUndefined();
  });
});
