import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { GovernanceRunEvent } from '../src/lambda/governance-event.js';
import { acknowledgeInvokeVersions } from './nag.js';

export interface GovernanceSchedulesProps {
  governanceRun: IFunction;
  /** The team's IANA zone (settings.timeZone): hours are local, daylight saving included. */
  timeZone: string;
  digestHour: number;
  budgetCheckHours: readonly number[];
  /** False when the organisation state machine runs the daily scan instead. */
  dailyRun: boolean;
  /** Invocations the scheduler could not deliver after its retries. */
  deadLetterQueue: IQueue;
}

/**
 * EventBridge Scheduler schedules in the team's time zone: the daily run at the digest hour, and the
 * cost-only budget checks at the extra hours settings ask for. The scheduler retries an invocation it
 * cannot deliver, then leaves it in the dead-letter queue; the function's own failures go to its
 * failure destination.
 */
export class GovernanceSchedules extends Construct {
  readonly daily?: Schedule;
  readonly budgetChecks?: Schedule;

  constructor(scope: Construct, id: string, props: GovernanceSchedulesProps) {
    super(scope, id);
    const timeZone = TimeZone.of(props.timeZone);
    const target = (event: GovernanceRunEvent) =>
      new LambdaInvoke(props.governanceRun, {
        input: ScheduleTargetInput.fromObject(event),
        deadLetterQueue: props.deadLetterQueue,
        retryAttempts: 3,
        maxEventAge: Duration.hours(2),
      });
    acknowledgeInvokeVersions(
      Stack.of(this),
      props.governanceRun,
      "The scheduler's role may invoke the governance function only (its versions included, as grantInvoke writes it).",
    );
    if (props.dailyRun) {
      this.daily = new Schedule(this, 'DailyRun', {
        description: `pocketwatch daily run and digest at ${props.digestHour}:00 ${props.timeZone}`,
        schedule: ScheduleExpression.cron({ minute: '0', hour: String(props.digestHour), timeZone }),
        target: target({ mode: 'daily' }),
      });
    }
    if (props.budgetCheckHours.length > 0) {
      const hours = props.budgetCheckHours.join(',');
      this.budgetChecks = new Schedule(this, 'BudgetChecks', {
        description: `pocketwatch budget checks at ${hours} o'clock ${props.timeZone}`,
        schedule: ScheduleExpression.cron({ minute: '0', hour: hours, timeZone }),
        target: target({ mode: 'budget-check' }),
      });
    }
  }
}
