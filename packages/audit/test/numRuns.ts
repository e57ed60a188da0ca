/**
 * How many cases a property test runs. Ordinary runs (`pnpm test`) run the count each test asks
 * for. Mutation runs (vitest.mutation.config.ts) set `UTBLICK_MUTATION_NUM_RUNS`, which caps it:
 * the properties of the canonical scan and of the record templates ask for 400 to 2000 cases, and
 * ran for every mutant at about 20 s each (docs/reference/mutation.md). An explicit `numRuns`
 * overrides `fc.configureGlobal`'s, so a test that names its count passes it through `runs`.
 */
const cap = (): number | undefined => {
  const raw = process.env.UTBLICK_MUTATION_NUM_RUNS
  if (raw === undefined || !/^[1-9][0-9]*$/.test(raw)) return undefined
  return Number(raw)
}

/** `n`, or the mutation runs' cap when it is lower. */
export const runs = (n: number): number => {
  const c = cap()
  return c === undefined ? n : Math.min(n, c)
}

/** The cap for property tests that name no count (fast-check's default is 100), if one is set. */
export const numRunsCap = cap
