/** The `pocketwatch` command's exit codes, documented in the README and in `--help`. */
export const ExitCode = {
  /** The command did what was asked. */
  Ok: 0,
  /** Bad input (policy files, a billing export, settings) or a failed AWS call: nothing was produced. */
  Error: 1,
  /** The command line itself is wrong (unknown option, missing argument). */
  Usage: 2,
  /**
   * The run finished, but some input was skipped (malformed rows, unreadable files, AWS calls that
   * failed after their retries): the report is partial, and says what is missing. For a teardown:
   * partly done, or still under way when it stopped waiting.
   */
  Partial: 3,
  /** `--fail-on` was given and an alert at or above that severity was found. */
  AlertsFound: 4,
  /** `--notify`: something could not be delivered; it stays unsent and the next run tries again. */
  DeliveryFailed: 5,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  invalid input or a failed call (the message says which file, line or operation)
  2  usage error (unknown option, missing argument)
  3  the report was produced from partial input (skipped rows, and AWS calls that failed,
     are listed as warnings);
     a teardown is partly done or still under way (run it again to finish)
  4  --fail-on: an alert at or above the given severity was found
  5  --notify: a delivery failed; it stays unsent and the next run sends it`;
