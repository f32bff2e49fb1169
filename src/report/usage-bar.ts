import { percentLabel } from './format.js';

export interface UsageBarOptions {
  /** Cells for 0–100 % (default 10). */
  width?: number;
}

/**
 * A fixed-width budget usage bar: `███████░░░ 72%`, or with an overrun marker `██████████▶ 131%`.
 *
 * `used` is the share of the budget spent (0.72 = 72 %). Any spend above zero shows at least one cell
 * and anything short of the full budget leaves at least one cell empty, so the bar never claims
 * "nothing" or "all" when that is not true; the percentage is floored for the same reason.
 */
export function usageBar(used: number, options: UsageBarOptions = {}): string {
  const width = Math.max(2, Math.floor(options.width ?? 10));
  if (Number.isNaN(used)) return `${'░'.repeat(width)} —`;
  let filled: number;
  if (used <= 0) filled = 0;
  else if (used >= 1) filled = width;
  else filled = Math.min(width - 1, Math.max(1, Math.round(used * width)));
  const overrun = used > 1 ? '▶' : '';
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}${overrun} ${percentLabel(used)}`;
}
