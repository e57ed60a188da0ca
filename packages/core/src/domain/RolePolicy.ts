/**
 * Who may give which command, as data: a table from command tag to the roles allowed to give it,
 * and one pure {@link authorize} that every decider calls first.
 *
 * **Details**
 *
 * The default table follows the seeds: the regional development board (RUN) frames the year's
 * allocation and takes every grant decision; an officer (*handläggare*) receives and assesses
 * applications; finance pays out; the executive board (*kommunstyrelsen* or *regionstyrelsen*) or a
 * councillor (*kommunalråd*, JOIN BOOST SUSTAIN, 000:298) binds the organisation to agreements
 * and memberships; a traveller proposes a trip and the manager evaluates it.
 *
 * @since 0.1.0
 */
import { Result, Schema } from "effect"
import type { Actor } from "../Envelope.js"

/**
 * The roles the default policy knows.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Role = Schema.Literals([
  "government",
  "regional-development-board",
  "executive-board",
  "councillor",
  "international-coordinator",
  "officer",
  "finance-officer",
  "project-owner",
  "traveller",
  "manager"
])

/**
 * @category models
 * @since 0.1.0
 */
export type Role = typeof Role.Type

/**
 * A role policy: for each command tag, the roles that may give it. A command missing from the
 * table may be given by nobody. The default policy is not written here: each aggregate declares
 * the roles of its own commands, and `Commands.policy` is their union.
 *
 * @category models
 * @since 0.1.0
 */
export type RolePolicy = Readonly<Record<string, ReadonlyArray<string>>>

/**
 * The regional development board (RUN), which frames the year's allocation and takes every grant
 * decision.
 *
 * @category roles
 * @since 0.2.0
 */
export const board: ReadonlyArray<Role> = ["regional-development-board"]

/**
 * The bodies that bind the organisation to agreements and memberships: the executive board
 * (*kommunstyrelsen* or *regionstyrelsen*), a councillor (*kommunalråd*) or the board.
 *
 * @category roles
 * @since 0.2.0
 */
export const bindingBodies: ReadonlyArray<Role> = ["executive-board", "councillor", "regional-development-board"]

/**
 * The policy entry of a command that anyone may give, whatever their role: reference data (the
 * registry), which decides nothing.
 *
 * @category roles
 * @since 0.2.0
 */
export const anyone: ReadonlyArray<"*"> = ["*"]

/**
 * The actor's role may not give this command.
 *
 * @category errors
 * @since 0.1.0
 */
export class NotAuthorized extends Schema.TaggedError<NotAuthorized>()("NotAuthorized", {
  command: Schema.String,
  actorId: Schema.String,
  role: Schema.String,
  allowedRoles: Schema.Array(Schema.String)
}) {
  override get message(): string {
    const allowed = this.allowedRoles.length === 0 ? "nobody" : this.allowedRoles.join(", ")
    return `field "actor.role" has value "${this.role}" (actor "${this.actorId}"), but ${this.command} may only be given by: ${allowed}`
  }
}

/**
 * Checks that the command's actor has a role the policy allows for the command's tag.
 *
 * @category deciding
 * @since 0.1.0
 */
export const authorize = (
  policy: RolePolicy,
  command: { readonly _tag: string; readonly actor: Actor }
): Result.Result<void, NotAuthorized> => {
  const allowed = Object.hasOwn(policy, command._tag) ? (policy[command._tag] ?? []) : []
  return allowed.includes(command.actor.role) || allowed.includes("*")
    ? Result.void
    : Result.fail(
        new NotAuthorized({
          command: command._tag,
          actorId: command.actor.id,
          role: command.actor.role,
          allowedRoles: [...allowed]
        })
      )
}

/**
 * The commands a role may give under a policy (for documentation and UIs).
 *
 * @category deciding
 * @since 0.1.0
 */
export const commandsFor = (policy: RolePolicy, role: string): ReadonlyArray<string> =>
  Object.keys(policy).filter((tag) => (policy[tag] ?? []).includes(role) || (policy[tag] ?? []).includes("*"))
