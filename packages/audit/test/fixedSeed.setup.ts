// Mutation runs only (vitest.mutation.config.ts): one seed for every property test, so that its
// name, which carries the seed, is the same in each mutant's run (docs/reference/mutation.md);
// the cap on cases (UTBLICK_MUTATION_NUM_RUNS) for properties that name no count of their own
// (those that do pass it through `runs`, test/numRuns.ts: an explicit count overrides this one);
// and no shrinking: a mutant is killed by the first failing case, and shrinking it (hundreds of
// runs of a large generated envelope) only costs time.
import { fc } from "@fast-check/vitest"
import { numRunsCap } from "./numRuns.js"

const numRuns = numRunsCap()
fc.configureGlobal({ seed: 20_261_205, endOnFailure: true, ...(numRuns === undefined ? {} : { numRuns }) })
