/**
 * Persisted year figures (ADR 0038) through the real `utblick` process on a real SQLite file: the
 * first report saves the year's figure; the next answers from it without touching the read models
 * (proved by removing the read-model snapshot: answering from the figure does not bring it back);
 * events that do not count for the report (another tenant, a later business date) move the
 * figure to the new head; an event that counts sends the report down the full path, with the new
 * figure; and the answers equal a full replay after `rebuild`. Every expected figure is worked out
 * by hand from the commands below.
 */
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { allot, assess, grant, receive, registerLulea, registerRegion, sign, utblick, writeJsonl } from "./importProcess.js"
import { withDatabase } from "./process.js"
import { tempStore } from "./support.js"

interface Row {
  readonly projection: string
  readonly filter_key: string
  readonly position: number
}
const rows = (db: string) =>
  withDatabase(db, (d) =>
    d.prepare("SELECT projection, filter_key, position FROM projection_checkpoints ORDER BY projection, filter_key").all() as Array<Row>
  )
const positions = async (db: string, projection: string) =>
  (await rows(db)).filter((r) => r.projection === projection).map((r) => r.position)

const reportJson = (store: string) => {
  const r = utblick(["--store", store, "report", "--year", "2022", "--tenant", "region-norrbotten", "--format", "json"])
  expect(r.stderr).not.toMatch(/error/i)
  expect(r.code).toBe(0)
  return JSON.parse(r.stdout) as { indicators: Array<{ id: string; value: number | null }>; manifest: { log: { size: number } } }
}
const granted = (report: ReturnType<typeof reportJson>) =>
  report.indicators.find((i) => i.id === "granted-by-instrument")?.value

const importRows = (dir: string, name: string, xs: ReadonlyArray<unknown>, store: string, holds: number) => {
  const file = join(dir, name)
  writeJsonl(file, xs)
  const r = utblick(["--store", store, "import", file])
  expect(r.code).toBe(0)
  expect(r.stdout).toContain(`the log now holds ${holds} events`)
}

