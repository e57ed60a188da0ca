/**
 * `Envelope.isRealCalendarDate`, the hand-written date parser every event's dates pass through:
 * literal strings with the answer worked out by hand (the calendar, not the code), one case for
 * each way a date can be wrong. The property test in `Schemas.test.ts` holds it to `Date`; these
 * pin the shapes a generator rarely writes (a wrong separator, a character just outside 0–9).
 */
import { Envelope } from "@utblick/core"
import { describe, expect, it } from "vitest"

const cases: ReadonlyArray<readonly [string, boolean, string]> = [
  ["2022-01-31", true, "an ordinary date"],
  ["2022-04-30", true, "the last day of a 30-day month"],
  ["2022-04-31", false, "a day after the month's end"],
  ["2022-12-31", true, "December"],
  ["2022-13-01", false, "month 13"],
  ["2022-00-10", false, "month 0"],
  ["2022-01-00", false, "day 0"],
  ["2024-02-29", true, "29 February of a leap year"],
  ["2023-02-29", false, "29 February of a common year"],
  ["1900-02-29", false, "a century that is not a leap year"],
  ["2000-02-29", true, "a fourth century that is"],
  ["0100-01-01", true, "year 100, the first accepted"],
  ["0099-01-01", false, "year 99, read as 1999 by Date.UTC, refused"],
  ["2022-01-011", false, "eleven characters, separators in place"],
  ["2022-1-01", false, "nine characters"],
  ["2022x01-01", false, "no hyphen after the year"],
  ["2022-01x01", false, "no hyphen after the month"],
  ["2022-0a-01", false, "a letter in the month"],
  ["2022-01-0:", false, "':' follows '9' in ASCII"],
  ["2022-01-0/", false, "'/' precedes '0' in ASCII"],
  ["2:22-01-01", false, "':' in the year"],
  ["20/2-01-01", false, "'/' in the year (read as a digit worth -1 it would make 1992)"]
]

describe("Envelope.isRealCalendarDate", () => {
  it.each(cases)("%s → %s (%s)", (value, expected) => {
    expect(Envelope.isRealCalendarDate(value)).toBe(expected)
  })
})
