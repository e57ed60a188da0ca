import { existsSync, mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { chromium } from "playwright-core"
import { describe, expect, it } from "vitest"
import { goodEvents, jsonl, runCli, tempStore } from "./support.js"

const CHROMIUM = "/usr/bin/chromium"
const available = existsSync(CHROMIUM)
if (!available && process.env["CI"] === "true") {
  throw new Error(
    `${CHROMIUM} is missing; in CI the HTML report must be tested (apt-get install -y chromium)`
  )
}
if (!available)
  console.warn(`SKIP html.test.ts: ${CHROMIUM} not found (apt-get install -y chromium to run it)`)

const grants = (year: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    type: "MembershipSigned",
    occurredAt: `${year}-0${1 + i}-01`,
    tenant: "lulea-kommun",
    actor: { id: "lulea-ks", role: "executive-board" },
    decisionRef: `KS ${year}/${i}`,
    payload: { actorId: "lulea-kommun", organisationId: `org-${year}-${i}`, kind: "member" }
  }))

describe.skipIf(!available)("HTML report in headless Chromium", () => {
  it("loads from file:// without console errors and renders non-empty SVG charts", async () => {
    const t = tempStore()
    const orgs = [2019, 2021, 2022].flatMap((y) =>
      [0, 1].map((i) => ({
        ...goodEvents[1],
        payload: { organisationId: `org-${y}-${i}`, name: `Org ${y}/${i}`, focusArea: "eu" }
      }))
    )
    const file = join(t.dir, "in.jsonl")
    writeFileSync(
      file,
      jsonl([...goodEvents, ...orgs, ...grants(2019, 2), ...grants(2021, 1), ...grants(2022, 2)])
    )
    expect((await runCli(["--store", t.store, "import", file])).code).toBe(0)
    const html = join(t.dir, "report.html")
    const r = await runCli([
      "--store",
      t.store,
      "report",
      "--year",
      "2022",
      "--tenant",
      "lulea-kommun",
      "--format",
      "html",
      "--out",
      html
    ])
    expect(r.code).toBe(0)

    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync"
      ]
    })
    try {
      const page = await browser.newPage()
      const errors: Array<string> = []
      const requests: Array<string> = []
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text())
      })
      page.on("pageerror", (e) => errors.push(e.message))
      page.on("request", (req) => {
        if (!req.url().startsWith("file:")) requests.push(req.url())
      })
      await page.goto(pathToFileURL(html).href)
      expect(errors).toEqual([])
      expect(requests).toEqual([])
      expect(await page.getAttribute("html", "lang")).toBe("sv")
      const sizes = await page.$$eval("figure.chart svg", (svgs) =>
        svgs.map((s) => {
          const b = s.getBoundingClientRect()
          return {
            w: b.width,
            h: b.height,
            title: s.querySelector("title")?.textContent ?? "",
            marks: s.querySelectorAll("rect.bar, g.point").length
          }
        })
      )
      expect(sizes.length).toBeGreaterThan(0)
      for (const s of sizes) {
        expect(s.w).toBeGreaterThan(0)
        expect(s.h).toBeGreaterThan(0)
        expect(s.title).not.toBe("")
        expect(s.marks).toBeGreaterThan(0)
      }
      expect(await page.locator("figure.chart table").count()).toBe(sizes.length)
      // Memberships signed: 2 in 2019, none in 2020, 2 in 2021 (one of them UBC), 2 in 2022, none
      // ended. 2020 has no events of its own but a state: the 2 of 2019, not "no data".
      const memberships = await page.$$eval("figure.chart table tbody tr", (rows) =>
        rows.map((r) => Array.from(r.querySelectorAll("th, td")).slice(0, 2).map((c) => c.textContent?.trim() ?? ""))
      )
      expect(memberships).toEqual([
        ["2019", "2"],
        ["2020", "2"],
        ["2021", "4"],
        ["2022", "6"]
      ])
      const outDir = join(import.meta.dirname, "../test-output")
      mkdirSync(outDir, { recursive: true })
      await page.screenshot({ path: join(outDir, "report-2022.png"), fullPage: true })
    } finally {
      await browser.close()
    }
  })
})
