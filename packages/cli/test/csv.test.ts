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

describe("Csv.parseDecimal and toScaledInteger", () => {
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
