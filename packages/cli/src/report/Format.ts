/**
 * Numbers as people read them, for the terminal and the HTML page: every figure is formatted by
 * `@utblick/indicators`' `Format` (one module for every output), in the report's locale. This
 * module adds the aligned text table.
 *
 * @since 0.1.0
 */
import { Format as Figures } from "@utblick/indicators"

/**
 * The locale a report is written in (`sv` by default, `en` on request).
 *
 * @category models
 * @since 0.2.0
 */
export type Locale = Figures.Locale

/**
 * The shared figure formatting (re-exported for the report modules).
 *
 * @category utils
 * @since 0.2.0
 */
export const Fig = Figures

// A cell's width on the terminal: its code points (an `ä` is one, whatever its UTF-16 length).
const width = (cell: string): number => {
  let n = cell.length
  for (let i = 0; i < cell.length - 1; i++) {
    const c = cell.charCodeAt(i)
    const d = cell.charCodeAt(i + 1)
    if (c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
      n--
      i++
    }
  }
  return n
}

/**
 * The widths of an aligned text table's columns: each the widest of its cells in the header and
 * the rows. The rows are only iterated, so a caller can make each as it is measured and drop it.
 *
 * @category utils
 * @since 0.3.0
 */
export const tableWidths = (
  header: ReadonlyArray<string>,
  rows: Iterable<ReadonlyArray<string>>
): ReadonlyArray<number> => {
  const widths = header.map(width)
  for (const r of rows)
    for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i] ?? 0, width(r[i] ?? ""))
  return widths
}

/**
 * One line of an aligned text table with these column widths (first column left, the rest
 * right-aligned, columns two spaces apart, no trailing blanks).
 *
 * @category utils
 * @since 0.3.0
 */
export const tableLine = (widths: ReadonlyArray<number>, row: ReadonlyArray<string>): string =>
  row
    .map((cell, i) => {
      const pad = " ".repeat(Math.max(0, (widths[i] ?? 0) - width(cell)))
      return i === 0 ? cell + pad : pad + cell
    })
    .join("  ")
    .trimEnd()

/**
 * The rule under an aligned text table's header.
 *
 * @category utils
 * @since 0.3.0
 */
export const tableRule = (widths: ReadonlyArray<number>): string =>
  widths.map((w) => "─".repeat(w)).join("  ")

/**
 * Lays out rows as an aligned text table (first column left, the rest right-aligned).
 *
 * @category utils
 * @since 0.1.0
 */
export const table = (
  header: ReadonlyArray<string>,
  rows: ReadonlyArray<ReadonlyArray<string>>
): ReadonlyArray<string> => {
  const widths = tableWidths(header, rows)
  return [tableLine(widths, header), tableRule(widths), ...rows.map((r) => tableLine(widths, r))]
}
