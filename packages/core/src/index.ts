/**
 * `@utblick/core`: the event envelope, event families, deciders, the `EventStore` service with
 * its in-memory implementation, and the decider and projection runtimes.
 *
 * Each module is also importable on its own, e.g. `@utblick/core/EventStore`. The modules for
 * implementing a store (`AppendPlanner`, `LiveTail`, `Holes`, `SnapshotJson`) are only importable that way:
 * an application never needs them. Registry events are `Events.Registry`.
 *
 * @since 0.1.0
 */
export * as CanonicalJson from "./CanonicalJson.js"
export * as Decider from "./Decider.js"
export * as Decimal from "./Decimal.js"
export * as Envelope from "./Envelope.js"
export * as EventCatalog from "./EventCatalog.js"
export * as EventStore from "./EventStore.js"
export * as EventStoreError from "./EventStoreError.js"
export * as ExpectedVersion from "./ExpectedVersion.js"
export * as HashChain from "./HashChain.js"
export * as LiveStates from "./LiveStates.js"
export * as Money from "./Money.js"
export * as PersonalData from "./PersonalData.js"
export * as Projection from "./Projection.js"
export * as ProjectionCheckpoints from "./ProjectionCheckpoints.js"
export * as Uuid from "./Uuid.js"
export * as Events from "./events/index.js"
export * as Aggregate from "./domain/Aggregate.js"
export * as Command from "./domain/Command.js"
export * as Commands from "./domain/Commands.js"
export * as DomainError from "./domain/DomainError.js"
export * as Domain from "./domain/Domain.js"
export * as StrictJson from "./domain/StrictJson.js"
export * as RolePolicy from "./domain/RolePolicy.js"
export * as Membership from "./domain/Membership.js"
export * as Agreement from "./domain/Agreement.js"
export * as Budget from "./domain/Budget.js"
export * as Application from "./domain/Application.js"
export * as Grant from "./domain/Grant.js"
export * as Trip from "./domain/Trip.js"
export * as Population from "./domain/Population.js"
