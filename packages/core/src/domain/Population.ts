/**
 * Population figures as a command: a tenant's number of inhabitants on 31 December of a year,
 * with its source, in the stream `statistics-<tenant>`. Indicators divide by it to give figures
 * per inhabitant (*per invånare*).
 *
 * Rules: a population is counted, not forecast — the year must have ended by the business date
 * the figure is recorded on; the same year recorded again with another figure is a revision and
 * needs its own idempotency key (otherwise it is refused as a conflict, see `Commands.handle`),
 * and the latest figure counts.
 *
 * @since 0.2.0
 */
import { Effect, Schema } from "effect"
import {
  StatisticsEvent,
  statisticsCatalog,
  statisticsFields,
  statisticsStreamId
} from "../events/Statistics.js"
import * as Aggregate from "./Aggregate.js"
import {commandFields, showValue } from "./Command.js"
import * as DomainError from "./DomainError.js"

/**
 * The events of this aggregate.
 *
 * @category events
 * @since 0.2.0
 */
export type Event = StatisticsEvent

/**
 * The figures recorded so far, by year (the latest per year).
 *
 * @category models
 * @since 0.2.0
 */
export type State = ReadonlyMap<number, number>

/**
 * The state before any event.
 *
 * @category constructors
 * @since 0.2.0
 */
export const initialState = (): State => new Map()

/**
 * Applies one event.
 *
 * @category folding
 * @since 0.2.0
 */
export const evolve = (state: State, event: Event): State => new Map(state).set(event.year, event.inhabitants)

/**
 * The statistics commands.
 *
 * @category schemas
 * @since 0.2.0
 */
export const PopulationCommand = Schema.TaggedUnion({
  /** Record the tenant's population on 31 December of a year, with its source (e.g. SCB). */
  RecordPopulation: { ...commandFields, ...statisticsFields.PopulationRecorded }
})

/**
 * @category models
 * @since 0.2.0
 */
export type Command = typeof PopulationCommand.Type

/**
 * Every refusal of the population decider.
 *
 * @category errors
 * @since 0.2.0
 */
export type PopulationError = DomainError.Refusal<"PopulationNotYetCounted">

const decide = (command: Command): Effect.Effect<ReadonlyArray<Event>, PopulationError> => {
  // The count is of the end of 31 December: it can be known from the next day on.
  if (`${command.year}-12-31` >= command.occurredAt) {
    return Effect.fail(
      DomainError.make("PopulationNotYetCounted", {
        field: "year",
        value: showValue(command.year),
        rule: `the population on 31 December ${command.year} cannot be known on ${command.occurredAt} (record counted figures, not forecasts; occurredAt is the date of the source)`
      })
    )
  }
  return Effect.succeed([
    StatisticsEvent.cases.PopulationRecorded.make({
      year: command.year,
      inhabitants: command.inhabitants,
      source: command.source
    })
  ])
}

/**
 * The population figures of one tenant.
 *
 * @category aggregates
 * @since 0.2.0
 */
export const aggregate: Aggregate.Aggregate<"population", Command, typeof PopulationCommand.Encoded, Event, State, PopulationError> = Aggregate.make({
  name: "population",
  commands: PopulationCommand,
  events: statisticsCatalog,
  streamOf: (command) => statisticsStreamId(command.tenant),
  // Population figures (SCB) are entered by whoever keeps the figures; they are not decided.
  roles: { RecordPopulation: ["officer", "finance-officer", "international-coordinator"] },
  identity: { RecordPopulation: ["year"] },
  initialState,
  evolve,
  decide
})
