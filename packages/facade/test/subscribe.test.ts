import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { StoredEvent } from "@utblick/core/Envelope"
import { createUtblick, UtblickError } from "@utblick/facade"
import { afterAll, describe, expect, it } from "vitest"
import * as S from "./scenario.js"

const dir = mkdtempSync(join(tmpdir(), "utblick-subscribe-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let files = 0

/** Collects delivered events and resolves `until(n)` once n have arrived (no wall-clock waits). */
const collector = () => {
  const seen: Array<StoredEvent> = []
  const waiters: Array<{ n: number; resolve: () => void }> = []
  return {
    seen,
    listener: (event: StoredEvent) => {
      seen.push(event)
      for (const w of waiters.filter((w) => seen.length >= w.n)) w.resolve()
    },
    until: (n: number) =>
      seen.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve }))
  }
}

describe.each([
  ["memory", () => createUtblick({ store: { kind: "memory" } })],
  ["sqlite", () => createUtblick({ store: { kind: "sqlite", filename: join(dir, `live-${++files}.db`) } })]
] as const)("subscribe (%s)", (_name, open) => {
  it("delivers the past, then each new event in log order, and nothing after close", async () => {
    const utblick = await open()
    try {
      // Three events exist before the subscription: the Register's two registry facts, then the join.
      for (const command of S.memberships) await utblick.execute(command)
      const live = collector()
      const subscription = await utblick.subscribe(live.listener)
      await live.until(3)
      expect(live.seen.map((e) => e.type)).toEqual(["ActorRegistered", "OrganisationRegistered", "MembershipSigned"])

      await utblick.execute(S.agreement)
      await live.until(4)
      expect(live.seen.map((e) => [e.position, e.type])).toEqual([
        [0, "ActorRegistered"],
        [1, "OrganisationRegistered"],
        [2, "MembershipSigned"],
        [3, "AgreementSigned"]
      ])

      await subscription.close()
      await utblick.execute(S.trip)
      // A second subscriber from position 4 sees the trip; the closed one saw nothing more.
      const later = collector()
      const second = await utblick.subscribe(later.listener, { fromPosition: 4 })
      await later.until(1)
      expect(later.seen.map((e) => [e.position, e.type])).toEqual([[4, "TripProposed"]])
      expect(live.seen).toHaveLength(4)
      await second.close()
    } finally {
      await utblick.close()
    }
  })

  it("reports a listener that throws through onError, as an UtblickError", async () => {
    const utblick = await open()
    try {
      await utblick.execute(S.agreement)
      const failure = await new Promise<UtblickError>((resolve) => {
        void utblick.subscribe(
          () => {
            throw new Error("the listener broke")
          },
          { onError: resolve }
        )
      })
      expect(failure).toBeInstanceOf(UtblickError)
      expect(failure.code).toBe("INTERNAL")
      // What the listener threw is the cause, and its message the error's.
      expect(failure.cause).toBeInstanceOf(Error)
      expect([(failure.cause as Error).message, failure.message]).toEqual(["the listener broke", "the listener broke"])
    } finally {
      await utblick.close()
    }
  })
})

describe("subscribe and close", () => {
  it("refuses a subscription on a closed instance with CLOSED", async () => {
    const utblick = await createUtblick({ store: { kind: "memory" } })
    await utblick.close()
    const error = await utblick.subscribe(() => undefined).then(
      () => undefined,
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(UtblickError)
    expect((error as UtblickError).toJSON()).toEqual({
      code: "CLOSED",
      tag: "UtblickClosed",
      message: "this Utblick instance is closed; create a new one with createUtblick",
      retryable: false
    })
  })

  it("a subscription closed twice, then the instance: each stops once, nothing is delivered after", async () => {
    const utblick = await createUtblick({ store: { kind: "memory" } })
    const first = collector()
    const second = collector()
    const a = await utblick.subscribe(first.listener)
    await utblick.subscribe(second.listener)
    await utblick.execute(S.agreement)
    await Promise.all([first.until(1), second.until(1)])
    await a.close()
    await a.close()
    // The instance's close stops the subscription still open; a new instance on nothing sees nothing.
    await utblick.close()
    await utblick.close()
    expect([first.seen.length, second.seen.length]).toEqual([1, 1])
  })
})
