/** What the command line passes to long-running commands (`serve`): tests stop them with the signal. */
export interface CommandContext {
  signal?: AbortSignal;
}
