/**
 * `Csv`, the reader of the CSV files analysts import: records and their lines, quoting as RFC 4180
 * has it, and numbers written the Swedish way or the programmers' way. Every expected value is
 * worked out by hand from the text.
 */
import { describe, expect, it } from "vitest"
import * as Csv from "../src/Csv.js"

describe("Csv.parse", () => {
  it.each([
    [
      "a,b\n1,2\n",
      [
        { line: 1, fields: ["a", "b"] },
        { line: 2, fields: ["1", "2"] }
      ],
      "commas, a final line break"
    ],
    [
      "a;b\r\n1;2",
      [
        { line: 1, fields: ["a", "b"] },
        { line: 2, fields: ["1", "2"] }
      ],
      "semicolons, CRLF, no final break"
    ],
    [
      "\ufeffa;b\n1;2\n",
      [
        { line: 1, fields: ["a", "b"] },
        { line: 2, fields: ["1", "2"] }
      ],
      "a BOM"
    ],
    [
      'a,b\n"x, y","say ""hej"""\n',
      [
        { line: 1, fields: ["a", "b"] },
        { line: 2, fields: ["x, y", 'say "hej"'] }
      ],
      "quotes"
    ],
    [
      'a,b\n"two\nlines",2\n3,4\n',
      [
        { line: 1, fields: ["a", "b"] },
        { line: 2, fields: ["two\nlines", "2"] },
        { line: 4, fields: ["3", "4"] }
      ],
      "a field across lines keeps the line it starts on"
    ],
    [
      "a,b\n\n1,2\n",
      [
        { line: 1, fields: ["a", "b"] },
        { line: 3, fields: ["1", "2"] }
      ],
      "an empty line is skipped"
    ],
    [
      "a;b\n1,5;2\n",
      [
        { line: 1, fields: ["a", "b"] },
        { line: 2, fields: ["1,5", "2"] }
      ],
      "a decimal comma under semicolons"
    ],
    ['a,"b;c"\n', [{ line: 1, fields: ["a", "b;c"] }], "the separator counted outside quotes"],
    [
      "a,b\n,\n",
      [
        { line: 1, fields: ["a", "b"] },
        { line: 2, fields: ["", ""] }
      ],
      "empty fields"
    ]
  ])("%j (%s)", (text, expected) => {
    expect(Csv.parse(text)).toEqual(expected)
  })

  it.each([
    ['a,b\nx"y,2\n', { line: 2, error: "a quote inside an unquoted field (quote the whole field)" }],
    ['a,b\n"x"y,2\n', { line: 2, error: "text after a closing quote" }],
    ['a,b\n1,2\n"open,3\n4\n', { line: 3, error: "a quoted field is not closed" }]
  ])("%j → %j", (text, expected) => {
    expect(Csv.parse(text)).toEqual(expected)
  })
})

describe("Csv.detectSeparator", () => {
  it.each([
    ["a;b;c", ";"],
    ["a,b,c", ","],
    ['"x;y;z",b', ","],
    ['"x,y,z";b', ";"],
    ["a;b,c", ","],
    ["a", ","],
    ["", ","]
  ])("%j → %j", (header, expected) => {
    expect(Csv.detectSeparator(header)).toBe(expected)
  })
})

describe("Csv.makeParser, fed line by line", () => {
  it("goes on after a refused line with nothing of it left over", () => {
    const parser = Csv.makeParser(",")
    expect(parser.push('x"y,2', 2)).toEqual({
      line: 2,
      error: "a quote inside an unquoted field (quote the whole field)"
    })
    expect(parser.push("3,4", 3)).toEqual({ line: 3, fields: ["3", "4"] })
    expect(parser.push('"x"y,2', 4)).toEqual({ line: 4, error: "text after a closing quote" })
    expect(parser.push("5,6", 5)).toEqual({ line: 5, fields: ["5", "6"] })
    expect(parser.end()).toBeUndefined()
  })

  it("drops only the carriage return that ends a line, and keeps a record of one field", () => {
    const parser = Csv.makeParser(",")
    expect(parser.push("a\rb,c\r", 1)).toEqual({ line: 1, fields: ["a\rb", "c"] })
    expect(parser.push("x", 2)).toEqual({ line: 2, fields: ["x"] })
    expect(parser.push("", 3)).toBeUndefined()
  })
})

