/// <reference lib="dom" />
// The trend page in headless Chromium, on the SYNTHETIC data of
// packages/indicators/test/fixtures/handComputed.ts: tenant A has business support in 2019, none
// in 2020, some in 2021 and 2022 — so 2020 must be an empty place on the time axis, never a zero.
// Screenshots of every chart at 1400 and 800 px go to test-output/.
import { existsSync, mkdirSync } from "node:fs"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { chromium } from "playwright-core"
import { describe, expect, it } from "vitest"
import { A, events } from "../../indicators/test/fixtures/handComputed.js"
import { runCli, seedSqlite, tempStore } from "./support.js"

const CHROMIUM = "/usr/bin/chromium"
const available = existsSync(CHROMIUM)
if (!available && process.env["CI"] === "true") {
  throw new Error(
    `${CHROMIUM} is missing; in CI the HTML report must be tested (apt-get install -y chromium)`
  )
}

describe.skipIf(!available)("trend HTML in headless Chromium", () => {
  it("draws years on a time axis with a gap for 2020, no wrapped numbers, no overflowing labels", async () => {
    const t = tempStore()
    await seedSqlite(t.db, events)
    const html = join(t.dir, "trend.html")
    const r = await runCli([
      "--store",
      t.store,
      "trend",
      "--from",
      "2019",
      "--to",
      "2022",
      "--tenant",
      A,
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
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync"
      ]
    })
    try {
      const outDir = join(import.meta.dirname, "../test-output")
      mkdirSync(outDir, { recursive: true })
      for (const width of [1400, 800]) {
        const page = await browser.newPage({ viewport: { width, height: 900 } })
        const errors: Array<string> = []
        page.on("pageerror", (e) => errors.push(e.message))
        await page.goto(pathToFileURL(html).href)
        expect(errors).toEqual([])
        expect(await page.getAttribute("html", "lang")).toBe("sv")

        // Granted money: bars for 2019, 2021 and 2022 (totals 50 000, 10 000 and 750 000 kr, in tkr
        // as the largest is under a million); none for 2020.
        const granted = page.locator("svg:has(title#granted-title)")
        expect(await granted.locator("text.total-label").allTextContents()).toEqual([
          "50\u00a0tkr",
          "10\u00a0tkr",
          "750\u00a0tkr"
        ])
        // The x axis: four years, equally spaced, 2020 included though it has no data.
        const years = await granted
          .locator("text.year-label")
          .evaluateAll((ts) => ts.map((t) => [t.textContent, Number(t.getAttribute("x"))] as const))
        expect(years.map(([y]) => y)).toEqual(["2019", "2020", "2021", "2022"])
        const gaps = years
          .slice(1)
          .map(([, x], i) => Math.round(x - (years[i] as readonly [string | null, number])[1]))
        expect(new Set(gaps).size).toBe(1)

        // Approval rate: 2019 100 %, 2020 none, 2021 100 %, 2022 75 % → 3 points and ONE line (2021–2022);
        // a line from 2019 to 2021 would bridge the gap.
        const approval = page.locator("svg:has(title#approval-title)")
        expect(await approval.locator("g.point").count()).toBe(3)
        expect(await approval.locator("polyline.line-run").count()).toBe(1)
        expect(await approval.locator("text.point-label").allTextContents()).toEqual([
          "100,0\u00a0%",
          "100,0\u00a0%",
          "75,0\u00a0%"
        ])

        // The data tables beside the charts say "–" for 2020, not 0.
        const grantedTable = page.locator("figure.chart", { has: granted }).locator("table tbody tr")
        expect(await grantedTable.nth(1).locator("td").allTextContents()).toEqual(["–", "–", "–"])

        // No number wraps: each table cell's text is on one line.
        const wrapped = await page.$$eval("td", (tds) =>
          tds
            .filter((td) => {
              const range = document.createRange()
              range.selectNodeContents(td)
              const lines = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top)))
              return lines.size > 1
            })
            .map((td) => td.textContent)
        )
        expect(wrapped).toEqual([])
        // No SVG label leaves its chart.
        const outside = await page.$$eval("figure.chart svg", (svgs) =>
          svgs.flatMap((svg) => {
            const box = (svg as SVGSVGElement).viewBox.baseVal
            return Array.from(svg.querySelectorAll("text")).flatMap((t) => {
              const b = (t as SVGTextElement).getBBox()
              return b.x < 0 ||
                b.y < 0 ||
                b.x + b.width > box.width + 0.5 ||
                b.y + b.height > box.height + 0.5
                ? [t.textContent]
                : []
            })
          })
        )
        expect(outside).toEqual([])

        const figures = page.locator("figure.chart")
        const n = await figures.count()
        expect(n).toBeGreaterThanOrEqual(4)
        for (let i = 0; i < n; i++)
          await figures.nth(i).screenshot({ path: join(outDir, `trend-chart-${i}-${width}.png`) })
        await page.screenshot({ path: join(outDir, `trend-${width}.png`), fullPage: true })
        await page.close()
      }
    } finally {
      await browser.close()
    }
  })
})
