/**
 * The time flags through the real `utblick` process on a real SQLite file: `--known-at` written
 * with an offset means the same instant in UTC (the figures and the manifest show it), and a day
 * not in the calendar, a time no clock shows or a time without a zone is refused with exit 2,
 * naming the flag and the value, where it used to be read as another day. The instants are the
 * ones the store stamped on the events, each rewritten in another zone here by `Date`.
 */
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { allot, assess, grant, receive, registerRegion, utblick, writeJsonl } from "./importProcess.js"
import { withDatabase } from "./process.js"
import { tempStore } from "./support.js"

// `iso` (UTC) as a clock `minutes` ahead of UTC shows it, with its offset: 2023-03-15T09:30:00.000Z
// at +60 is 2023-03-15T10:30:00.000+01:00.
const inZone = (iso: string, minutes: number) => {
  const local = new Date(Date.parse(iso) + minutes * 60_000).toISOString().slice(0, 23)
  const m = Math.abs(minutes)
  return `${local}${minutes < 0 ? "-" : "+"}${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`
}

const recordedAt = (db: string, position: number) =>
  withDatabase(
    db,
    (d) => d.prepare("SELECT recorded_at FROM events WHERE position = ?").pluck().get(position) as string
  )

describe("--known-at, --as-of, --from and --to", () => {
  it("read an offset as the same instant, and refuse what is not a day or an instant", async () => {
    const { dir, db, store } = tempStore()
    expect(utblick(["--store", store, "init"]).code).toBe(0)
    // First import: the region, its 2022 allotment and one grant of 600 000 kr (positions 0–5).
    const first = join(dir, "first.jsonl")
    writeJsonl(first, [
      registerRegion,
      allot(2022, 2_000_000),
      receive("a-1", 600_000, "2022-02-01"),
      assess("a-1", "2022-02-10"),
      grant("a-1", 2022, 600_000, "2022-03-01", "RUN 00061-2022")
    ])
    expect(utblick(["--store", store, "import", first]).code).toBe(0)
    // Second import: another grant of 300 000 kr (positions 6–9), recorded after the first.
    const second = join(dir, "second.jsonl")
    writeJsonl(second, [
      receive("a-2", 300_000, "2022-02-01"),
      assess("a-2", "2022-02-10"),
      grant("a-2", 2022, 300_000, "2022-03-01", "RUN 00062-2022")
    ])
    expect(utblick(["--store", store, "import", second]).code).toBe(0)
    const secondStarts = await recordedAt(db, 6)
    const last = await recordedAt(db, 9)
    expect(secondStarts > (await recordedAt(db, 5))).toBe(true)

    const report = (...flags: ReadonlyArray<string>) =>
      utblick([
        "--store",
        store,
        "report",
        "--year",
        "2022",
        "--tenant",
        "region-norrbotten",
        "--format",
        "json",
        ...flags
      ])
    const known = (text: string) => {
      const r = report("--known-at", text)
      expect(r.stderr).not.toContain("error")
      expect(r.code).toBe(0)
      const out = JSON.parse(r.stdout) as {
        readonly manifest: { readonly query: { readonly knownAt: string } }
        readonly indicators: ReadonlyArray<{ readonly id: string; readonly value: number }>
      }
      return {
        knownAt: out.manifest.query.knownAt,
        granted: out.indicators.find((i) => i.id === "granted-by-instrument")?.value
      }
    }
    // A millisecond before the second import, written in Swedish winter time: the first grant only.
    const before = new Date(Date.parse(secondStarts) - 1).toISOString()
    expect(known(inZone(before, 60))).toEqual({ knownAt: before, granted: 60_000_000 })
    // The last event's instant, written 5 h 30 min behind UTC: both grants (the bound is inclusive).
    expect(known(inZone(last, -330))).toEqual({ knownAt: last, granted: 90_000_000 })
    // A date is the end of that day, UTC: the day of the last event holds both grants.
    const day = last.slice(0, 10)
    expect(known(day)).toEqual({ knownAt: `${day}T23:59:59.999Z`, granted: 90_000_000 })

    const refused = (args: ReadonlyArray<string>, problem: string) => {
      const r = utblick(["--store", store, ...args])
      expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: "" })
      expect(r.stderr).toContain(problem)
    }
    const kept = () =>
      withDatabase(
        db,
        (d) => d.prepare("SELECT count(*) FROM projection_checkpoints").pluck().get() as number
      )
    const checkpointsBefore = await kept()
    const report2022 = ["report", "--year", "2022", "--tenant", "region-norrbotten"]
    refused([...report2022, "--known-at", "2023-02-30"], 'error: --known-at "2023-02-30" is not an instant')
    refused(
      [...report2022, "--known-at", "2023-02-31T10:00:00Z"],
      '--known-at "2023-02-31T10:00:00Z" is not an instant'
    )
    refused(
      [...report2022, "--known-at", "2023-03-15T24:00Z"],
      '--known-at "2023-03-15T24:00Z" is not an instant'
    )
    refused(
      [...report2022, "--known-at", "2023-03-15T09:30"],
      '--known-at "2023-03-15T09:30" is not an instant'
    )
    refused([...report2022, "--as-of", "2022-02-30"], 'error: --as-of "2022-02-30" is not a calendar date')
    refused(["trail", "a-1", "--from", "2022-02-30"], 'error: --from "2022-02-30" is not a calendar date')
    refused(["trail", "a-1", "--to", "2022-13-01"], 'error: --to "2022-13-01" is not a calendar date')
    // Nothing was read into a state and kept for any of them.
    expect(await kept()).toBe(checkpointsBefore)
  })
})
