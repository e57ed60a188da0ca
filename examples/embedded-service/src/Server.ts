/**
 * Starting and stopping the service: one `ManagedRuntime` from the store layer, one Node HTTP
 * server on top. The store is chosen by configuration (`UTBLICK_STORE`), read with Effect's
 * `Config`.
 *
 * @since 0.1.0
 */
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import type { EventStore, EventStoreError } from "@utblick/core"
import { Store } from "@utblick/facade"
import { Cause, Config, Effect, Exit, ManagedRuntime, Schema } from "effect"
import { makeListener } from "./Service.js"

/**
 * The store configuration: `UTBLICK_STORE=memory | sqlite:PATH | postgres://…`, by default
 * `sqlite:./utblick-service.db`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const storeConfig: Config.Config<Store.StoreOptions> = Config.schema(
  Schema.String.pipe(
    Schema.check(
      Schema.makeFilter((spec: string) => Store.parse(spec) !== undefined, {
        message: "UTBLICK_STORE must be memory, sqlite:PATH or a postgres:// URL"
      })
    )
  ),
  "UTBLICK_STORE"
).pipe(
  Config.withDefault("sqlite:./utblick-service.db"),
  // The filter above has accepted the spec, so parse cannot return undefined here.
  Config.map((spec) => Store.parse(spec)!)
)

/**
 * The port configuration: `PORT`, by default 8080 (0 picks a free port).
 *
 * @category constructors
 * @since 0.1.0
 */
export const portConfig: Config.Config<number> = Config.schema(
  // Config.Port refuses 0, which is how a test or a supervisor asks for any free port.
  Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 65535 }, { message: "PORT must be 0–65535" }))),
  "PORT"
).pipe(Config.withDefault(8080))

/**
 * Options of {@link start}.
 *
 * @category models
 * @since 0.1.0
 */
export interface StartOptions {
  readonly store: Store.StoreOptions
  /** 0 picks a free port (what the tests do). */
  readonly port: number
  readonly host?: string
}

/**
 * A running service.
 *
 * @category models
 * @since 0.1.0
 */
export interface Running {
  readonly url: string
  readonly port: number
  readonly server: Server
  readonly runtime: ManagedRuntime.ManagedRuntime<EventStore.EventStore, EventStoreError.EventStoreError>
  /** Stops accepting connections, waits for open requests, then closes the store. */
  readonly close: () => Promise<void>
}

/**
 * Opens the store and starts listening. Rejects with the store's `EventStoreError` when it
 * cannot be opened, before any port is bound.
 *
 * @category constructors
 * @since 0.1.0
 */
export const start = async (options: StartOptions): Promise<Running> => {
  const runtime = ManagedRuntime.make(Store.layer(options.store))
  // Open the store now, so a bad configuration fails at start rather than on the first request.
  const opened = await runtime.runPromiseExit(Effect.void)
  if (Exit.isFailure(opened)) {
    await runtime.dispose()
    const failure = Cause.findErrorOption(opened.cause)
    throw failure._tag === "Some" ? failure.value : Cause.squash(opened.cause)
  }
  const server = createServer(makeListener(runtime, options.store))
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve())
  })
  const { port, address } = server.address() as AddressInfo
  let closing: Promise<void> | undefined
  return {
    url: `http://${address.includes(":") ? `[${address}]` : address}:${port}`,
    port,
    server,
    runtime,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeIdleConnections()
      }).then(() => runtime.dispose())
      return closing
    }
  }
}
