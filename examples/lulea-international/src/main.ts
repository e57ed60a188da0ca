/**
 * Seeds an in-memory store with Luleå's history and prints a short summary.
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
  const memberships = events.flatMap((e) => (e._tag === "MembershipSigned" && e.actorId === "lulea-kommun" ? [e] : []))
  const twinTowns = events.flatMap((e) => (e._tag === "AgreementSigned" && e.kind === "twin-town" ? [e] : []))
  const dormant = new Set(events.flatMap((e) => (e._tag === "AgreementStatusChanged" && e.to === "dormant" ? [e.agreementId] : [])))
  const evaluations = events.flatMap((e) => (e._tag === "TripEvaluated" ? [e] : []))
  const lines = [
    `Luleå kommun — international work (internationellt arbete), tenant "${tenant}"`,
    `  ${summary.events} events in ${summary.streams} streams: ${summary.commands} commands (${summary.byCommand["Register"] ?? 0} of them Register, for the registry)`,
    "",
    "Memberships (medlemskap):",
    ...memberships.map((m) => `  - ${m.organisationId} (${m.kind})${m.joinedYear === undefined ? "" : `, since ${m.joinedYear}`}`),
    `Roles (uppdrag): ${events.filter((e) => e._tag === "MembershipRoleAssigned").length} (Barents Road secretariat, ${published.ubcCommissions.value.length} UBC commissions)`,
    "",
    `Twin towns (vänorter): ${twinTowns.length}, dormant (vilande): ${[...dormant].join(", ")}`,
    `Open intents (avsiktsförklaringar ej undertecknade): ${events.filter((e) => e._tag === "AgreementIntentRecorded").map((e) => e.title).join("; ")}`,
    "",
    `Trips 2024 (tjänsteresor): ${evaluations.length} evaluated — ` +
      `${evaluations.filter((e) => e.decision === "approved").length} approved (godkända), ` +
      `${evaluations.filter((e) => e.decision === "replaced-by-digital").length} replaced by digital meetings (ersatta av digitala möten), ` +
      `${evaluations.filter((e) => e.decision === "declined").length} declined (avslagna)`,
    `  flights with a stated reason (flyg med motivering): ${evaluations.filter((e) => e.mode === "flight" && e.decision === "approved").length}`
  ]
  yield* Effect.sync(() => console.log(lines.join("\n")))
})

Effect.runPromise(program.pipe(Effect.provide(EventStore.layerMemory()))).catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
