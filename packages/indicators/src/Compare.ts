/**
 * Year comparison: indicator values of two years side by side with absolute and relative change,
 * across a change of classification scheme where a mapping is defined.
 *
 * @since 0.1.0
 */
import type { RegistryModel } from "@utblick/projections"
import { type IndicatorValue, isPercent, type Row, type Unit } from "./Definition.js"
import { PER_INHABITANT } from "./PerInhabitant.js"
import * as SchemeMapping from "./SchemeMapping.js"
import * as Share from "./Share.js"

/**
 * One line of a comparison: an indicator's headline (`key` null) or one of its breakdown rows.
 *
 * @category models
 * @since 0.1.0
 */
export interface ComparisonRow {
  readonly indicator: string
  readonly title: string
  /** The indicator's title in Swedish. */
  readonly titleSv: string
  readonly key: string | null
  /** The row's label (for the headline: the title, with the scheme when there is one). */
  readonly label: string
  readonly unit: Unit
  readonly a: number | null
  readonly b: number | null
  /** `b − a` (percentage points when the unit is percent). */
  readonly absoluteChange: number | null
  /** `(b − a) ÷ a` in percent, one decimal; `null` when `a` is 0 or missing. */
  readonly relativeChange: number | null
}

/**
 * How one indicator was carried from one scheme to another.
 *
 * @category models
 * @since 0.1.0
 */
export interface MappingUsed {
  readonly indicator: string
  readonly mappingId: string
  readonly fromScheme: string
  readonly toScheme: string
  /** Codes of the earlier year with no counterpart in the later scheme. */
  readonly unmapped: ReadonlyArray<string>
  /** Codes of the later year that nothing in the earlier scheme maps into. */
  readonly noCounterpart: ReadonlyArray<string>
}

/**
 * A comparison of two years.
 *
 * @category models
 * @since 0.1.0
 */
export interface Comparison {
  readonly years: readonly [number, number]
  readonly rows: ReadonlyArray<ComparisonRow>
  readonly mappings: ReadonlyArray<MappingUsed>
  /** Indicators present in one year only, or in schemes with no mapping between them. */
  readonly notComparable: ReadonlyArray<{
    readonly indicator: string
    readonly scheme: string | null
    readonly year: number
    readonly reason: string
  }>
}

// Exact on the decimal values, rounded half away from zero (see Share.roundQuotient).
const change = (a: number | null, b: number | null) => ({
  absoluteChange: a === null || b === null ? null : Share.difference(a, b),
  relativeChange: a === null || b === null ? null : Share.relativeChange(a, b, 1)
})

const rowAmount = (row: Row): number => row.amount ?? row.value ?? 0

// A row missing from one year's breakdown while the indicator has a value that year counted
// nothing there: 0 (no grants in the category, no agreement in the status). A ratio has no such
// zero; it stays "no data". When the indicator has no value at all that year, every row is no data.
// The "no counterpart" group of a mapping exists in the earlier year only: no data in the later.
// A per-inhabitant row is missing where no population is recorded: no data, never 0.
const absentRow = (indicatorPresent: boolean, unit: Unit, key: string): number | null =>
  indicatorPresent && unit !== "ratio" && key !== SchemeMapping.UNMAPPED && key !== PER_INHABITANT ? 0 : null

const compareRows = (
  va: IndicatorValue | undefined,
  vb: IndicatorValue | undefined,
  rowsA: ReadonlyArray<Row>,
  rowsB: ReadonlyArray<Row>
): Array<ComparisonRow> => {
  const v = (va ?? vb) as IndicatorValue
  const scheme = vb?.scheme ?? va?.scheme
  const headA = va?.value ?? null
  const headB = vb?.value ?? null
  const rows: Array<ComparisonRow> = [
    {
      indicator: v.id,
      title: v.title,
      titleSv: v.titleSv,
      key: null,
      label: scheme === undefined ? v.title : `${v.title} (${scheme})`,
      unit: v.unit,
      a: headA,
      b: headB,
      ...change(headA, headB)
    }
  ]
  const byKeyA = new Map(rowsA.map((r) => [r.key, r]))
  const byKeyB = new Map(rowsB.map((r) => [r.key, r]))
  const keys = [...new Set([...byKeyA.keys(), ...byKeyB.keys()])]
  for (const key of keys) {
    const ra = byKeyA.get(key)
    const rb = byKeyB.get(key)
    const unit = rb?.unit ?? ra?.unit ?? v.rowUnit ?? v.unit
    const a = ra === undefined ? absentRow(va !== undefined, unit, key) : ra.value
    const b = rb === undefined ? absentRow(vb !== undefined, unit, key) : rb.value
    rows.push({
      indicator: v.id,
      title: v.title,
      titleSv: v.titleSv,
      key,
      label: rb?.label ?? ra?.label ?? key,
      unit,
      a,
      b,
      ...change(a, b)
    })
  }
  return rows
}

