// Mutation runs only (vitest.mutation.config.ts): one seed for every property test, so that its
// name, which carries the seed, is the same in each mutant's run (docs/reference/mutation.md);
// and the cap on cases (UTBLICK_MUTATION_NUM_RUNS) for properties that name no count of their own
// (those that do pass it through `runs`, test/numRuns.ts: an explicit count overrides this one).
import { fc } from "@fast-check/vitest"
import { numRunsCap } from "./numRuns.js"

const numRuns = numRunsCap()
fc.configureGlobal(numRuns === undefined ? { seed: 20_261_205 } : { seed: 20_261_205, numRuns })
