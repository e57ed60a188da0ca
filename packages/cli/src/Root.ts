/**
 * The root `utblick` command and its shared flags; subcommands read them with `yield* root`.
 *
 * @since 0.1.0
 */
import { Command, Flag } from "effect/cli"
import { DEFAULT_STORE } from "./Store.js"

/**
 * The root command (without subcommands; `Cli.ts` attaches them).
 *
 * @category constructors
 * @since 0.1.0
 */
export const root = Command.make("utblick").pipe(
  Command.withSharedFlags({
    store: Flag.String("store").pipe(
      Flag.withDescription("The log: sqlite:PATH (default ./utblick.db) or postgres://user:pass@host/db"),
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
