/**
 * Seeds an in-memory store with the Örebro strategy and prints a short summary.
 *
 * @since 0.1.0
 */
import { EventStore, Events } from "@utblick/core"
import { Effect, Result, Stream } from "effect"
import { published, seed, tenant } from "./index.js"

const program = Effect.gen(function* () {
  const summary = yield* seed
  const store = yield* EventStore.EventStore
  const stored = yield* Stream.runCollect(store.readAll())
  const events = stored.flatMap((e) => {
    const decoded = Events.eventCatalog.decode(e)
    return Result.isSuccess(decoded) && e.tenant === tenant ? [decoded.success] : []
  })
  const strategy = events.find((e) => e._tag === "AgreementSigned")
  const lines = [
    `Örebroregionen — international strategy (internationell strategi), tenant "${tenant}"`,
    `  ${summary.events} events in ${summary.streams} streams: ${summary.commands} commands (${summary.byCommand["Register"] ?? 0} of them Register, for the registry)`,
    strategy?._tag === "AgreementSigned"
      ? `  signed (undertecknad) ${strategy.signedOn ?? "?"} by ${strategy.parties.length} parties; areas (områden): ${strategy.priorityAreas.map((a) => a.label).join(", ")}`
      : "  (no strategy recorded)",
    `  memberships (medlemskap): ${events.filter((e) => e._tag === "MembershipSigned").map((e) => (e._tag === "MembershipSigned" ? e.organisationId : "")).join(", ")}`,
    `  twin towns in the region (vänorter, not part of the strategy): ${published.twinTownsInRegion.value}`
  ]
  yield* Effect.sync(() => console.log(lines.join("\n")))
})

Effect.runPromise(program.pipe(Effect.provide(EventStore.layerMemory()))).catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
