/**
 * The root `utblick` command and its shared flags; subcommands read them with `yield* root`.
 *
 * @since 0.1.0
 */
import { Config } from "effect"
import { Command, Flag } from "effect/cli"
import { DEFAULT_STORE } from "./Store.js"

/**
 * The root command (without subcommands; `Cli.ts` attaches them). The store is chosen by `--store`,
 * else by `UTBLICK_STORE` (so a shell or service sets it once), else `./utblick.db`.
 *
 * @category verification
 * @since 0.1.0
 */
export const root = Command.make("utblick").pipe(
  Command.withSharedFlags({
    store: Flag.String("store").pipe(
      Flag.withDescription(
        "The log: sqlite:PATH (default ./utblick.db) or postgres://user:pass@host/db; the UTBLICK_STORE environment variable sets it when the flag is absent"
      ),
      Flag.withFallbackConfig(Config.String("UTBLICK_STORE")),
      Flag.withDefault(DEFAULT_STORE)
    )
  }),
  Command.withDescription(
    "Utblick: the record of a municipality's or region's international work and regional development funding"
  ),
  Command.withExamples([
    { command: "utblick init", description: "Create ./utblick.db" },
    { command: "utblick report --year 2022 --tenant region-norrbotten", description: "Indicators for 2022" }
  ])
)
