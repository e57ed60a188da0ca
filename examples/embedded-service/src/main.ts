/**
 * Runs the service: `UTBLICK_STORE` picks the store, `PORT` the port.
 *
 * @since 0.1.0
 */
import { Store } from "@utblick/facade"
import { Config, Effect } from "effect"
import { portConfig, start, storeConfig } from "./Server.js"

// A Config is an Effect: yielding it reads the environment (ConfigProvider.fromEnv by default).
const { store, port } = await Effect.runPromise(
  Effect.gen(function* () {
    return yield* Config.all({ store: storeConfig, port: portConfig })
  })
).catch((error: unknown) => {
  console.error(`configuration error: ${error instanceof Error ? error.message : String(error)}`)
  return process.exit(2)
})
const running = await start({ store, port, host: process.env["HOST"] ?? "127.0.0.1" })
console.log(`utblick embedded service on ${running.url} (store: ${Store.describe(store)})`)

const stop = () => {
  console.log("stopping…")
  running.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    }
  )
}
process.once("SIGINT", stop)
process.once("SIGTERM", stop)
