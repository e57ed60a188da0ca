/**
 * The trip aggregate: one official trip, in the stream `trip-<tripId>`, evaluated against the
 * Luleå plan before it happens (000:31-37, 000:79-82).
 *
 * Rules: a trip is proposed once, returning on or after it departs; it is evaluated once, before
 * it is completed; an evaluation that finds a digital alternative sufficient cannot approve a
 * flight without a stated reason; a declined trip is never completed; a completed or cancelled
 * trip is final.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { TravelEvent, travelCatalog, travelFields, type TripDecision, tripStreamId } from "../events/Travel.js"
import * as Aggregate from "./Aggregate.js"
import {commandFields, showValue } from "./Command.js"
import * as DomainError from "./DomainError.js"

// ─── Events ──────────────────────────────────────────────────────────────────────────────────

/**
 * The events of this aggregate.
 *
 * @category events
 * @since 0.1.0
 */
export type Event = TravelEvent

// ─── State ───────────────────────────────────────────────────────────────────────────────────

/**
 * The state of one trip.
 *
 * @category models
 * @since 0.1.0
 */
export type State =
  | { readonly status: "none" }
  | { readonly status: "proposed"; readonly departOn: string }
  | { readonly status: "evaluated"; readonly departOn: string; readonly decision: typeof TripDecision.Type }
  | { readonly status: "completed" }
  | { readonly status: "cancelled" }

/**
 * The state before any event.
 *
 * @category constructors
 * @since 0.1.0
 */
export const initialState = (): State => ({ status: "none" })

// ─── evolve ──────────────────────────────────────────────────────────────────────────────────

/**
 * Applies one event.
 *
 * @category folding
 * @since 0.1.0
 */
export const evolve = (state: State, event: Event): State => {
  switch (event._tag) {
    case "TripProposed":
      return { status: "proposed", departOn: event.departOn }
    case "TripEvaluated":
      return state.status === "proposed"
        ? { status: "evaluated", departOn: state.departOn, decision: event.decision }
        : state
    case "TripCompleted":
      return { status: "completed" }
    case "TripCancelled":
      return { status: "cancelled" }
    default: {
      const unreachable: never = event
      return unreachable
    }
  }
}

// ─── Commands ────────────────────────────────────────────────────────────────────────────────

/**
 * The trip commands.
 *
 * @category schemas
 * @since 0.1.0
 */
export const TripCommand = Schema.TaggedUnion({
  /** Propose a trip. */
  ProposeTrip: { ...commandFields, ...travelFields.TripProposed },
  /** Evaluate a proposed trip. */
  EvaluateTrip: { ...commandFields, ...travelFields.TripEvaluated },
  /** Record that the trip (or the digital meeting that replaced it) took place. */
  CompleteTrip: { ...commandFields, ...travelFields.TripCompleted },
  /** Call the trip off. */
  CancelTrip: { ...commandFields, ...travelFields.TripCancelled }
})

/**
 * @category models
 * @since 0.1.0
 */
export type Command = typeof TripCommand.Type

// ─── Errors ──────────────────────────────────────────────────────────────────────────────────

/**
 * Every refusal of the trip decider.
 *
 * @category errors
 * @since 0.1.0
 */
export type TripError = DomainError.Refusal<"TripStatusConflict" | "TripNotEvaluated" | "FlightApprovedWithoutReason" | "TripDatesInvalid">

// ─── decide ──────────────────────────────────────────────────────────────────────────────────

const conflict = (command: Command, state: State, rule: string) =>
  Effect.fail(
    DomainError.make("TripStatusConflict", { field: "tripId", value: showValue(command.tripId), rule: `${rule} (it is ${state.status})` })
  )

const decide = (command: Command, state: State): Effect.Effect<ReadonlyArray<Event>, TripError> => {
  switch (command._tag) {
    case "ProposeTrip": {
      if (state.status !== "none") return conflict(command, state, "a trip is proposed once")
      if (command.returnOn < command.departOn) {
        return Effect.fail(
          DomainError.make("TripDatesInvalid", {
            field: "returnOn",
            value: showValue(command.returnOn),
            rule: `a trip cannot return before it departs (${command.departOn})`
          })
        )
      }
      const { _tag, actor, tenant, occurredAt, ...payload } = command
      return Effect.succeed([TravelEvent.cases.TripProposed.make(payload)])
    }
    case "EvaluateTrip": {
      if (state.status !== "proposed") return conflict(command, state, "only a proposed, not yet evaluated trip is evaluated")
      if (
        command.digitalAlternativeSufficient &&
        command.decision === "approved" &&
        (command.mode === "flight" || command.mode === "mixed") &&
        (command.reason === undefined || command.reason.trim() === "")
      ) {
        return Effect.fail(
          DomainError.make("FlightApprovedWithoutReason", {
            field: "reason",
            value: showValue(command.reason),
            rule: "when a digital meeting would serve, approving a flight needs a stated reason (digital first, 000:31)"
          })
        )
      }
      const { _tag, actor, tenant, occurredAt, ...payload } = command
      return Effect.succeed([TravelEvent.cases.TripEvaluated.make(payload)])
    }
    case "CompleteTrip": {
      if (state.status === "proposed" || state.status === "none") {
        return Effect.fail(
          DomainError.make("TripNotEvaluated", {
            field: "tripId",
            value: showValue(command.tripId),
            rule: `a trip cannot be completed before it is evaluated (it is ${state.status})`
          })
        )
      }
      if (state.status !== "evaluated") return conflict(command, state, "a completed or cancelled trip is final")
      if (state.decision === "declined") {
        return conflict(command, state, "a declined trip cannot be completed")
      }
      if (command.completedOn < state.departOn) {
        return Effect.fail(
          DomainError.make("TripDatesInvalid", {
            field: "completedOn",
            value: showValue(command.completedOn),
            rule: `a trip cannot be completed before it departs (${state.departOn})`
          })
        )
      }
      const { _tag, actor, tenant, occurredAt, ...payload } = command
      return Effect.succeed([TravelEvent.cases.TripCompleted.make(payload)])
    }
    case "CancelTrip": {
      if (state.status !== "proposed" && state.status !== "evaluated") {
        return conflict(command, state, "only a proposed or evaluated trip can be cancelled")
      }
      return Effect.succeed([TravelEvent.cases.TripCancelled.make({ tripId: command.tripId, reason: command.reason })])
    }
    default: {
      const unreachable: never = command
      return unreachable
    }
  }
}

/**
 * The trip aggregate.
 *
 * @category aggregates
 * @since 0.2.0
 */
export const aggregate: Aggregate.Aggregate<"trip", Command, typeof TripCommand.Encoded, Event, State, TripError> = Aggregate.make({
  name: "trip",
  commands: TripCommand,
  events: travelCatalog,
  streamOf: (command) => tripStreamId(command.tripId),
  roles: {
    ProposeTrip: ["traveller"],
    EvaluateTrip: ["manager"],
    CompleteTrip: ["traveller"],
    CancelTrip: ["traveller", "manager"]
  },
  identity: { ProposeTrip: "once", EvaluateTrip: "once", CompleteTrip: "once", CancelTrip: "once" },
  initialState,
  evolve,
  decide
})
