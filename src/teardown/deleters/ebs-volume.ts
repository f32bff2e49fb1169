import {
  CreateSnapshotCommand,
  DeleteVolumeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { tagRecord } from '../../inventory/tag-record.js';
import type { Deleter } from '../deleter.js';
import { finalCopyFilter, finalCopyTags } from './tags.js';

/**
 * EBS volumes: paid for by the GB-month attached or not. With data kept, a snapshot is taken first
 * and the volume is deleted only once the snapshot has completed.
 */
export const ebsVolumeDeleter: Deleter = {
  type: 'ec2:volume',
  label: 'EBS volume',
  order: 50,
  data: { kind: 'final-copy', copy: 'EBS snapshot' },
  iam: {
    describe: ['ec2:DescribeVolumes', 'ec2:DescribeSnapshots'],
    delete: ['ec2:CreateSnapshot', 'ec2:CreateTags', 'ec2:DeleteVolume'],
    tagCondition: true,
  },
  notFound: ['InvalidVolume.NotFound'],
  // Still attached (its instance is terminating): deleted on a later pass.
  dependency: ['VolumeInUse', 'IncorrectState'],
  async describe(clients, target) {
    const ec2 = clients.get('ec2', target.region, (config) => new EC2Client(config));
    const { Volumes = [] } = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [target.id] }));
    const volume = Volumes.find((candidate) => candidate.VolumeId === target.id);
    if (!volume || volume.State === 'deleted') return { status: 'gone', tags: {} };
    return {
      status: volume.State === 'deleting' ? 'deleting' : 'present',
      tags: tagRecord(volume.Tags),
      state: {
        ...(volume.State ? { volumeState: volume.State } : {}),
        ...(volume.CreateTime ? { createdAt: volume.CreateTime.toISOString() } : {}),
      },
    };
  },
  async delete(clients, target, options) {
    const ec2 = clients.get('ec2', target.region, (config) => new EC2Client(config));
    let kept: string | undefined;
    if (options.keepData) {
      // Idempotent: a snapshot this teardown started before (a crash, an earlier pass) is reused.
      const { Snapshots = [] } = await ec2.send(
        new DescribeSnapshotsCommand({
          OwnerIds: ['self'],
          Filters: [finalCopyFilter(options.finalCopyName)],
        }),
      );
      let snapshot = Snapshots[0];
      if (!snapshot) {
        snapshot = await ec2.send(
          new CreateSnapshotCommand({
            VolumeId: target.id,
            Description: `pocketwatch final snapshot of ${target.id} before teardown`,
            TagSpecifications: [
              { ResourceType: 'snapshot', Tags: finalCopyTags(options.finalCopyName, target.arn) },
            ],
          }),
        );
      }
      kept = snapshot.SnapshotId;
      if (snapshot.State === 'error') throw new Error(`final snapshot ${kept} of ${target.id} failed`);
      if (snapshot.State !== 'completed') {
        return { ...(kept ? { kept } : {}), waitingFor: `snapshot ${kept} (${snapshot.Progress ?? '0%'})` };
      }
    }
    await ec2.send(new DeleteVolumeCommand({ VolumeId: target.id }));
    return kept ? { kept } : {};
  },
};
