// Test support: turn domain events into stored events through a real memory store.
import { fc } from "@fast-check/vitest"
import { type Envelope, EventStore, Events } from "@utblick/core"
import { Effect, Result, Schema, Stream } from "effect"

/** A history step; the event in its encoded (JSON) form, decoded by the schema before it is stored. */
export interface Step {
  readonly event: typeof Events.Event.Encoded
  readonly occurredAt: string
  readonly tenant?: string
  readonly decisionRef?: string
}

/** Appends every step (one stream per entity) and returns the stored log. */
export const store = (steps: ReadonlyArray<Step>): Promise<ReadonlyArray<Envelope.StoredEvent>> =>
  Effect.gen(function* () {
    const eventStore = yield* EventStore.EventStore
    for (const step of steps) {
      const event = Schema.decodeUnknownSync(Events.Event)(step.event)
      const encoded = Events.eventCatalog.encode(event)
      if (Result.isFailure(encoded)) return yield* Effect.fail(encoded.failure)
      yield* eventStore.append(Events.streamIdOf(event) ?? "registry", [
        {
          ...encoded.success,
          occurredAt: step.occurredAt,
          tenant: step.tenant ?? "region-norrbotten",
          actor: { id: "test", role: "officer" },
          decisionRef: step.decisionRef ?? null
        }
      ])
    }
    return yield* Stream.runCollect(eventStore.readAll())
  }).pipe(Effect.provide(EventStore.layerMemory()), Effect.runPromise)

const APPS = ["a0", "a1", "a2", "a3", "a4", "a5"] as const
const instrumentArb = fc.constantFrom("project-support", "business-support", "commercial-service") as fc.Arbitrary<
  "project-support" | "business-support" | "commercial-service"
>

/** A generated funding history: applications, grants in two years, amendments, payments, rejections. */
export const fundingHistoryArb: fc.Arbitrary<ReadonlyArray<Step>> = fc
  .array(
    fc.record({
      op: fc.constantFrom("receive", "grant", "reject", "amend", "pay", "recover"),
      app: fc.constantFrom(...APPS),
      instrument: instrumentArb,
      year: fc.constantFrom(2017, 2022),
      amount: fc.integer({ min: 0, max: 5_000_000_00 }),
      code: fc.option(fc.constantFrom("s3-1", "s3-2", "s3-7"), { nil: undefined }),
      tenant: fc.constantFrom("region-norrbotten", "region-orebro")
    }),
    { maxLength: 60 }
  )
  .map((ops) =>
    ops.map((o): Step => {
      const base = { applicationId: o.app, regionId: "norrbotten", year: o.year, amount: o.amount, decidingBody: "RUN" }
      const occurredAt = `${o.year}-05-01`
      switch (o.op) {
        case "receive":
          return {
            tenant: o.tenant,
            occurredAt,
            event: {
              _tag: "ApplicationReceived",
              applicationId: o.app,
              regionId: "norrbotten",
              instrument: o.instrument,
              applicant: { name: `Firm ${o.app}` },
              title: `Application ${o.app}`,
              amountApplied: o.amount,
              receivedOn: occurredAt
            }
          }
        case "grant":
          return {
            tenant: o.tenant,
            occurredAt,
            event:
              o.instrument === "project-support"
                ? {
                    _tag: "ProjectGranted",
                    ...base,
                    projectName: `Project ${o.app}`,
                    priorityCodes: [],
                    smartSpecialisationCodes: o.code === undefined ? [] : [{ schemeId: "s3-2017", code: o.code }],
                    mainPurpose: "other",
                    plannedOutputs: []
                  }
                : o.instrument === "business-support"
                  ? {
                      _tag: "BusinessSupportGranted",
                      ...base,
                      supportType: "investment",
                      sector: "tourism",
                      supportArea: "A",
                      investment: o.amount * 3,
                      expectedJobsWomen: 1,
                      expectedJobsMen: 2,
                      leadership: "woman"
                    }
                  : {
                      _tag: "CommercialServiceSupportGranted",
                      ...base,
                      supportType: "service-grant",
                      establishment: "shop"
                    }
          }
        case "reject":
          return {
            tenant: o.tenant,
            occurredAt,
            event: { _tag: "ApplicationRejected", applicationId: o.app, reason: "no-need-for-support", decidingBody: "RUN" }
          }
        case "amend":
          return {
            tenant: o.tenant,
            occurredAt,
            event: {
              _tag: "GrantAmended",
              applicationId: o.app,
              previousAmount: 0,
              newAmount: o.amount,
              reason: "changed scope",
              decidingBody: "RUN"
            }
          }
        case "pay":
          return {
            tenant: o.tenant,
            occurredAt,
            event: { _tag: "PaymentDisbursed", applicationId: o.app, paymentId: `p-${o.amount}`, amount: o.amount }
          }
        default:
          return {
            tenant: o.tenant,
            occurredAt,
            event: { _tag: "GrantRecovered", applicationId: o.app, amount: o.amount, reason: "not used", decidingBody: "RUN" }
          }
      }
    })
  )
