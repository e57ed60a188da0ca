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
  const all = [header, ...rows]
  const widths = header.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? "")].length)))
  const pad = (cell: string, i: number) => {
    const w = widths[i] ?? 0
    const n = [...cell].length
    return i === 0 ? cell + " ".repeat(w - n) : " ".repeat(w - n) + cell
  }
  const line = (r: ReadonlyArray<string>) =>
    r
      .map((c, i) => pad(c, i))
      .join("  ")
      .trimEnd()
  return [line(header), widths.map((w) => "─".repeat(w)).join("  "), ...rows.map(line)]
}
