#!/usr/bin/env node
/**
 * The `utblick` executable.
 *
 * @since 0.1.0
 */
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Effect } from "effect"
import { main } from "./Cli.js"

Effect.runPromise(main(process.argv.slice(2)).pipe(Effect.provide(NodeServices.layer))).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    console.error(error)
    process.exitCode = 2
  }
)