describe("persisted year figures through the CLI", () => {
  it("report, report again from the figure, growth that does not count, growth that does, rebuild", async () => {
    const t = tempStore()
    expect(utblick(["--store", t.store, "init"]).code).toBe(0)
    // Register (1 event), allot (1), per application receive (1), assess (1), grant (2).
    importRows(t.dir, "first.jsonl", [
      registerRegion,
      allot(2022, 2_000_000),
      receive("a-1", 600_000, "2022-02-01"),
      assess("a-1", "2022-02-10"),
      grant("a-1", 2022, 600_000, "2022-03-01", "RUN 00061-2022"),
      receive("a-2", 300_000, "2022-02-01"),
      assess("a-2", "2022-02-10"),
      grant("a-2", 2022, 300_000, "2022-03-01", "RUN 00062-2022")
    ], t.store, 10)

    // 600 000 + 300 000 kr = 90 000 000 öre; the read models as rows (built from zero, ADR 0049:
    // no snapshot of the whole state) and one figure, both at 10.
    const first = reportJson(t.store)
    expect(granted(first)).toBe(90_000_000)
    expect(await positions(t.db, "read-model-rows")).toEqual([10])
    expect(await positions(t.db, "year-figures")).toEqual([10])
    expect(await positions(t.db, "read-models")).toEqual([])
    const figureKey = (await rows(t.db)).find((r) => r.projection === "year-figures")?.filter_key
    expect(JSON.parse(figureKey ?? "{}")).toMatchObject({ year: 2022, asOf: "2022-12-31", tenant: "region-norrbotten" })

    // Answered from the figure: the rows are not read, nor saved again.
    const again = reportJson(t.store)
    expect(again.indicators).toEqual(first.indicators)
    expect(await positions(t.db, "read-model-rows")).toEqual([10])

    // Events that do not count for region-norrbotten's 2022: Luleå's registration (2 events) and
    // membership (1), and an application the region receives in 2023 (1). 14 events.
    importRows(t.dir, "other.jsonl", [registerLulea, sign("ubc", "2022-05-01"), receive("a-8", 100_000, "2023-02-01")], t.store, 14)
    const moved = reportJson(t.store)
    expect(moved.indicators).toEqual(first.indicators)
    expect(moved.manifest.log.size).toBe(14)
    expect(await positions(t.db, "year-figures")).toEqual([14])
    // The figure moved by a scan of the new events' heads; the rows were not caught up.
    expect(await positions(t.db, "read-model-rows")).toEqual([10])

    // A grant of 250 000 kr in 2022 counts: 4 events, 18 in all; the report catches up from the
    // rows the first report kept at 10 (ADR 0046), and saves the rows and the figure at 18.
    importRows(t.dir, "more.jsonl", [receive("a-9", 250_000, "2022-04-01"), assess("a-9", "2022-04-02"), grant("a-9", 2022, 250_000, "2022-04-03", "RUN 00090-2022")], t.store, 18)
    const grown = reportJson(t.store)
    expect(granted(grown)).toBe(115_000_000)
    expect(await positions(t.db, "year-figures")).toEqual([18])
    expect(await positions(t.db, "read-model-rows")).toEqual([18])
    expect(await positions(t.db, "read-models")).toEqual([])
    const fromFigure = reportJson(t.store)

    // rebuild deletes the rows and the figure (and the log's extent and Merkle range kept beside
    // them); a full replay gives the same indicators as the figure did.
    const rebuilt = utblick(["--store", t.store, "rebuild"])
    expect(rebuilt.stdout).toContain("Deleted 4 persisted read-model snapshots, rows and year figures")
    expect(await rows(t.db)).toEqual([])
    const replayed = reportJson(t.store)
    expect(granted(replayed)).toBe(115_000_000)
    expect(fromFigure.indicators).toEqual(replayed.indicators)
  }, 300_000)

  it("compare and trend answer from figures too and agree with a replay; a figure of a replaced log is not used", async () => {
    const t = tempStore()
    expect(utblick(["--store", t.store, "init"]).code).toBe(0)
    importRows(t.dir, "f.jsonl", [
      registerRegion,
      allot(2021, 1_000_000),
      allot(2022, 2_000_000),
      receive("a-1", 400_000, "2021-02-01"),
      assess("a-1", "2021-02-10"),
      grant("a-1", 2021, 400_000, "2021-03-01", "RUN 00011-2021"),
      receive("a-2", 700_000, "2022-02-01"),
      assess("a-2", "2022-02-10"),
      grant("a-2", 2022, 700_000, "2022-03-01", "RUN 00022-2022")
    ], t.store, 11)
    const compare = () => {
      const r = utblick(["--store", t.store, "compare", "2021", "2022", "--tenant", "region-norrbotten", "--format", "json"])
      expect(r.code).toBe(0)
      return JSON.parse(r.stdout).rows as Array<{ indicator: string; key: string | null; a: number | null; b: number | null }>
    }
    const first = compare()
    // 400 000 kr in 2021, 700 000 kr in 2022.
    expect(first.find((r) => r.indicator === "granted-by-instrument" && r.key === null)).toMatchObject({ a: 40_000_000, b: 70_000_000 })
    expect((await positions(t.db, "year-figures")).length).toBe(2)
    expect(compare()).toEqual(first)
    // The trend over the same years asks the same figures: no new rows.
    const trend = utblick(["--store", t.store, "trend", "--from", "2021", "--to", "2022", "--tenant", "region-norrbotten"])
    expect(trend.stderr).not.toMatch(/error/i)
    expect(trend.code).toBe(0)
    expect((await positions(t.db, "year-figures")).length).toBe(2)

    // Replace the log's last event by another log's (same length): the hash at 11 no longer
    // matches, so the figures must not answer.
    const other = tempStore()
    expect(utblick(["--store", other.store, "init"]).code).toBe(0)
    importRows(other.dir, "g.jsonl", [
      registerRegion,
      allot(2021, 1_000_000),
      allot(2022, 2_000_000),
      receive("a-1", 400_000, "2021-02-01"),
      assess("a-1", "2021-02-10"),
      grant("a-1", 2021, 400_000, "2021-03-01", "RUN 00011-2021"),
      receive("a-2", 100_000, "2022-02-01"),
      assess("a-2", "2022-02-10"),
      grant("a-2", 2022, 100_000, "2022-03-01", "RUN 00022-2022")
    ], other.store, 11)
    await withDatabase(t.db, (d) => {
      d.exec(`ATTACH DATABASE '${other.db}' AS b; DELETE FROM events; INSERT INTO events SELECT * FROM b.events; DETACH DATABASE b;`)
    })
    // 100 000 kr in 2022 now; the stale figure would say 70 000 000.
    expect(compare().find((r) => r.indicator === "granted-by-instrument" && r.key === null)).toMatchObject({ a: 40_000_000, b: 10_000_000 })
  }, 300_000)
})
