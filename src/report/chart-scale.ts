/** Axis helpers for the SVG charts. */

/** A "nice" step (1, 2 or 5 × a power of ten) that divides `span` into about `target` parts. */
export function niceStep(span: number, target: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const rough = span / Math.max(1, target);
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const normalized = rough / magnitude;
  const factor = normalized < 1.5 ? 1 : normalized < 3 ? 2 : normalized < 7 ? 5 : 10;
  return factor * magnitude;
}

/** Tick values on nice steps covering [min, max] (first ≤ min, last ≥ max); at least two ticks. */
export function niceTicks(min: number, max: number, target = 4): number[] {
  let low = Math.min(min, max);
  let high = Math.max(min, max);
  if (high === low) high = low + 1;
  const step = niceStep(high - low, target);
  low = Math.floor(low / step + 1e-9) * step;
  high = Math.ceil(high / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; low + i * step <= high + step / 2; i++) ticks.push(round(low + i * step));
  return ticks;
}

function round(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

/** Maps [d0, d1] linearly onto [r0, r1]. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (value: number) => number {
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}
