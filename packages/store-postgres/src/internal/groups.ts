/**
 * The pure part of a group commit: which streams and event ids a group of appends touches, the
 * plan of the whole group on a known state (each append on top of the ones before it), and the
 * column arrays of the one `INSERT … SELECT … FROM unnest(…)` that writes it.
 */
import {
  type AppendResult,
  type CommittedView,
  type LogHead,
  planAppend,
  type PreparedRecord,
  type StreamTip,
  type StreamWrite
} from "@utblick/core/AppendPlanner"
import type { StoredEvent } from "@utblick/core/Envelope"
import type { EventStoreError } from "@utblick/core/EventStoreError"
import { isUuidV7, uuidV7At } from "@utblick/core/Uuid"
import { Result } from "effect"

/** What planning needs of an append: its writes (a queued append also carries its reply). */
export interface Writes {
  readonly writes: ReadonlyArray<StreamWrite>
}

/** The tip of a stream with no events. */
export const EMPTY_TIP: StreamTip = { version: 0, lastHash: null }

const STREAM_ID = /^[a-z0-9][a-z0-9._:-]{0,199}$/

/** The well-formed stream ids and event ids of a group: what its state read looks up. */
export const keysOf = (group: ReadonlyArray<Writes>) => {
  const streams = new Set<string>()
  const ids = new Set<string>()
  for (const p of group) {
    for (const w of p.writes) {
      if (typeof w?.streamId === "string" && STREAM_ID.test(w.streamId)) streams.add(w.streamId)
      for (const e of Array.isArray(w?.events) ? w.events : []) {
        const id: unknown = typeof e === "object" && e !== null ? e.eventId : undefined
        if (typeof id === "string" && isUuidV7(id)) ids.add(id)
      }
    }
  }
  return { streams, ids }
}

/** The plan of a group on a known state. */
export interface GroupPlan {
  readonly outcomes: ReadonlyArray<Result.Result<ReadonlyArray<AppendResult>, EventStoreError>>
  readonly records: ReadonlyArray<PreparedRecord>
  readonly head: LogHead
  readonly tips: ReadonlyMap<string, StreamTip>
  /** Whether some append failed on the state (not on its own content). */
  readonly stateFailure: boolean
}

/**
 * Plans every append of a group on `start`, each on top of the ones before it, as if they had
 * committed one after another; a failed append is left out and gets its own error.
 */
export const planGroup = (
  origin: string,
  group: ReadonlyArray<Writes>,
  start: LogHead,
  committedTip: (id: string) => StreamTip,
  found: ReadonlyMap<string, StoredEvent>,
  nowMillis: number
): GroupPlan => {
  let head = start
  const pendingTips = new Map<string, StreamTip>()
  const pendingById = new Map<string, StoredEvent>()
  const view: CommittedView = {
    streamTip: (id) => pendingTips.get(id) ?? committedTip(id),
    findEvent: (id) => pendingById.get(id) ?? found.get(id)
  }
  const newEventId = () => uuidV7At(nowMillis)
  const records: Array<PreparedRecord> = []
  const outcomes: Array<Result.Result<ReadonlyArray<AppendResult>, EventStoreError>> = []
  let stateFailure = false
  for (const p of group) {
    // Each append is planned on top of the ones before it in this group, so it sees
    // their stream versions and event ids exactly as if they had committed first.
    const planned = planAppend({ origin, head, view, writes: p.writes, nowMillis, newEventId })
    if (Result.isFailure(planned)) {
      if (planned.failure.reason._tag !== "InvalidEvent") stateFailure = true
      outcomes.push(Result.fail(planned.failure))
      continue
    }
    for (const record of planned.success.records) {
      records.push(record)
      pendingById.set(record.event.eventId, record.event)
      pendingTips.set(record.event.streamId, { version: record.event.streamVersion, lastHash: record.event.hash })
    }
    head = planned.success.head
    outcomes.push(Result.succeed(planned.success.results))
  }
  return { outcomes, records, head, tips: pendingTips, stateFailure }
}

/** The eleven column arrays of the rows, in the order of the insert statement's parameters. */
export const insertColumns = (records: ReadonlyArray<PreparedRecord>) => {
  const n = records.length
  const position = new Array<bigint>(n)
  const eventId = new Array<string>(n)
  const streamId = new Array<string>(n)
  const streamVersion = new Array<number>(n)
  const tenant = new Array<string>(n)
  const type = new Array<string>(n)
  const occurredAt = new Array<string>(n)
  const recordedAt = new Array<string>(n)
  const prevHash = new Array<string>(n)
  const hash = new Array<string>(n)
  const canonical = new Array<string>(n)
  for (let i = 0; i < n; i++) {
    const { event, canonical: text } = records[i] as PreparedRecord
    position[i] = BigInt(event.position)
    eventId[i] = event.eventId
    streamId[i] = event.streamId
    streamVersion[i] = event.streamVersion
    tenant[i] = event.tenant
    type[i] = event.type
    occurredAt[i] = event.occurredAt
    recordedAt[i] = event.recordedAt
    prevHash[i] = event.prevHash
    hash[i] = event.hash
    canonical[i] = text
  }
  return [position, eventId, streamId, streamVersion, tenant, type, occurredAt, recordedAt, prevHash, hash, canonical] as const
}