describe("Csv.parseDecimal and toScaledInteger", () => {
  it("reads sign, digits without leading zeros, fraction and grouping", () => {
    expect(Csv.parseDecimal(" 1 000,50 ")).toEqual({
      negative: false,
      integer: "1000",
      fraction: "50",
      grouped: true
    })
    expect(Csv.parseDecimal("-007")).toEqual({ negative: true, integer: "7", fraction: "", grouped: false })
    expect(Csv.parseDecimal("0")).toEqual({ negative: false, integer: "0", fraction: "", grouped: false })
    expect(Csv.parseDecimal("+0.25")).toEqual({
      negative: false,
      integer: "0",
      fraction: "25",
      grouped: false
    })
  })

  it("says how to write an ambiguous number, for each kind of column; plain numbers take the decimal reading", () => {
    const d = Csv.parseDecimal("1,500") as Csv.Decimal
    expect(Csv.toScaledInteger(d, 2)).toBe(
      "could be thousands or decimals: group thousands with a space (1 500), or write at most 2 decimals (1,50)"
    )
    expect(Csv.toScaledInteger(d, 0)).toBe(
      "could be thousands or a fraction: group thousands with a space (1 500)"
    )
    expect(Csv.toScaledInteger(d, 6)).toBe(1_500_000)
    expect(Csv.toScaledInteger(d, 3)).toBe(1500)
  })

  // The cell, and what it is in öre (kronor scaled by 2) and as a whole number (scale 0); a string
  // is the start of the refusal.
  const cases: ReadonlyArray<readonly [string, number | string, number | string]> = [
    ["1 000 000,00", 100_000_000, 1_000_000],
    ["1\u00a0000\u202f000", 100_000_000, 1_000_000],
    ["1000000.5", 100_000_050, "must be a whole number"],
    ["-12,34", -1234, "must be a whole number"],
    ["+7", 700, 7],
    ["0,05", 5, "must be a whole number"],
    ["007", 700, 7],
    ["12,340", "could be thousands or decimals", "could be thousands or a fraction"],
    ["1234,500", 123_450, "must be a whole number"],
    ["1 000,500", 100_050, "must be a whole number"],
    ["600 000,005", "has more than 2 decimals", "must be a whole number"],
    ["1,500", "could be thousands or decimals", "could be thousands or a fraction"],
    ["1.000", "could be thousands or decimals", "could be thousands or a fraction"],
    ["999,999", "could be thousands or decimals", "could be thousands or a fraction"],
    ["0,500", 50, "must be a whole number"],
    ["90 071 992 547 409,93", "is beyond the safe integer range", "must be a whole number"],
    ["90 071 992 547 409", 9_007_199_254_740_900, 90_071_992_547_409],
    ["90 071 992 547 410", "is beyond the safe integer range", 90_071_992_547_410],
    ["9007199254740991", "is beyond the safe integer range", 9_007_199_254_740_991]
  ]
  it.each(cases)("%j → %j öre, %j whole", (cell, ore, whole) => {
    const d = Csv.parseDecimal(cell)
    expect(d).toBeDefined()
    for (const [scale, expected] of [
      [2, ore],
      [0, whole]
    ] as const) {
      const got = Csv.toScaledInteger(d as Csv.Decimal, scale)
      if (typeof expected === "number") expect(got).toBe(expected)
      else expect(String(got).startsWith(expected)).toBe(true)
    }
  })

  it.each(["", "1,000,000", "1 00", "12 345 67", ",5", "5,", "1e3", "0x10", "1 000.000,00", "kr 5"])(
    "%j is no number",
    (cell) => {
      expect(Csv.parseDecimal(cell)).toBeUndefined()
    }
  )
})
