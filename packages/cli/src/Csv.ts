/**
 * A small RFC 4180 CSV reader: quoted fields with `""` escapes and embedded newlines, CRLF or LF,
 * a UTF-8 BOM ignored. Each record keeps the line number it starts on, for error messages.
 *
 * @since 0.1.0
 */

/**
 * One parsed record and the 1-based line it starts on.
 *
 * @category models
 * @since 0.1.0
 */
export interface CsvRecord {
  readonly line: number
  readonly fields: ReadonlyArray<string>
}

/**
 * Parses CSV text into records, or explains the first syntax error with its line.
 *
 * @category constructors
 * @since 0.1.0
 */
export const parse = (text: string): ReadonlyArray<CsvRecord> | { readonly line: number; readonly error: string } => {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  const records: Array<CsvRecord> = []
  let fields: Array<string> = []
  let field = ""
  let line = 1
  let start = 1
  let quoted = false
  let afterQuote = false
  let i = 0
  const endRecord = () => {
    fields.push(field)
    if (!(fields.length === 1 && fields[0] === "")) records.push({ line: start, fields })
    fields = []
    field = ""
    afterQuote = false
  }
  while (i < src.length) {
    const c = src[i] as string
    if (quoted) {
      if (c === '"') {
        if (src[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
        afterQuote = true
      } else {
        if (c === "\n") line++
        field += c
      }
      i++
      continue
    }
    if (c === '"') {
      if (field.length > 0 || afterQuote) return { line, error: "a quote inside an unquoted field (quote the whole field)" }
      quoted = true
    } else if (c === ",") {
      fields.push(field)
      field = ""
      afterQuote = false
    } else if (c === "\r" && src[i + 1] === "\n") {
      // handled on the \n
    } else if (c === "\n") {
      endRecord()
      line++
      start = line
    } else {
      if (afterQuote) return { line, error: "text after a closing quote" }
      field += c
    }
    i++
  }
  if (quoted) return { line: start, error: "a quoted field is not closed" }
  if (field.length > 0 || fields.length > 0) endRecord()
  return records
}
