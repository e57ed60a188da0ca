/**
 * Registry entries as an aggregate: actors, organisations, classification schemes and scheme
 * mappings are reference data, not decisions, so no rule weighs them. `Register` carries the
 * entries, decoded through the registry event schemas, and appends them to one stream per
 * tenant, {@link registryStreamId}.
 *
 * @since 0.2.0
 */
import { Effect, Schema } from "effect"
import { Actor, CalendarDate, TenantId } from "../Envelope.js"
import { RegistryEvent, registryCatalog } from "../events/Registry.js"
import * as Aggregate from "./Aggregate.js"
import { IdempotencyKey } from "./Command.js"
import * as RolePolicy from "./RolePolicy.js"

/**
 * A registry entry as a command.
 *
 * @category schemas
 * @since 0.2.0
 */
export const RegisterCommand = Schema.TaggedUnion({
  /** Register actors, organisations, schemes or mappings of a tenant. */
  Register: {
    actor: Actor,
    tenant: TenantId,
    occurredAt: CalendarDate,
    idempotencyKey: Schema.optionalKey(IdempotencyKey),
    events: Schema.Array(RegistryEvent).pipe(Schema.check(Schema.isMinLength(1)))
  }
})

/**
 * @category models
 * @since 0.2.0
 */
export type Register = typeof RegisterCommand.Type

/**
 * The registry stream of a tenant: its actors, organisations, schemes and mappings, in one stream
 * of their own, tenant-scoped so that several tenants may share one store.
 *
 * @category getters
 * @since 0.1.0
 */
export const registryStreamId = (tenant: string): string => `registry-${tenant}`

/**
 * The registry aggregate. Reference data has no state to decide on: the entries are the events.
 * Anyone may register, whatever their role (the entries say who the actors are; they decide
 * nothing).
 *
 * @category aggregates
 * @since 0.2.0
 */
export const aggregate: Aggregate.Aggregate<"register", Register, typeof RegisterCommand.Encoded, RegistryEvent, undefined, never> = Aggregate.make({
  name: "register",
  commands: RegisterCommand,
  events: registryCatalog,
  streamOf: (command) => registryStreamId(command.tenant),
  roles: { Register: RolePolicy.anyone },
  initialState: () => undefined,
  evolve: (state: undefined) => state,
  decide: (command: Register) => Effect.succeed(command.events)
})
