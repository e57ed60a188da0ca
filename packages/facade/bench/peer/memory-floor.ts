// The floor of a batched append in memory, beside Emmett's whole append, in one process and
// alternating, for the peer benchmark's memory-batched workload (N events, 100 per call to a new
// stream, the same payloads). Each level adds one thing every store that keeps Utblick's promise
// must do, by the cheapest route there is, and nothing else: no checks, no ids drawn, no store.
//
//   caller      the caller's events only (both stores are handed them)
//   + text      the record's RFC 8785 text: its envelope written in key order around V8's own
//               JSON.stringify of the payload (keys sorted by hand) — the cheaper of the two routes
//               measured, faster than one JSON.stringify of the whole record
//   + SHA-256   its hash chained to the previous one, by Node's one-shot crypto.hash
//   + native    the same hash by OpenSSL's SHA-256 inside Node's binary, through the verifier's
//               native engine (load + chain): a native hash, called once per record
//   + kept      the text and the hash kept, as a store must (with the native hash)
//   one native call  the text and the hash both made outside JavaScript (native-record.c): the
//               payload walked through Node-API, the record written once and hashed there
//
// The native engine computes SHA-256(prev ‖ record) and compares it with a claim: the digest's
// work without handing it back, so "+ native" chains on a constant previous hash (same sizes).
// Utblick's whole append (the built memory store, as the peer benchmark runs it) is timed too.
//
// If every route to the text and the hash is slower than Emmett's append ÷ 1.2, no store that
// canonicalises and hashes each event reaches 1.2× Emmett on this workload.
//
// Run: pnpm run build && cd packages/facade && npm install --prefix bench/peer && tsx bench/peer/memory-floor.ts
// (the packages built, and Emmett installed as for the peer benchmark; a C compiler for the
// native route)
// Env: N (events per level, default 20000), ROUNDS (default 21).
import { getInMemoryEventStore } from "@event-driven-io/emmett"
import { EventStore } from "@utblick/core"
import { Effect } from "effect"
import { execFileSync } from "node:child_process"
import { hash } from "node:crypto"
import { mkdtempSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { payload, toAppend } from "./workload.js"

const N = Number(process.env["N"] ?? 20_000)
const ROUNDS = Number(process.env["ROUNDS"] ?? 21)
const BATCH = 100

interface Engine {
  readonly load: (text: string) => boolean
  readonly chain: (claimedHex: string) => boolean
}
const native = createRequire(import.meta.url)("../../../audit/native/build/engine.node") as {
  readonly open: (fields: Float64Array) => Engine
}
const engine = native.open(new Float64Array(64))

// The text and the hash both made outside JavaScript (native-record.c), compiled here as the
// verifier's engine is (the machine's C compiler, the Node-API headers audit depends on).
const recordModule = (() => {
  const require = createRequire(import.meta.url)
  const headers = join(
    createRequire(require.resolve("../../../audit/package.json")).resolve("node-api-headers/package.json"),
    "..",
    "include"
  )
  const out = join(mkdtempSync(join(tmpdir(), "utblick-floor-")), "record.node")
  execFileSync("cc", [
    "-O2",
    "-shared",
    "-fPIC",
    "-I",
    headers,
    "-o",
    out,
    fileURLToPath(new URL("native-record.c", import.meta.url))
  ])
  return require(out) as {
    readonly record: (before: string, payload: object, after: string) => string
    readonly text: () => string
  }
})()

interface Timing {
  readonly wall: number
  readonly cpu: number
}
const timed = async (run: () => Promise<void>): Promise<Timing> => {
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await run()
  const cpu = process.cpuUsage(cpu0)
  return { wall: ((performance.now() - t0) * 1000) / N, cpu: (cpu.user + cpu.system) / N }
}

const emmett = () =>
  timed(async () => {
    const store = getInMemoryEventStore()
    for (let c = 0; c < N / BATCH; c++) {
      const events = Array.from({ length: BATCH }, (_, k) => ({
        type: "PaymentDisbursed",
        data: payload(c * BATCH + k)
      }))
      await store.appendToStream(`s-${c}`, events)
    }
  })

const utblick = () =>
  timed(() =>
    Effect.gen(function* () {
      const store = yield* EventStore.EventStore
      for (let c = 0; c < N / BATCH; c++) {
        yield* store.append(
          `s-${c}`,
          Array.from({ length: BATCH }, (_, k) => toAppend(c * BATCH + k))
        )
      }
    }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)
  )

const Level = { caller: 0, text: 1, sha256: 2, native: 3, kept: 4, outside: 5 } as const
type Level = (typeof Level)[keyof typeof Level]

// Keeps what a level made reachable, so that no engine drops the work as dead.
let sink = 0
const floor = (level: Level) =>
  timed(async () => {
    const kept: Array<string> = []
    const digests: Array<string> = []
    const recordedAt = new Date().toISOString()
    const eventId = "019a0000-0000-7000-8000-000000000000"
    let prev = "0".repeat(64)
    let position = 0
    for (let c = 0; c < N / BATCH; c++) {
      const events = Array.from({ length: BATCH }, (_, k) => toAppend(c * BATCH + k))
      // An append call is asynchronous for both stores.
      await undefined
      for (let k = 0; k < BATCH; k++) {
        const e = events[k] as ReturnType<typeof toAppend>
        if (level === Level.caller) {
          sink += e.payload.amount
          continue
        }
        const p = e.payload
        if (level === Level.outside) {
          const before = `{"actor":{"id":${JSON.stringify(e.actor.id)},"role":${JSON.stringify(e.actor.role)}},"causationId":null,"correlationId":"${eventId}","decisionRef":null,"eventId":"${eventId}","occurredAt":"${e.occurredAt}","origin":"bench.utblick.example/log","payload":`
          const after = `,"position":${position},"recordedAt":"${recordedAt}","schemaVersion":${e.schemaVersion},"streamId":"s-${c}","streamPrev":${k === 0 ? "null" : `"${prev}"`},"streamVersion":${k + 1},"tenant":"${e.tenant}","type":"${e.type}","v":1}`
          prev = recordModule.record(before, p, after)
          position += 1
          continue
        }
        const text = `{"actor":{"id":${JSON.stringify(e.actor.id)},"role":${JSON.stringify(e.actor.role)}},"causationId":null,"correlationId":"${eventId}","decisionRef":null,"eventId":"${eventId}","occurredAt":"${e.occurredAt}","origin":"bench.utblick.example/log","payload":${JSON.stringify({ amount: p.amount, grantId: p.grantId, note: p.note })},"position":${position},"recordedAt":"${recordedAt}","schemaVersion":${e.schemaVersion},"streamId":"s-${c}","streamPrev":${k === 0 ? "null" : `"${prev}"`},"streamVersion":${k + 1},"tenant":"${e.tenant}","type":"${e.type}","v":1}`
        position += 1
        if (level === Level.text) {
          sink += text.length
          continue
        }
        if (level === Level.sha256) {
          prev = hash("sha256", prev + text)
          continue
        }
        engine.load(text)
        if (engine.chain(prev)) sink += 1
        if (level === Level.kept) {
          kept.push(text)
          digests.push(prev)
        }
      }
    }
    sink += kept.length + digests.length
  })

// The native route writes the same text as JavaScript's, and chains SHA-256 over the same bytes.
{
  const e = toAppend(7)
  const before = `{"actor":{"id":"bench","role":"officer"},"payload":`
  const after = `,"type":"${e.type}"}`
  const digest = recordModule.record(before, e.payload, after)
  const expected = `${before}${JSON.stringify({ amount: e.payload.amount, grantId: e.payload.grantId, note: e.payload.note })}${after}`
  if (recordModule.text() !== expected) throw new Error(`native text differs: ${recordModule.text()}`)
  if (digest !== hash("sha256", Buffer.concat([Buffer.alloc(32), Buffer.from(expected)]), "hex"))
    throw new Error("native hash differs")
}

const names = [
  "Emmett 0.42, whole append",
  "Utblick, whole append",
  "caller's events",
  "+ text",
  "+ SHA-256 (crypto.hash)",
  "+ SHA-256 (native)",
  "+ kept",
  "text and SHA-256 in one native call"
]
const runs: Array<Array<Timing>> = names.map(() => [])
for (let round = 0; round < ROUNDS; round++) {
  runs[0]?.push(await emmett())
  runs[1]?.push(await utblick())
  for (const level of [Level.caller, Level.text, Level.sha256, Level.native, Level.kept, Level.outside])
    runs[level + 2]?.push(await floor(level))
}
const median = (values: ReadonlyArray<number>) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number
const peer = runs[0] as ReadonlyArray<Timing>
const peerWall = median(peer.map((t) => t.wall))
const peerCpu = median(peer.map((t) => t.cpu))
console.log(
  `\nmemory, batched: the floor (median of ${ROUNDS} alternating rounds, ${N.toLocaleString("sv-SE")} events each)\n`
)
console.log("| level | wall µs/event | × Emmett | CPU µs/event | × Emmett |")
console.log("|---|---:|---:|---:|---:|")
names.forEach((name, i) => {
  const wall = median((runs[i] as ReadonlyArray<Timing>).map((t) => t.wall))
  const cpu = median((runs[i] as ReadonlyArray<Timing>).map((t) => t.cpu))
  console.log(
    `| ${name} | ${wall.toFixed(2)} | ${(peerWall / wall).toFixed(2)} | ${cpu.toFixed(2)} | ${(peerCpu / cpu).toFixed(2)} |`
  )
})
console.log(
  `\n1.2× Emmett: at most ${(peerWall / 1.2).toFixed(2)} µs/event of wall time, ${(peerCpu / 1.2).toFixed(2)} of CPU${sink < 0 ? "" : "."}`
)
