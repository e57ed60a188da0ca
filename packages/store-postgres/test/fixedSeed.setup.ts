// Mutation runs only (vitest.mutation.config.ts): one seed for every property test, so that its
// name, which carries the seed, is the same in each mutant's run (docs/reference/mutation.md).
import { fc } from "@fast-check/vitest"

fc.configureGlobal({ seed: 20_261_205 })
