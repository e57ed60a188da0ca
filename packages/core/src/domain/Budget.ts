/**
 * The budget aggregate: one region's anslag 1:1 for one year, in the stream
 * `budget-<regionId>-<year>` (ADR 0011). It holds the appropriation, the board's allocation
 * frame per instrument and every reservation a grant made against it, so that the caps are
 * checked under the stream's optimistic concurrency.
 *
 * Rules: the frame never exceeds the appropriation and never drops below what is already
 * reserved; the priority lines of a frame add up to the frame; a reservation needs an
 * appropriation and never takes the year's reservations above the appropriation nor the
 * instrument's reservations above its frame; a release never exceeds what the application holds.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { EntityId, Label, Year } from "../events/Common.js"
import {
  type BudgetEvent,
  FundingEvent,
  fundingCatalog,
  isBudgetEvent,
  Instrument,
  PriorityAllocation,
  budgetStreamId
} from "../events/Funding.js"
import { Ore } from "../Money.js"
import * as Aggregate from "./Aggregate.js"
import {commandFields, decisionFields, showValue } from "./Command.js"
import * as DomainError from "./DomainError.js"
import * as RolePolicy from "./RolePolicy.js"

// ─── Events ──────────────────────────────────────────────────────────────────────────────────

/**
 * The events of this aggregate.
 *
 * @category events
 * @since 0.1.0
 */
export type Event = BudgetEvent

// ─── State ───────────────────────────────────────────────────────────────────────────────────

/**
 * An amount per instrument.
 *
 * @category models
 * @since 0.1.0
 */
export type PerInstrument = Readonly<Record<Instrument, number>>

const zero: PerInstrument = { "project-support": 0, "business-support": 0, "commercial-service": 0 }

/**
 * The state of one year's budget.
 *
 * @category models
 * @since 0.1.0
 */
export type State =
  | { readonly status: "unfunded"; readonly reserved: PerInstrument }
  | {
      readonly status: "funded"
      readonly appropriation: number
      readonly frame: PerInstrument | undefined
      readonly reserved: PerInstrument
      /** What each application holds, per instrument it was granted under. */
      readonly holdings: Readonly<Record<string, { readonly instrument: Instrument; readonly amount: number }>>
    }

/**
 * The state before any event.
 *
 * @category constructors
 * @since 0.1.0
 */
export const initialState = (): State => ({ status: "unfunded", reserved: zero })

/**
 * The total reserved in a state.
 *
 * @category utils
 * @since 0.1.0
 */
export const totalReserved = (state: State): number =>
  state.reserved["project-support"] + state.reserved["business-support"] + state.reserved["commercial-service"]

// ─── evolve ──────────────────────────────────────────────────────────────────────────────────

const funded = (state: State) =>
  state.status === "funded"
    ? state
    : { status: "funded" as const, appropriation: 0, frame: undefined, reserved: state.reserved, holdings: {} }

/**
 * Applies one event.
 *
 * @category folding
 * @since 0.1.0
 */
export const evolve = (state: State, event: Event): State => {
  switch (event._tag) {
    case "AppropriationAllotted": {
      const s = funded(state)
      return { ...s, appropriation: s.appropriation + event.amount }
    }
    case "AllocationFramed":
      return {
        ...funded(state),
        frame: {
          "project-support": event.projectSupport,
          "business-support": event.businessSupport,
          "commercial-service": event.commercialService
        }
      }
    case "BudgetReserved": {
      const s = funded(state)
      const held = s.holdings[event.applicationId]?.amount ?? 0
      return {
        ...s,
        reserved: { ...s.reserved, [event.instrument]: s.reserved[event.instrument] + event.amount },
        holdings: { ...s.holdings, [event.applicationId]: { instrument: event.instrument, amount: held + event.amount } }
      }
    }
    case "BudgetReleased": {
      const s = funded(state)
      const held = s.holdings[event.applicationId]?.amount ?? 0
      return {
        ...s,
        reserved: { ...s.reserved, [event.instrument]: s.reserved[event.instrument] - event.amount },
        holdings: { ...s.holdings, [event.applicationId]: { instrument: event.instrument, amount: held - event.amount } }
      }
    }
    default: {
      const unreachable: never = event
      return unreachable
    }
  }
}

