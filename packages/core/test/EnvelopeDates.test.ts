/**
 * `Envelope.isRealCalendarDate`, the hand-written date parser every event's dates pass through (and
 * below, the instants: the stored form, what a person writes, and a `knownAt` bound):
 * literal strings with the answer worked out by hand (the calendar, not the code), one case for
 * each way a date can be wrong. The property test in `Schemas.test.ts` holds it to `Date`; these
 * pin the shapes a generator rarely writes (a wrong separator, a character just outside 0–9).
 */
import { fc, it } from "@fast-check/vitest"
import { Envelope, Projection } from "@utblick/core"
import { Schema } from "effect"
import { describe, expect } from "vitest"

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

// Instants as the log stores them: the calendar and the clock worked out by hand.
const stored: ReadonlyArray<readonly [string, boolean, string]> = [
  ["2023-03-15T09:30:00.000Z", true, "an ordinary instant"],
  ["2023-12-31T23:59:59.999Z", true, "the last millisecond of a year"],
  ["2024-02-29T12:00:00.000Z", true, "29 February of a leap year"],
  ["2023-02-29T12:00:00.000Z", false, "29 February of a common year (Date.parse reads 1 March)"],
  ["2023-02-31T10:00:00.000Z", false, "31 February (Date.parse reads 3 March)"],
  ["2023-03-15T24:00:00.000Z", false, "24:00 (Date.parse reads the next midnight)"],
  ["2023-03-15T23:60:00.000Z", false, "minute 60"],
  ["2023-03-15T23:59:60.000Z", false, "second 60"],
  ["2023-03-15T09:30:00Z", false, "no milliseconds: not the stored form"],
  ["2023-03-15T09:30:00.000+00:00", false, "an offset: not the stored form"]
]

describe("Envelope.isRealInstant and the Instant schema", () => {
  it.each(stored)("%s → %s (%s)", (value, expected) => {
    expect(Envelope.isRealInstant(value)).toBe(expected)
    expect(Schema.is(Envelope.Instant)(value)).toBe(expected)
  })
})

// What a person writes, and the instant it means (UTC), worked out by hand; undefined: refused.
const written: ReadonlyArray<readonly [string, string | undefined, string]> = [
  ["2023-03-15T09:30:00.000Z", "2023-03-15T09:30:00.000Z", "the stored form"],
  ["2023-03-15T09:30Z", "2023-03-15T09:30:00.000Z", "to the minute"],
  ["2023-03-15T09:30:07Z", "2023-03-15T09:30:07.000Z", "to the second"],
  ["2023-03-15T09:30:07.5Z", "2023-03-15T09:30:07.500Z", "a tenth: 500 ms, not 5"],
  ["2023-03-15T09:30:07.12Z", "2023-03-15T09:30:07.120Z", "hundredths"],
  ["2023-03-15T10:30+01:00", "2023-03-15T09:30:00.000Z", "Swedish winter time"],
  ["2023-07-01T10:30:00+02:00", "2023-07-01T08:30:00.000Z", "Swedish summer time"],
  ["2023-03-15T00:30+01:00", "2023-03-14T23:30:00.000Z", "an offset that crosses back a day"],
  ["2023-03-14T20:00-05:30", "2023-03-15T01:30:00.000Z", "a negative offset with minutes, crossing forward"],
  ["2024-02-29T23:00-02:00", "2024-03-01T01:00:00.000Z", "leap day into March"],
  ["2023-12-31T23:59:59.999Z", "2023-12-31T23:59:59.999Z", "the last millisecond of a year"],
  ["2023-03-15T09:30", undefined, "no zone: the reading machine's clock"],
  ["2023-03-15T09:30:00.000", undefined, "no zone, full form"],
  ["2023-02-30T10:00Z", undefined, "30 February"],
  ["2023-03-15T24:00Z", undefined, "24:00"],
  ["2023-03-15T09:60Z", undefined, "minute 60"],
  ["2023-03-15T09:30:60Z", undefined, "second 60"],
  ["2023-03-15T09:30:00.0000Z", undefined, "four decimals"],
  ["2023-03-15T10:30+24:00", undefined, "an offset of 24 hours"],
  ["2023-03-15T10:30+01:60", undefined, "an offset of 60 minutes"],
  ["2023-03-15T10:30+0100", undefined, "an offset without its colon"],
  ["2023-03-15T09:30z", undefined, "a lower-case z"],
  ["2023-03-15 09:30Z", undefined, "a space for the T"],
  [" 2023-03-15T09:30Z", undefined, "a leading space"],
  ["2023-03-15", undefined, "a date alone (knownAtOf reads it, not parseInstant)"],
  ["Tue Mar 14 2023", undefined, "what Date.parse would read as local midnight"],
  ["0100-01-01T00:30+01:00", undefined, "an offset that takes it before year 100"],
  ["9999-12-31T23:30-01:00", undefined, "an offset that takes it past year 9999"]
]

describe("Envelope.parseInstant", () => {
  it.each(written)("%s → %s (%s)", (text, expected) => {
    expect(Envelope.parseInstant(text)).toBe(expected)
  })

  // Written by `Date`, read back by hand: the stored form, and the same instant written with any
  // offset a clock can show (the local time formatted by `Date` shifted by the offset).
  it.prop([
    fc.date({ min: new Date("1000-01-01T00:00:00Z"), max: new Date("9000-12-31T23:59:59Z"), noInvalidDate: true }),
    fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 })
  ])("reads every instant back, in UTC and at every offset", (date, offset) => {
    const iso = date.toISOString()
    expect(Envelope.parseInstant(iso)).toBe(iso)
    const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 23)
    const magnitude = Math.abs(offset)
    const zone = `${offset < 0 ? "-" : "+"}${String(Math.floor(magnitude / 60)).padStart(2, "0")}:${String(magnitude % 60).padStart(2, "0")}`
    expect(Envelope.parseInstant(local + zone)).toBe(iso)
  })
})

const bounds: ReadonlyArray<readonly [string, string | undefined, string]> = [
  ["2023-03-15", "2023-03-15T23:59:59.999Z", "a date: the end of that day, UTC"],
  ["2024-02-29", "2024-02-29T23:59:59.999Z", "a leap day"],
  ["2023-02-29", undefined, "29 February of a common year"],
  ["2023-03-15T10:30+01:00", "2023-03-15T09:30:00.000Z", "an instant with its offset"],
  ["2023-03-15T09:30", undefined, "an instant without a zone"],
  ["", undefined, "nothing"]
]

describe("Projection.knownAtOf", () => {
  it.each(bounds)("%s → %s (%s)", (text, expected) => {
    expect(Projection.knownAtOf(text)).toBe(expected)
  })
})
