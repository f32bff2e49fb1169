import { displayWidth, padEndDisplay, padStartDisplay } from './text-width.js';

export interface TextColumn {
  header: string;
  align: 'left' | 'right';
  /** One cell per row; cells may carry ANSI colour codes (they take no width). */
  cells: string[];
}

/** Width of a column: its widest cell or header. */
export function columnWidth(column: TextColumn): number {
  return Math.max(displayWidth(column.header), ...column.cells.map(displayWidth));
}

/** Total width of a table laid out with `gap` spaces between columns. */
export function tableWidth(columns: readonly TextColumn[], gap = 2): number {
  if (columns.length === 0) return 0;
  return columns.reduce((sum, column) => sum + columnWidth(column), 0) + gap * (columns.length - 1);
}

/**
 * Lays a table out as lines: the header, then one line per row. Every line has the same display
 * width (cells are padded by display width, so wide and combining characters keep columns aligned).
 */
export function layoutTable(
  columns: readonly TextColumn[],
  styleHeader: (text: string) => string = (text) => text,
  gap = 2,
): string[] {
  const widths = columns.map(columnWidth);
  const rowCount = Math.max(0, ...columns.map((column) => column.cells.length));
  const pad = (text: string, i: number): string => {
    const width = widths[i] ?? 0;
    return columns[i]?.align === 'right' ? padStartDisplay(text, width) : padEndDisplay(text, width);
  };
  const spacer = ' '.repeat(gap);
  const header = columns.map((column, i) => styleHeader(pad(column.header, i))).join(spacer);
  const lines = [header];
  for (let row = 0; row < rowCount; row++) {
    lines.push(columns.map((column, i) => pad(column.cells[row] ?? '', i)).join(spacer));
  }
  return lines;
}
