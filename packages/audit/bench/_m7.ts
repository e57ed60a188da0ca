import Database from "better-sqlite3"
import { templateOf } from "../src/internal/RecordTemplates.js"
const db = new Database("/tmp/bench1m.db", { readonly: true })
const rows = db.prepare("SELECT body FROM events WHERE position >= 1000 and position < 201000").pluck().all() as string[]
const tpl = templateOf(rows[0]!)!
const src = tpl.regex.source
const STR = String.raw`"[^"\\\x00-\x1f\ud800-\udfff]*"`
const INT = String.raw`(?:0|-?[1-9][0-9]{0,14})`
const GEN = `(?:${STR}|${INT}|null|true|false)`
const kinds: Record<number, string> = { 2: "null", 7: INT, 10: INT }
const parts = src.split(GEN)
console.log(parts.length)
const exact = parts.map((p, i) => (i === parts.length - 1 ? p : p + (kinds[i] ?? STR))).join("")
const variants: Record<string, RegExp> = {
  current: tpl.regex,
  exact: new RegExp(exact),
  simpleClass: new RegExp(src.split(String.raw`[^"\\\x00-\x1f\ud800-\udfff]`).join('[^"]')),
  notPlain: /[\x00-\x1f\\\ud800-\udfff]/,
}
for (const [n, r] of Object.entries(variants)) console.log(n, r.test(rows[0]!), r.test(rows[5000]!))
let s = 0
const best: Record<string, number> = {}
for (let k = 0; k < 5; k++) for (const [n, re] of Object.entries(variants)) { const c0 = process.cpuUsage(); for (const r of rows) s += re.test(r) ? 1 : 0; const c = process.cpuUsage(c0); best[n] = Math.min(best[n] ?? 1e9, (c.user + c.system) * 1000 / rows.length) }
console.log(best, s)
