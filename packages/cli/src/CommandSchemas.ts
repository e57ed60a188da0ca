/**
 * The command schemas as an import sees them: for each command tag, its fields with their JSON
 * types, which are required, and which are money (öre). CSV cells are typed by this, the
 * `--template` header is written from it and the column reference is generated from it, so the
 * three cannot drift from the domain.
 *
 * @since 0.2.0
 */
import { Commands, Money } from "@utblick/core"
import { Schema } from "effect"

/**
 * One field of a command.
 *
 * @category models
 * @since 0.2.0
 */
export interface FieldInfo {
  readonly name: string
  /** The JSON Schema type: string, integer, number, boolean, array or object. */
  readonly type: string
  readonly required: boolean
  /** The allowed values, when the field is a closed set. */
  readonly values?: ReadonlyArray<string>
  /** An amount of money: öre in JSON, kronor or öre in CSV. */
  readonly money: boolean
  /** `YYYY-MM-DD`. */
  readonly date: boolean
}

/**
 * One command.
 *
 * @category models
 * @since 0.2.0
 */
export interface CommandInfo {
  readonly tag: string
  readonly family: string
  readonly summary: string
  readonly fields: ReadonlyArray<FieldInfo>
}

type Struct = { readonly fields: Readonly<Record<string, { readonly ast: unknown }>> }

// What the column reference calls each aggregate's commands, keyed by the domain's aggregate names
// (a misspelt name does not compile); an aggregate without a heading is listed under its name.
const headings: Readonly<Partial<Record<(typeof Commands.domain.aggregates)[number]["name"], string>>> = {
  membership: "memberships",
  agreement: "agreements",
  budget: "budget",
  application: "applications and grants",
  trip: "trips",
  population: "statistics",
  register: "registry"
}

// The command unions in the domain's order, each under its heading.
const unions: ReadonlyArray<readonly [string, { readonly cases: Readonly<Record<string, Struct>> }]> =
  Commands.domain.aggregates.map(
    (aggregate) => [headings[aggregate.name] ?? aggregate.name, aggregate.commands as unknown as { readonly cases: Readonly<Record<string, Struct>> }] as const
  )

const DATE_FIELDS = /(^occurredAt$|On$|^periodFrom$|^periodTo$|^from$|^to$)/

const infoOf = (family: string, tag: string, struct: Struct): CommandInfo => {
  const doc = Schema.toJsonSchemaDocument(struct as unknown as Schema.Top).schema as {
    readonly properties?: Record<string, { readonly type?: string; readonly enum?: ReadonlyArray<string>; readonly description?: string }>
    readonly required?: ReadonlyArray<string>
    readonly description?: string
  }
  const required = new Set(doc.required ?? [])
  const fields = Object.entries(doc.properties ?? {})
    .filter(([name]) => name !== "_tag")
    .map(([name, p]): FieldInfo => {
      const ast = struct.fields[name]?.ast as { readonly checks?: unknown } | undefined
      const money = ast !== undefined && ast.checks !== undefined && ast.checks === (Money.Ore.ast as { readonly checks?: unknown }).checks
      return {
        name,
        type: p.type ?? (p.enum === undefined ? "string" : "string"),
        required: required.has(name),
        ...(p.enum === undefined || name === "_tag" ? {} : { values: p.enum }),
        money,
        date: p.type === "string" && DATE_FIELDS.test(name) && name !== "to"
      }
    })
  return { tag, family, summary: doc.description ?? "", fields }
}

let cache: ReadonlyMap<string, CommandInfo> | undefined

/**
 * Every command an import accepts, by tag, in the order of the domain's families.
 *
 * @category getters
 * @since 0.2.0
 */
export const all = (): ReadonlyMap<string, CommandInfo> => {
  if (cache === undefined) {
    const map = new Map<string, CommandInfo>()
    for (const [family, union] of unions) {
      for (const [tag, struct] of Object.entries(union.cases)) map.set(tag, infoOf(family, tag, struct))
    }
    cache = map
  }
  return cache
}

/**
 * Plural kind names people write for the common CSV files, and the command each row is.
 *
 * @category utils
 * @since 0.2.0
 */
export const aliases: Readonly<Record<string, string>> = {
  memberships: "SignMembership",
  agreements: "SignAgreement",
  applications: "ReceiveApplication",
  grants: "GrantProject",
  "business-support": "GrantBusinessSupport",
  payments: "DisbursePayment",
  trips: "ProposeTrip",
  population: "RecordPopulation"
}

/**
 * The command of a `--kind` value (a command tag or one of {@link aliases}).
 *
 * @category getters
 * @since 0.2.0
 */
export const byKind = (kind: string): CommandInfo | undefined => all().get(aliases[kind] ?? kind)
