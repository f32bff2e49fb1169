import {
  CreateSnapshotsCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  TerminateInstancesCommand,
} from '@aws-sdk/client-ec2';
import { tagRecord } from '../../inventory/tag-record.js';
import type { Deleter } from '../deleter.js';
import { isAwsError } from './aws-error.js';
import { finalCopyFilter, finalCopyTags } from './tags.js';

const NOT_FOUND = ['InvalidInstanceID.NotFound'];

interface Copy {
  id: string;
  state: string | undefined;
  progress: string | undefined;
}

/**
 * EC2 instances: billed every hour they run, and for their EBS volumes while stopped. With data kept,
 * one crash-consistent multi-volume snapshot set (CreateSnapshots) is taken first, every snapshot
 * tagged with the teardown's final-copy name, and the instance is terminated only once all have
 * completed. Volumes without DeleteOnTermination outlive the instance (the EBS volume deleter takes
 * them when they carry the PoC tag).
 *
 * tagCondition: ec2:TerminateInstances on the `instance` resource type takes aws:ResourceTag/${TagKey}
 * (and ec2:ResourceTag/${TagKey}) (Service Authorization Reference, "Actions, resources, and condition
 * keys for Amazon EC2", https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html;
 * the AWS managed policy AWSThinkboxDeadlineSpotEventPluginWorkerPolicy scopes TerminateInstances by
 * instance tag). CreateSnapshots also authorizes the new, not yet tagged snapshots: aws:RequestTag
 * applies to them, not ResourceTag.
 */
export const ec2InstanceDeleter: Deleter = {
  type: 'ec2:instance',
  label: 'EC2 instance',
  order: 30,
  data: { kind: 'final-copy', copy: 'EBS snapshots of its volumes' },
  iam: {
    describe: ['ec2:DescribeInstances', 'ec2:DescribeInstanceAttribute'],
    delete: ['ec2:DescribeSnapshots', 'ec2:CreateSnapshots', 'ec2:CreateTags', 'ec2:TerminateInstances'],
    tagCondition: true,
  },
  notFound: NOT_FOUND,
  dependency: [],
  async describe(clients, target) {
    const ec2 = clients.get('ec2', target.region, (config) => new EC2Client(config));
    try {
      const { Reservations = [] } = await ec2.send(
        new DescribeInstancesCommand({ InstanceIds: [target.id] }),
      );
      const instance = Reservations.flatMap((reservation) => reservation.Instances ?? []).find(
        (candidate) => candidate.InstanceId === target.id,
      );
      const state = instance?.State?.Name;
      // Terminated instances stay listed for about an hour.
      if (!instance || state === 'terminated') return { status: 'gone', tags: {} };
      const { DisableApiTermination } = await ec2.send(
        new DescribeInstanceAttributeCommand({ InstanceId: target.id, Attribute: 'disableApiTermination' }),
      );
      return {
        status: state === 'shutting-down' ? 'deleting' : 'present',
        tags: tagRecord(instance.Tags),
        ...(DisableApiTermination?.Value ? { protection: 'termination protection is on' } : {}),
        state: {
          ...(instance.LaunchTime ? { createdAt: instance.LaunchTime.toISOString() } : {}),
          ...(instance.InstanceType ? { instanceType: instance.InstanceType } : {}),
        },
      };
    } catch (error) {
      if (isAwsError(error, NOT_FOUND)) return { status: 'gone', tags: {} };
      throw error;
    }
  },
  async delete(clients, target, options) {
    const ec2 = clients.get('ec2', target.region, (config) => new EC2Client(config));
    let kept: string | undefined;
    if (options.keepData) {
      // Idempotent: the snapshot set this teardown started before (a crash, an earlier pass) is reused.
      const { Snapshots = [] } = await ec2.send(
        new DescribeSnapshotsCommand({
          OwnerIds: ['self'],
          Filters: [finalCopyFilter(options.finalCopyName)],
        }),
      );
      let copies: Copy[] = Snapshots.map((snapshot) => ({
        id: snapshot.SnapshotId ?? '',
        state: snapshot.State,
        progress: snapshot.Progress,
      }));
      if (copies.length === 0) {
        const created = await ec2.send(
          new CreateSnapshotsCommand({
            InstanceSpecification: { InstanceId: target.id, ExcludeBootVolume: false },
            Description: `pocketwatch final snapshot of ${target.id} before teardown`,
            TagSpecifications: [
              { ResourceType: 'snapshot', Tags: finalCopyTags(options.finalCopyName, target.arn) },
            ],
          }),
        );
        copies = (created.Snapshots ?? []).map((snapshot) => ({
          id: snapshot.SnapshotId ?? '',
          state: snapshot.State,
          progress: snapshot.Progress,
        }));
      }
      copies.sort((a, b) => a.id.localeCompare(b.id));
      if (copies.length > 0) kept = copies.map((copy) => copy.id).join(', ');
      const failed = copies.filter((copy) => copy.state === 'error');
      if (failed.length > 0) {
        throw new Error(`final snapshot ${failed.map((copy) => copy.id).join(', ')} of ${target.id} failed`);
      }
      const pending = copies.filter((copy) => copy.state !== 'completed');
      if (pending.length > 0) {
        const waitingFor = pending.map((copy) => `snapshot ${copy.id} (${copy.progress || '0%'})`).join(', ');
        return { ...(kept ? { kept } : {}), waitingFor };
      }
    }
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [target.id] }));
    return kept ? { kept } : {};
  },
};
