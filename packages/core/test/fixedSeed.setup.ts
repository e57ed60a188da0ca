// Mutation runs only (vitest.mutation.config.ts): a fixed fast-check seed. `test.prop` names each
// property "<name> (with seed=N)", with a random N unless a global seed is set, so the names of
// Stryker's dry run never matched those of its mutant runs and no property test was run against
// any mutant. With one seed the names (and the generated cases) are the same in every run.
import { fc } from "@fast-check/vitest"

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: 20261205 })
