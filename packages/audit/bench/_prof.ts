import * as ParallelVerify from "../src/ParallelVerify.js"
const r = await ParallelVerify.verifySqliteFile("/tmp/bench1m.db", { jobs: 1 })
if (!r.ok) throw new Error("failed")
const c = process.cpuUsage(); console.log((c.user + c.system) / 1e6, "s CPU")
