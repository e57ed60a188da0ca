/**
 * Mapping amounts from one classification scheme onto another, so that years classified under
 * different schemes (the national strategy 2015–2020 vs 2021–2030, the RUS before and after 2019)
 * can be compared.
 *
 * **Rules.** Every source code goes to the group of its target codes. When one source code maps
 * to several targets (a priority that was split in two), those targets form one group, written
 * `A+B`, and the later year's amounts are grouped the same way, so nothing is divided by guess.
 * Source codes without a pair go to the group `unmapped`; target codes that nothing maps into
 * are reported as having no counterpart. Totals are preserved: Σ groups = Σ amounts.
 *
 * @since 0.1.0
 */
import type { RegistryModel } from "@utblick/projections"

/**
 * The group key under which amounts with no counterpart in the target scheme are gathered.
 *
 * @category symbols
 * @since 0.1.0
 */
export const UNMAPPED = "unmapped"

/**
 * The key of amounts not classified in a scheme at all; it is carried across a mapping as it is,
 * since "not classified" means the same in both years.
 *
 * @category symbols
 * @since 0.1.0
 */
export const UNCLASSIFIED = "unclassified"

/**
 * A mapping prepared for use: each source code's group and each target code's group.
 *
 * @category models
 * @since 0.1.0
 */
export interface PreparedMapping {
  readonly mapping: RegistryModel.MappingInfo
  readonly sourceGroup: ReadonlyMap<string, string>
  readonly targetGroup: ReadonlyMap<string, string>
}

/**
 * Builds the groups of a mapping (merging target codes that share a source code).
 *
 * @category utils
 * @since 0.1.0
 */
export const prepare = (mapping: RegistryModel.MappingInfo): PreparedMapping => {
  // Union-find over target codes: targets reached from the same source belong together.
  const parent = new Map<string, string>()
  const find = (x: string): string => {
    let root = x
    while (parent.get(root) !== root) root = parent.get(root) as string
    parent.set(x, root)
    return root
  }
  const targetsOf = new Map<string, Array<string>>()
  for (const { from, to } of mapping.pairs) {
    if (!parent.has(to)) parent.set(to, to)
    targetsOf.set(from, [...(targetsOf.get(from) ?? []), to])
  }
  for (const targets of targetsOf.values()) {
    const first = targets[0] as string
    for (const t of targets.slice(1)) parent.set(find(t), find(first))
  }
  const members = new Map<string, Array<string>>()
  for (const t of parent.keys()) members.set(find(t), [...(members.get(find(t)) ?? []), t])
  const targetGroup = new Map<string, string>()
  for (const group of members.values()) {
    const key = [...group].sort().join("+")
    for (const t of group) targetGroup.set(t, key)
  }
  const sourceGroup = new Map<string, string>()
  for (const [from, targets] of targetsOf)
    sourceGroup.set(from, targetGroup.get(targets[0] as string) as string)
  return { mapping, sourceGroup, targetGroup }
}

/**
 * Re-expresses amounts of the source scheme in the mapping's groups.
 *
 * @category mapping
 * @since 0.1.0
 */
export const mapSource = (
  prepared: PreparedMapping,
  amounts: Readonly<Record<string, number>>
): { readonly grouped: Readonly<Record<string, number>>; readonly unmappedCodes: ReadonlyArray<string> } => {
  const grouped: Record<string, number> = {}
  const unmappedCodes: Array<string> = []
  for (const [code, amount] of Object.entries(amounts)) {
    const group = code === UNCLASSIFIED ? UNCLASSIFIED : prepared.sourceGroup.get(code)
    if (group === undefined) unmappedCodes.push(code)
    const key = group ?? UNMAPPED
    grouped[key] = (grouped[key] ?? 0) + amount
  }
  return { grouped, unmappedCodes: unmappedCodes.sort() }
}

/**
 * Re-expresses amounts of the target scheme in the mapping's groups, and lists the target codes
 * that nothing maps into.
 *
 * @category mapping
 * @since 0.1.0
 */
export const groupTarget = (
  prepared: PreparedMapping,
  amounts: Readonly<Record<string, number>>
): { readonly grouped: Readonly<Record<string, number>>; readonly noCounterpart: ReadonlyArray<string> } => {
  const grouped: Record<string, number> = {}
  const noCounterpart: Array<string> = []
  for (const [code, amount] of Object.entries(amounts)) {
    const group = code === UNCLASSIFIED ? UNCLASSIFIED : prepared.targetGroup.get(code)
    if (group === undefined) noCounterpart.push(code)
    const key = group ?? code
    grouped[key] = (grouped[key] ?? 0) + amount
  }
  return { grouped, noCounterpart: noCounterpart.sort() }
}