// ─── Commands ────────────────────────────────────────────────────────────────────────────────

const key = { regionId: EntityId, year: Year }

/**
 * The budget commands.
 *
 * @category schemas
 * @since 0.1.0
 */
export const BudgetCommand = Schema.TaggedUnion({
  /** Record the year's appropriation (or a top-up of it). */
  AllotAppropriation: {
    ...commandFields,
    ...key,
    appropriation: Label,
    appropriationName: Label,
    amount: Ore,
    source: Schema.optionalKey(Label)
  },
  /** The board's split of the year's money between the instruments. */
  FrameAllocation: {
    ...commandFields,
    ...decisionFields,
    ...key,
    projectSupport: Ore,
    businessSupport: Ore,
    commercialService: Ore,
    byPriority: Schema.Array(PriorityAllocation)
  },
  /** Reserve money for a grant (issued by the grant workflow together with the grant). */
  ReserveBudget: {
    ...commandFields,
    ...decisionFields,
    ...key,
    applicationId: EntityId,
    instrument: Instrument,
    amount: Ore
  },
  /** Give reserved money back. */
  ReleaseBudget: {
    ...commandFields,
    ...key,
    applicationId: EntityId,
    amount: Ore,
    reason: Label
  }
})

/**
 * @category models
 * @since 0.1.0
 */
export type Command = typeof BudgetCommand.Type

// ─── Errors ──────────────────────────────────────────────────────────────────────────────────

/**
 * Every refusal of the budget decider.
 *
 * @category errors
 * @since 0.1.0
 */
export type BudgetError = DomainError.Refusal<"NoAppropriation" | "AppropriationExceeded" | "AllocationFrameExceeded" | "PriorityLinesMismatch" | "ReleaseExceedsReservation">

// ─── decide ──────────────────────────────────────────────────────────────────────────────────

