/** A YAML map as plain data (timestamps, which YAML 1.1 can produce, are not maps). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
