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
  // The municipality itself (actor lulea-kommun), not its companies (Luleå Business Region,
  // Luleå Science Park), as `utblick report --actor lulea-kommun` counts: memberships proper
  // (member, founder) not ended are the plan's 5 (000:84-88); a signatory is another relation.
  const actor = "lulea-kommun"
  const ended = new Set(events.flatMap((e) => (e._tag === "MembershipEnded" && e.actorId === actor ? [e.organisationId] : [])))
  const signed = events.flatMap((e) =>
    e._tag === "MembershipSigned" && e.actorId === actor && !ended.has(e.organisationId) ? [e] : []
  )
  const memberships = signed.filter((m) => m.kind === "member" || m.kind === "founder")
  // Without a join date, the event is dated by the document that first shows the membership.
  const documented = new Map(
    stored.flatMap((e) =>
      e.type === "MembershipSigned" && e.tenant === tenant && e.payload["actorId"] === actor
        ? [[String(e.payload["organisationId"]), e.occurredAt] as const]
        : []
    )
  )
  const relations = signed.filter((m) => m.kind !== "member" && m.kind !== "founder")
  const twinTowns = events.flatMap((e) => (e._tag === "AgreementSigned" && e.kind === "twin-town" ? [e] : []))
  const dormant = new Set(events.flatMap((e) => (e._tag === "AgreementStatusChanged" && e.to === "dormant" ? [e.agreementId] : [])))
  const evaluations = events.flatMap((e) => (e._tag === "TripEvaluated" ? [e] : []))
  const lines = [
    `Luleå kommun — international work (internationellt arbete), tenant "${tenant}"`,
    `  ${summary.events} events in ${summary.streams} streams: ${summary.commands} commands (${summary.byCommand["Register"] ?? 0} of them Register, for the registry)`,
    "",
    `Memberships (medlemskap) of ${actor} itself, not its companies: ${memberships.length}`,
    ...memberships.map(
      (m) =>
        `  - ${m.organisationId} (${m.kind})${m.joinedYear === undefined ? (m.joinedOn === undefined ? `, join date unknown (first documented ${documented.get(m.organisationId) ?? "?"})` : `, since ${m.joinedOn}`) : `, since ${m.joinedYear}`}`
    ),
    `Other relations (andra relationer): ${relations.map((m) => `${m.organisationId} (${m.kind})`).join(", ")}`,
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