const decide = (command: Command, state: State): Effect.Effect<ReadonlyArray<Event>, BudgetError> => {
  const budget = `${command.regionId} ${command.year}`
  switch (command._tag) {
    case "AllotAppropriation":
      return Effect.succeed([
        FundingEvent.cases.AppropriationAllotted.make({
          regionId: command.regionId,
          year: command.year,
          appropriation: command.appropriation,
          appropriationName: command.appropriationName,
          amount: command.amount,
          ...(command.source === undefined ? {} : { source: command.source })
        })
      ])
    case "FrameAllocation": {
      if (state.status === "unfunded") {
        return Effect.fail(
          DomainError.make("NoAppropriation", {
            field: "year",
            value: showValue(command.year),
            rule: `a frame needs the year's appropriation first (budget ${budget})`
          })
        )
      }
      const frame: PerInstrument = {
        "project-support": command.projectSupport,
        "business-support": command.businessSupport,
        "commercial-service": command.commercialService
      }
      const total = frame["project-support"] + frame["business-support"] + frame["commercial-service"]
      if (total > state.appropriation) {
        return Effect.fail(
          DomainError.make("AppropriationExceeded", {
            field: "projectSupport+businessSupport+commercialService",
            value: showValue(total),
            rule: `the board's frame cannot exceed the appropriation of ${state.appropriation} öre (budget ${budget})`
          })
        )
      }
      for (const instrument of ["project-support", "business-support", "commercial-service"] as const) {
        if (frame[instrument] < state.reserved[instrument]) {
          return Effect.fail(
            DomainError.make("AllocationFrameExceeded", {
              field: instrument,
              value: showValue(frame[instrument]),
              rule: `a frame cannot fall below the ${state.reserved[instrument]} öre already granted as ${instrument}`
            })
          )
        }
      }
      const lines = command.byPriority.reduce((sum, line) => sum + line.amount, 0)
      if (command.byPriority.length > 0 && lines !== total) {
        return Effect.fail(
          DomainError.make("PriorityLinesMismatch", {
            field: "byPriority",
            value: showValue(lines),
            rule: `the priority lines must add up to the frame's ${total} öre`
          })
        )
      }
      return Effect.succeed([
        FundingEvent.cases.AllocationFramed.make({
          regionId: command.regionId,
          year: command.year,
          projectSupport: command.projectSupport,
          businessSupport: command.businessSupport,
          commercialService: command.commercialService,
          byPriority: command.byPriority,
          decidingBody: command.decidingBody
        })
      ])
    }
    case "ReserveBudget": {
      if (state.status === "unfunded") {
        return Effect.fail(
          DomainError.make("NoAppropriation", {
            field: "year",
            value: showValue(command.year),
            rule: `nothing can be granted before the year's appropriation is allotted (budget ${budget})`
          })
        )
      }
      const after = totalReserved(state) + command.amount
      if (after > state.appropriation) {
        return Effect.fail(
          DomainError.make("AppropriationExceeded", {
            field: "amount",
            value: showValue(command.amount),
            rule: `the year's grants would reach ${after} öre, above the appropriation of ${state.appropriation} öre (budget ${budget})`
          })
        )
      }
      if (state.frame !== undefined && state.reserved[command.instrument] + command.amount > state.frame[command.instrument]) {
        return Effect.fail(
          DomainError.make("AllocationFrameExceeded", {
            field: "amount",
            value: showValue(command.amount),
            rule: `${command.instrument} grants would reach ${state.reserved[command.instrument] + command.amount} öre, above the board's frame of ${state.frame[command.instrument]} öre`
          })
        )
      }
      const held = state.holdings[command.applicationId]
      if (held !== undefined && held.amount > 0 && held.instrument !== command.instrument) {
        return Effect.fail(
          DomainError.make("AllocationFrameExceeded", {
            field: "instrument",
            value: showValue(command.instrument),
            rule: `application ${command.applicationId} already holds money as ${held.instrument}`
          })
        )
      }
      return Effect.succeed([
        FundingEvent.cases.BudgetReserved.make({
          regionId: command.regionId,
          year: command.year,
          applicationId: command.applicationId,
          instrument: command.instrument,
          amount: command.amount
        })
      ])
    }
    case "ReleaseBudget": {
      const held = state.status === "funded" ? state.holdings[command.applicationId] : undefined
      if (held === undefined || command.amount > held.amount) {
        return Effect.fail(
          DomainError.make("ReleaseExceedsReservation", {
            field: "amount",
            value: showValue(command.amount),
            rule: `application ${command.applicationId} holds only ${held?.amount ?? 0} öre of budget ${budget}`
          })
        )
      }
      return Effect.succeed([
        FundingEvent.cases.BudgetReleased.make({
          regionId: command.regionId,
          year: command.year,
          applicationId: command.applicationId,
          instrument: held.instrument,
          amount: command.amount,
          reason: command.reason
        })
      ])
    }
    default: {
      const unreachable: never = command
      return unreachable
    }
  }
}

/**
 * The budget aggregate: one region's budget for one year.
 *
 * @category aggregates
 * @since 0.2.0
 */
export const aggregate: Aggregate.Aggregate<"budget", Command, typeof BudgetCommand.Encoded, FundingEvent, State, BudgetError> = Aggregate.make({
  name: "budget",
  commands: BudgetCommand,
  events: fundingCatalog,
  streamOf: (command) => budgetStreamId(command.regionId, command.year),
  roles: {
    AllotAppropriation: ["government", "finance-officer"],
    FrameAllocation: RolePolicy.board,
    ReserveBudget: RolePolicy.board,
    ReleaseBudget: [...RolePolicy.board, "finance-officer"]
  },
  identity: {
    AllotAppropriation: ["appropriation"],
    ReserveBudget: ["applicationId"],
    ReleaseBudget: ["applicationId", "occurredAt"]
  },
  initialState,
  // The funding family shares one catalogue, so the aggregate takes any funding event; a budget
  // stream only ever holds budget events, and the application's are ignored.
  evolve: (state: State, event: FundingEvent) => (isBudgetEvent(event) ? evolve(state, event) : state),
  decide
})
