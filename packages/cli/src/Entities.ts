/**
 * Every entity of some read models as of a time filter, for the commands that ask about all of
 * them (a chart's years, a listing): from the rows kept for the filter (ADR 0050), or from the
 * read-model state where the store keeps none.
 *
 * @since 0.3.0
 */
import { EventStore, type Projection, ProjectionCheckpoints } from "@utblick/core"
import { RowFigures } from "@utblick/indicators"
import { EntityRows, ReadModels } from "@utblick/projections"
import { Effect } from "effect"

/**
 * Gives every entity of `models` as of `filter` to the visitor `begin` makes, each with its order
 * in the state (sorted by it, a model's entities come in the order its map lists them), and
 * returns the parts read whole as of the same position. The rows are read through
 * `RowFigures.forEachRow`; where they cannot be (no rows kept, a scan that fails part way),
 * `begin` is called again for a fresh visitor and the read-model state gives every entity in its
 * maps' order.
 *
 * @category getters
 * @since 0.3.0
 */
export const each = (
  filter: Projection.TimeFilter,
  models: EntityRows.Model | ReadonlyArray<EntityRows.Model>,
  begin: () => (row: EntityRows.Row, order: number) => void
) =>
  Effect.gen(function* () {
    const fromRows = yield* RowFigures.forEachRow(
      yield* EventStore.EventStore,
      yield* ProjectionCheckpoints.ProjectionCheckpoints,
      filter,
      models,
      begin()
    )
    if (fromRows !== undefined) return fromRows
    const visit = begin()
    const wanted = new Set(typeof models === "string" ? [models] : models)
    const { whole, rows } = EntityRows.split((yield* ReadModels.run(filter)).state)
    let order = 0
    for (const row of rows) if (wanted.has(row.model)) visit(row, order++)
    return whole
  })
