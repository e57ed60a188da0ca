// What the indicator definitions share to build their values. Not part of the public surface
// (`./internal/*` is sealed in the export map): users read values, they do not assemble them.
import type { Context, Definition, IndicatorValue, Row } from "../Definition.js"
import * as Share from "../Share.js"

export { filterOf } from "../YearView.js"

/** The instruments' labels, shared by the funding and allocation breakdowns. */
export const instrumentLabels: Readonly<Record<string, string>> = {
  "project-support": "Project support (projektstöd)",
  "business-support": "Business support (företagsstöd)",
  "commercial-service": "Commercial service (kommersiell service)"
}

/** Breakdown rows that are apportioned shares of the amounts (largest remainder). */
export const shareRows = (
  amounts: Readonly<Record<string, number>>,
  label: (key: string) => string,
  decimals = 1
): ReadonlyArray<Row> =>
  Share.apportion(amounts, decimals).map((p) => ({
    key: p.key,
    label: label(p.key),
    value: p.percent,
    amount: p.amount
  }))

/** One indicator value of the context's year, with every row's unit resolved. */
export const value = (
  definition: Pick<Definition, "id" | "title" | "titleSv" | "unit">,
  context: Context,
  headline: number | null,
  rest: Partial<Pick<IndicatorValue, "breakdown" | "numerator" | "denominator" | "scheme" | "rowUnit">> = {}
): IndicatorValue => ({
  id: definition.id,
  title: definition.title,
  titleSv: definition.titleSv,
  unit: definition.unit,
  year: context.year,
  value: headline,
  // Every row carries its unit, so no output has to guess it (a count among shares, a ratio …).
  breakdown: (rest.breakdown ?? []).map((row) =>
    row.unit === undefined ? { ...row, unit: rest.rowUnit ?? definition.unit } : row
  ),
  ...(rest.scheme === undefined ? {} : { scheme: rest.scheme }),
  ...(rest.rowUnit === undefined ? {} : { rowUnit: rest.rowUnit }),
  ...(rest.numerator === undefined ? {} : { numerator: rest.numerator }),
  ...(rest.denominator === undefined ? {} : { denominator: rest.denominator })
})

/** A definition, checked against the type where it is written (so a typo fails there). */
export const define = (definition: Definition): Definition => definition
