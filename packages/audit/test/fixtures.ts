import type { JsonObject } from "@utblick/core/CanonicalJson"
import type { EventToAppend } from "@utblick/core/Envelope"
import * as EventStore from "@utblick/core/EventStore"
import { Effect, Stream } from "effect"
import * as Checkpoint from "../src/Checkpoint.js"
import * as Export from "../src/Export.js"
import * as MerkleTree from "../src/MerkleTree.js"

export const ORIGIN = "audit.utblick.example/lulea-kommun"
export const logKey = Checkpoint.makeSigner({ name: "audit.utblick.example", seed: Buffer.alloc(32, 11) })
export const witnessKey = Checkpoint.makeSigner({
  name: "revisionen.example",
  seed: Buffer.alloc(32, 12),
  alg: Checkpoint.ALG_COSIGNATURE_V1
})
export const trust: Checkpoint.TrustPolicy = {
  origin: ORIGIN,
  logKeys: [logKey.verifier],
  witnesses: [witnessKey.verifier],
  witnessQuorum: 1
}

export interface Cmd {
  readonly stream: string
  readonly type: string
  readonly decider: string
  readonly amountMinor: number
  readonly note: string
  readonly decisionRef?: string | undefined
  readonly payload?: JsonObject
}

export const event = (cmd: Cmd): EventToAppend => ({
  type: cmd.type,
  schemaVersion: 1,
  occurredAt: "2026-09-30",
  tenant: "lulea-kommun",
  actor: { id: cmd.decider, role: cmd.decider === "board" ? "regional-development-board" : "head-of-unit" },
  decisionRef: cmd.decisionRef ?? null,
  payload: cmd.payload ?? { amountMinor: cmd.amountMinor, note: cmd.note }
})

export const makeStore = (origin = ORIGIN) => Effect.runSync(EventStore.makeMemory({ origin }))

export type Store = EventStore.EventStoreShape

export const appendAll = (store: Store, cmds: ReadonlyArray<Cmd>) => {
  for (const cmd of cmds) Effect.runSync(store.append(cmd.stream, [event(cmd)]))
}

export const records = (store: Store) => Effect.runSync(Stream.runCollect(store.readRecords()))

export const exportLines = (store: Store): Array<string> => records(store).map(Export.formatLine)

export const toText = (lines: ReadonlyArray<string>) => lines.map((l) => `${l}\n`).join("")

export const treeOf = (store: Store) =>
  MerkleTree.fromLeafHashes(
    records(store).map((r) => MerkleTree.hashLeaf(MerkleTree.leafInputFromHex(r.hash)))
  )

/** A signed and witnessed checkpoint of the first `size` events (default: all). */
export const checkpointOf = (store: Store, size?: number, signer = logKey, time = 1_790_000_000) => {
  const tree = treeOf(store)
  const n = size ?? tree.size
  const note = Checkpoint.sign({ origin: store.origin, size: n, root: tree.rootAt(n) }, signer)
  return Checkpoint.cosign(note, witnessKey, time)
}

export const sampleCmds = (n: number): Array<Cmd> =>
  Array.from({ length: n }, (_, i) => ({
    stream: ["grant-2026-0042", "trip-7", "membership-3"][i % 3] as string,
    type: ["GrantDecisionTaken", "TripBooked", "MembershipChanged"][i % 3] as string,
    decider: i % 2 === 0 ? "official:17" : "board",
    amountMinor: i * 1000,
    note: `note ${i}`,
    decisionRef: i % 3 === 0 ? `2026/${100 + i}` : undefined
  }))
