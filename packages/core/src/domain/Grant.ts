/**
 * The grant workflow: a grant (or an amendment of one) touches two aggregates, the application
 * and the year's budget. Both are decided from their own state, and both streams are appended
 * in one all-or-nothing `appendMany` with each stream's loaded version as the expected version,
 * so neither the application's rules nor the budget's caps can be raced (ADR 0011).
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import * as Decider from "../Decider.js"
import type { AppendResult } from "../AppendPlanner.js"
import type { EventDecodeError, EventEncodeError } from "../EventCatalog.js"
import type { EventStore } from "../EventStore.js"
import type { EventStoreError } from "../EventStoreError.js"
import { applicationStreamId, budgetStreamId, fundingCatalog, type FundingEvent, type Instrument } from "../events/Funding.js"
import { Ore } from "../Money.js"
import * as Aggregate from "./Aggregate.js"
import * as Application from "./Application.js"
import * as Budget from "./Budget.js"
import { metadataOf } from "./Command.js"
import type * as RolePolicy from "./RolePolicy.js"

/**
 * What a grant or amendment decides: events for the application stream and for the budget stream.
 *
 * @category models
 * @since 0.1.0
 */
export interface GrantDecision {
  readonly application: ReadonlyArray<FundingEvent>
  readonly budget: ReadonlyArray<FundingEvent>
  readonly budgetRegionId: string
  readonly budgetYear: number
}

/**
 * A grant or an amendment: the commands that move budget money.
 *
 * @category models
 * @since 0.1.0
 */
export type BudgetedCommand = Application.GrantCommand | Extract<Application.Command, { readonly _tag: "AmendGrant" }>

/**
 * Decides a grant or amendment against both states (pure).
 *
 * **Details**
 *
 * A grant reserves its amount in the budget of its year; an amendment upwards reserves the
 * difference, downwards releases it, in the year the grant was charged to.
 *
 * @category deciding
 * @since 0.1.0
 */
export const decideWith =
  (policy: RolePolicy.RolePolicy) =>
  (
    command: BudgetedCommand,
    application: Application.State,
    budget: (regionId: string, year: number) => Budget.State
  ): Effect.Effect<GrantDecision, Application.ApplicationError | Budget.BudgetError | RolePolicy.NotAuthorized> =>
    Effect.gen(function* () {
      const applicationEvents = yield* Application.aggregate.decideWith(policy)(command, application)
      // The application's decider refuses the command in every state without a budget to draw on
      // (no application, or not the status the command needs), so the target is there by now.
      const target = yield* Effect.orDie(Effect.fromNullishOr(budgetTarget(command, application)))
      const base = {
        actor: command.actor,
        tenant: command.tenant,
        occurredAt: command.occurredAt,
        regionId: target.regionId,
        year: target.year,
        applicationId: command.applicationId
      }
      // A grant reserves what it adds to nothing; an amendment what it adds, or releases what it
      // takes away (never 0: the application's decider refuses an amendment to the same amount).
      const delta = (command._tag === "AmendGrant" ? command.newAmount : command.amount) - target.granted
      const budgetEvents = yield* Budget.aggregate.decideWith(policy)(
        command._tag === "AmendGrant" && delta < 0
          ? { _tag: "ReleaseBudget", ...base, amount: Ore.make(-delta), reason: command.reason }
          : {
              _tag: "ReserveBudget",
              ...base,
              decisionRef: command.decisionRef,
              decidingBody: command.decidingBody,
              instrument: target.instrument,
              amount: Ore.make(delta)
            },
        budget(target.regionId, target.year)
      )
      return { application: applicationEvents, budget: budgetEvents, budgetRegionId: target.regionId, budgetYear: target.year }
    })

// What a grant or amendment draws on: the application's region, and the year, instrument and
// amount granted before it (a grant's own year and instrument, nothing granted yet; an
// amendment's grant). `undefined` in a state the application's decider refuses the command in.
const budgetTarget = (
  command: BudgetedCommand,
  application: Application.State
):
  | { readonly regionId: string; readonly year: number; readonly instrument: Instrument; readonly granted: number }
  | undefined =>
  command._tag === "AmendGrant"
    ? application.status === "granted"
      ? application
      : undefined
    : application.status === "received"
      ? { regionId: application.regionId, year: command.year, instrument: Application.instrumentOfCommand(command), granted: 0 }
      : undefined

/**
 * Decides a grant or amendment under the default role policy.
 *
 * @category constructors
 * @since 0.1.0
 */
const defaultPolicy: RolePolicy.RolePolicy = { ...Application.aggregate.policy, ...Budget.aggregate.policy }

export const decide = decideWith(defaultPolicy)

/**
 * Handles a grant or amendment against the store: reads the application, then the budget year it
 * draws on, decides, and appends both streams in one all-or-nothing write, each at the version
 * it was read at. A concurrent writer on either stream makes the write fail with a
 * `ConcurrencyConflict`, which is retried up to `maxAttempts` times.
 *
 * @category deciding
 * @since 0.1.0
 */
export const handle = (
  command: BudgetedCommand,
  options: { readonly policy?: RolePolicy.RolePolicy; readonly maxAttempts?: number } = {}
): Effect.Effect<
  GrantDecision & { readonly appended: ReadonlyArray<AppendResult> },
  Application.ApplicationError | Budget.BudgetError | RolePolicy.NotAuthorized | EventStoreError | EventDecodeError | EventEncodeError,
  EventStore
> => handlerFor(options.policy ?? defaultPolicy, options.maxAttempts)(command)

const handlerFor = (policy: RolePolicy.RolePolicy, maxAttempts: number | undefined) =>
  Decider.makeMultiStreamHandler({
    catalog: fundingCatalog,
    metadata: metadataOf,
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
    decide: (command: BudgetedCommand, read: Decider.StreamReader<FundingEvent>) =>
      Effect.gen(function* () {
        const applicationStream = applicationStreamId(command.applicationId)
        const application = yield* read.load(applicationStream, Application.aggregate)
        // The budget stream depends on the application: its region, and for amendments its year.
        const target = budgetTarget(command, application)
        const budget =
          target === undefined
            ? Budget.aggregate.initialState()
            : yield* read.load(budgetStreamId(target.regionId, target.year), Budget.aggregate)
        const decision = yield* decideWith(policy)(command, application, () => budget)
        return {
          ...decision,
          writes: [
            { streamId: applicationStream, events: decision.application },
            { streamId: budgetStreamId(decision.budgetRegionId, decision.budgetYear), events: decision.budget }
          ]
        }
      })
  })

/**
 * The application aggregate as the domain dispatches it: grants and amendments through
 * {@link handle}, together with the year's budget, and every other command (receive, assess,
 * reject, pay, recover, report, close) through the application's own handler. There is
 * deliberately no handler that could grant without reserving budget money.
 *
 * @category aggregates
 * @since 0.2.0
 */
export const applications: Aggregate.WithHandler<
  typeof Application.aggregate,
  Application.Command,
  Application.ApplicationError | Budget.BudgetError | RolePolicy.NotAuthorized | EventStoreError | EventDecodeError | EventEncodeError
> = Aggregate.withHandler(Application.aggregate, (command) =>
  Application.isGrantCommand(command) || command._tag === "AmendGrant"
    ? Effect.map(handle(command), (decision) => decision.appended)
    : Application.aggregate.handle(command)
)
