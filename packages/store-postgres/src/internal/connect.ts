/**
 * Connecting to PostgreSQL for the package's own pools (a URL given in code or on a command line,
 * or `DATABASE_URL`): a failure is named as the connection, whatever the caller meant to do first.
 */
import { PgClient } from "@effect/sql-pg"
import type { EventStoreError } from "@utblick/core/EventStoreError"
import { Context, Effect, Layer, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { describeSqlError, isRetryableSqlError, unavailable } from "./errors.js"

// A refused login or a URL that does not parse stays wrong however often it is tried; a server
// that is down or starting may be back. `source` says where the URL came from.
const connectError = (error: SqlError, source: string): EventStoreError =>
  unavailable(
    "connect to PostgreSQL",
    `${describeSqlError(error)}; check ${source} and that the server is running`,
    isRetryableSqlError(error)
  )

/**
 * `client`, connected when the layer is built. The driver connects on a client's first query, so
 * a wrong URL, a server that is down or a refused login would otherwise surface as whatever the
 * caller happened to do first ("migrate the log", "restore the log"). One query when the client
 * is made names the connection instead.
 */
export const connected = (
  client: Layer.Layer<PgClient.PgClient | SqlClient.SqlClient, SqlError | EventStoreError>,
  source: string
): Layer.Layer<PgClient.PgClient | SqlClient.SqlClient, EventStoreError> =>
  client.pipe(
    Layer.tap((context) => Context.get(context, SqlClient.SqlClient).unsafe("SELECT 1")),
    // Widening a layer that only fails keeps PgClient in the output type of the recovered layer.
    Layer.catchTag("SqlError", (error) => Layer.effectContext(Effect.fail(connectError(error, source))))
  )

/** A pool of `maxConnections` to `url`, connected when it is made. */
export const urlClient = (url: string | Redacted.Redacted, maxConnections: number) =>
  connected(
    PgClient.layer({ url: typeof url === "string" ? Redacted.make(url) : url, maxConnections }),
    "the URL"
  )
