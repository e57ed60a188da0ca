/**
 * Seeds an in-memory store with Region Norrbotten's anslag 1:1 history and prints a summary.
 *
 * @since 0.1.0
 */
import { EventStore, Events, Money } from "@utblick/core"
import { Effect, Result, Stream } from "effect"
import { published, seed, tenant } from "./index.js"

const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)} %`

const program = Effect.gen(function* () {
  const summary = yield* seed
  const store = yield* EventStore.EventStore
  const stored = yield* Stream.runCollect(store.readAll())
  const events = stored.flatMap((e) => {
    const decoded = Events.eventCatalog.decode(e)
    return Result.isSuccess(decoded) && e.tenant === tenant ? [decoded.success] : []
  })
  const lines: Array<string> = [
    `Region Norrbotten — anslag 1:1 (regional development funding), tenant "${tenant}"`,
    `  ${summary.events} events in ${summary.streams} streams: ${summary.commands} commands (${summary.byCommand["Register"] ?? 0} of them Register, for the registry)`
  ]
  for (const year of [2017, 2022]) {
    const received = events.filter((e) => e._tag === "ApplicationReceived" && e.receivedOn.startsWith(`${year}`))
    const business = events.flatMap((e) => (e._tag === "BusinessSupportGranted" && e.year === year ? [e] : []))
    const projects = events.flatMap((e) => (e._tag === "ProjectGranted" && e.year === year ? [e] : []))
    const service = events.flatMap((e) => (e._tag === "CommercialServiceSupportGranted" && e.year === year ? [e] : []))
    const businessApps = received.filter((e) => e._tag === "ApplicationReceived" && e.instrument === "business-support").length
    const sum = (xs: ReadonlyArray<{ readonly amount: number }>) => xs.reduce((a, x) => a + x.amount, 0)
    const led = (who: string) => pct(business.filter((b) => b.leadership === who).length, business.length)
    lines.push(
      "",
      `${year}:`,
      `  project support (projektstöd): ${projects.length} grants, ${Money.formatSek(sum(projects))}`,
      `  business support (företagsstöd): ${business.length} of ${businessApps} applications granted (beviljade), ${Money.formatSek(sum(business))}`,
      `    led by a woman / a man / shared (ledning kvinna / man / delad): ${led("woman")} / ${led("man")} / ${led("shared")}`,
      `  commercial service (kommersiell service): ${service.length} grants, ${Money.formatSek(sum(service))}`
    )
  }
  const frame = events.find((e) => e._tag === "AllocationFramed")
  if (frame?._tag === "AllocationFramed") {
    const total = frame.projectSupport + frame.businessSupport + frame.commercialService
    lines.push(
      "",
      `2022 allocation frame (RUN:s fördelning), ${Money.formatSek(total)}: projects ${pct(frame.projectSupport, total)}, business support ${pct(frame.businessSupport, total)}, commercial service ${pct(frame.commercialService, total)} (published ${published.allocation2022.split.projects} / ${published.allocation2022.split.businessSupport} / ${published.allocation2022.split.commercialService} %)`
    )
  }
  yield* Effect.sync(() => console.log(lines.join("\n")))
})

Effect.runPromise(program.pipe(Effect.provide(EventStore.layerMemory()))).catch((error: unknown) => {
  console.error(error)
  process.exitCode = 1
})
