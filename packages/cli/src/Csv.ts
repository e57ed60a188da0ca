/**
 * CSV as people have it: RFC 4180 quoting (`""` escapes, fields across lines), CRLF or LF, comma
 * or semicolon separated (Excel in Swedish writes semicolons), and numbers written either way —
 * `1 000 000,00` with spaces (or no-break spaces) between thousands and a decimal comma, or
 * `1000000.00`. The parser is incremental: it is fed one line at a time and keeps the line each
 * record starts on, so a file is read as a stream and errors name their line.
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
 * A syntax error and the line it is on.
 *
 * @category models
 * @since 0.2.0
 */
export interface CsvSyntaxError {
  readonly line: number
  readonly error: string
}

/**
 * An incremental parser: {@link Parser.push} one line (without its line break) at a time.
 *
 * @category models
 * @since 0.2.0
 */
export interface Parser {
  /** Feeds line `line`; returns the record it completes, if any, or a syntax error. */
  readonly push: (text: string, line: number) => CsvRecord | CsvSyntaxError | undefined
  /** Ends the input; an open quoted field is an error. */
  readonly end: () => CsvSyntaxError | undefined
}

/**
 * The separator of a header line: the one of `;` and `,` that occurs more often outside quotes
 * (a Swedish header has semicolons; a field name never contains either).
 *
 * @category utils
 * @since 0.2.0
 */
export const detectSeparator = (header: string): "," | ";" => {
  let commas = 0
  let semicolons = 0
  let quoted = false
  for (const c of header) {
    if (c === '"') quoted = !quoted
    else if (!quoted && c === ",") commas++
    else if (!quoted && c === ";") semicolons++
  }
  return semicolons > commas ? ";" : ","
}

/**
 * Starts an incremental parser for `separator`.
 *
 * @category constructors
 * @since 0.2.0
 */
export const makeParser = (separator: "," | ";"): Parser => {
  let fields: Array<string> = []
  let field = ""
  let quoted = false
  let afterQuote = false
  let start = 0
  return {
    push: (text, line) => {
      if (!quoted) start = line
      else field += "\n"
      for (let i = 0; i < text.length; i++) {
        const c = text[i] as string
        if (quoted) {
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"'
              i++
              continue
            }
            quoted = false
            afterQuote = true
          } else field += c
          continue
        }
        if (c === '"') {
          if (field.length > 0 || afterQuote) {
            quoted = false
            fields = []
            field = ""
            afterQuote = false
            return { line, error: "a quote inside an unquoted field (quote the whole field)" }
          }
          quoted = true
        } else if (c === separator) {
          fields.push(field)
          field = ""
          afterQuote = false
        } else if (c === "\r" && i === text.length - 1) {
          // the CR of a CRLF line break
        } else {
          if (afterQuote) {
            fields = []
            field = ""
            afterQuote = false
            return { line, error: "text after a closing quote" }
          }
          field += c
        }
      }
      if (quoted) return undefined
      fields.push(field)
      const record = { line: start, fields }
      fields = []
      field = ""
      afterQuote = false
      return record.fields.length === 1 && record.fields[0] === "" ? undefined : record
    },
    end: () => (quoted ? { line: start, error: "a quoted field is not closed" } : undefined)
  }
}

/**
 * Parses CSV text into records, or explains the first syntax error with its line.
 *
 * @category encoding
 * @since 0.1.0
 */
export const parse = (text: string): ReadonlyArray<CsvRecord> | CsvSyntaxError => {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  // A final line break leaves an empty last line, which the parser skips as it skips every empty line.
  const lines = src.split("\n")
  const parser = makeParser(detectSeparator(lines[0] ?? ""))
  const records: Array<CsvRecord> = []
  for (let i = 0; i < lines.length; i++) {
    const r = parser.push(lines[i] as string, i + 1)
    if (r === undefined) continue
    if ("error" in r) return r
    records.push(r)
  }
  return parser.end() ?? records
}

const GROUPED = /^[+-]?\d{1,3}([ \u00a0\u202f]\d{3})+([.,]\d+)?$/
const PLAIN = /^[+-]?\d+([.,]\d+)?$/

/**
 * A number written the Swedish way or the programmers' way, as its sign, integer digits and
 * fraction digits — kept as text, so that an amount beyond the safe integer range is reported
 * with the digits the person wrote rather than a rounded double. Spaces (also no-break and
 * narrow no-break) group thousands; a comma or a point separates decimals.
 *
 * @category encoding
 * @since 0.2.0
 */
export const parseDecimal = (cell: string): Decimal | undefined => {
  const t = cell.trim()
  const grouped = GROUPED.test(t)
  if (!grouped && !PLAIN.test(t)) return undefined
  const negative = t.startsWith("-")
  const body = t.replace(/^[+-]/, "").replace(/[ \u00a0\u202f]/g, "")
  const [integer, fraction = ""] = body.split(/[.,]/) as [string, string?]
  return { negative, integer: integer.replace(/^0+(?=\d)/, ""), fraction, grouped }
}

/**
 * A number as {@link parseDecimal} reads it.
 *
 * @category models
 * @since 0.4.0
 */
export interface Decimal {
  readonly negative: boolean
  readonly integer: string
  readonly fraction: string
  /** Whether its thousands were grouped with spaces (then its `,` or `.` can only be decimal). */
  readonly grouped: boolean
}

/**
 * The integer a decimal stands for after scaling by 10^`scale` (2 for kronor → öre), or why not:
 * too many decimals, beyond `Number.MAX_SAFE_INTEGER`, or three digits after a lone `,` or `.`
 * where fewer decimals are allowed (`1,500`: thousands or decimals?).
 *
 * @category encoding
 * @since 0.2.0
 */
export const toScaledInteger = (d: Decimal, scale: number): number | string => {
  // `1,500` or `1.500` is fifteen hundred to some and one and a half to others; dropping its zeros
  // (`1,000` → 1) would take one side without a word, off by a factor of a thousand.
  if (!d.grouped && /^[1-9]\d{0,2}$/.test(d.integer) && d.fraction.length === 3 && scale < 3) {
    return `could be thousands or ${scale === 0 ? "a fraction" : "decimals"}: group thousands with a space (1 500)${scale === 0 ? "" : `, or write at most ${scale} decimals (1,50)`}`
  }
  const fraction = d.fraction.replace(/0+$/, "")
  if (fraction.length > scale) {
    return scale === 0 ? "must be a whole number" : `has more than ${scale} decimals (öre are the smallest unit)`
  }
  const value = BigInt(`${d.integer}${fraction.padEnd(scale, "0")}`)
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) return `is beyond the safe integer range (${Number.MAX_SAFE_INTEGER})`
  return d.negative ? -Number(value) : Number(value)
}