// Rows carried into mapping groups: amounts summed per group, shares re-apportioned when the
// rows were shares, so they still sum to 100.
const groupedRows = (
  grouped: Readonly<Record<string, number>>,
  asShares: boolean,
  label: (key: string) => string
): ReadonlyArray<Row> =>
  asShares
    ? Share.apportion(grouped).map((p) => ({
        key: p.key,
        label: label(p.key),
        value: p.percent,
        amount: p.amount
      }))
    : Object.entries(grouped).map(([key, n]) => ({ key, label: label(key), value: n, amount: n }))

/**
 * Compares the indicator values of two years.
 *
 * **Details**
 *
 * Values are matched by indicator id and scheme. When an indicator is expressed in scheme X in
 * the first year and in scheme Y in the second, and the registry holds a mapping X → Y, the first
 * year's breakdown is carried into Y's groups (see {@link SchemeMapping}) and the result says
 * which categories had no counterpart. Without a mapping, both are listed as not comparable.
 *
 * @example
 * ```ts
 * // const table = compareYears([values2017, values2022], [2017, 2022], registryState)
 * ```
 *
 * @category comparing
 * @since 0.1.0
 */
export const compareYears = (
  values: readonly [ReadonlyArray<IndicatorValue>, ReadonlyArray<IndicatorValue>],
  years: readonly [number, number],
  registry: Pick<RegistryModel.RegistryState, "schemes" | "mappings">
): Comparison => {
  const [valuesA, valuesB] = values
  const rows: Array<ComparisonRow> = []
  const mappings: Array<MappingUsed> = []
  const notComparable: Array<Comparison["notComparable"][number]> = []
  const ids = [...new Set([...valuesA, ...valuesB].map((v) => v.id))]
  for (const id of ids) {
    const as = valuesA.filter((v) => v.id === id)
    const bs = valuesB.filter((v) => v.id === id)
    const pendingB = new Set(bs)
    for (const va of as) {
      const same = bs.find((vb) => vb.scheme === va.scheme)
      if (same !== undefined) {
        pendingB.delete(same)
        rows.push(...compareRows(va, same, va.breakdown, same.breakdown))
        continue
      }
      const mapped = [...pendingB].flatMap((vb) => {
        // A value without a scheme matches no mapping: every mapping names both of its schemes.
        const mapping = Object.values(registry.mappings).find(
          (m) => m.fromSchemeId === va.scheme && m.toSchemeId === vb.scheme
        )
        return mapping === undefined ? [] : [{ vb, mapping }]
      })[0]
      if (mapped === undefined) {
        // Present in the earlier year only: shown beside "no data", and listed as not comparable.
        if (bs.length === 0) rows.push(...compareRows(va, undefined, va.breakdown, []))
        notComparable.push({
          indicator: id,
          scheme: va.scheme ?? null,
          year: years[0],
          reason:
            bs.length === 0
              ? `no value in ${years[1]}`
              : `no mapping from ${va.scheme} to ${bs.map((b) => b.scheme).join(", ")}`
        })
        continue
      }
      const { vb, mapping } = mapped
      pendingB.delete(vb)
      const prepared = SchemeMapping.prepare(mapping)
      const source = SchemeMapping.mapSource(
        prepared,
        Object.fromEntries(va.breakdown.map((r) => [r.key, rowAmount(r)]))
      )
      const target = SchemeMapping.groupTarget(
        prepared,
        Object.fromEntries(vb.breakdown.map((r) => [r.key, rowAmount(r)]))
      )
      const asShares = isPercent(va.rowUnit ?? va.unit) && va.breakdown.every((r) => r.amount !== undefined)
      const labelOf = (key: string) =>
        key === SchemeMapping.UNMAPPED
          ? `No counterpart in ${vb.scheme}`
          : key
              .split("+")
              .map(
                (code) =>
                  registry.schemes[vb.scheme as string]?.categories.find((c) => c.code === code)?.label ??
                  code
              )
              .join(" + ")
      rows.push(
        ...compareRows(
          va,
          vb,
          groupedRows(source.grouped, asShares, labelOf),
          groupedRows(target.grouped, asShares, labelOf)
        )
      )
      mappings.push({
        indicator: id,
        mappingId: mapping.mappingId,
        fromScheme: mapping.fromSchemeId,
        toScheme: mapping.toSchemeId,
        unmapped: source.unmappedCodes,
        noCounterpart: target.noCounterpart
      })
    }
    for (const vb of pendingB) {
      if (as.length === 0) rows.push(...compareRows(undefined, vb, [], vb.breakdown))
      notComparable.push({
        indicator: id,
        scheme: vb.scheme ?? null,
        year: years[1],
        reason: as.length === 0 ? `no value in ${years[0]}` : `no mapping into ${vb.scheme}`
      })
    }
  }
  return { years, rows, mappings, notComparable }
}
