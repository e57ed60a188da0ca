import Database from "better-sqlite3"
import { templateOf } from "../src/internal/RecordTemplates.js"
const db = new Database("/tmp/bench1m.db", { readonly: true })
const rows = db.prepare("SELECT body FROM events WHERE position >= 1000 and position < 201000").pluck().all() as string[]
const tpl = templateOf(rows[0]!)!
console.log(tpl.regex.source)
const re = tpl.regex
const re2 = new RegExp(re.source.replace(/\((?!\?)/g, "(?:"))
let s = 0
const P: Record<string, () => void> = {
  exec: () => { for (const r of rows) s += re.exec(r) === null ? 0 : 1 },
  test: () => { for (const r of rows) s += re.test(r) ? 1 : 0 },
  testNoCapture: () => { for (const r of rows) s += re2.test(r) ? 1 : 0 },
}
const best: Record<string, number> = {}
for (let k = 0; k < 5; k++) for (const [n, f] of Object.entries(P)) { const c0 = process.cpuUsage(); f(); const c = process.cpuUsage(c0); best[n] = Math.min(best[n] ?? 1e9, (c.user + c.system) * 1000 / rows.length) }
console.log(best, s)
