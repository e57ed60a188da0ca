/**
 * Deterministic synthesis: where the reports give only totals, individual records are made up
 * so that their sums equal the totals exactly. No randomness: the same inputs always give the
 * same records.
 *
 * @since 0.1.0
 */

/**
 * Splits an integer total into integer parts proportional to positive weights, by the largest
 * remainder method (ties go to the earlier part), so the parts always sum to the total exactly.
 *
 * @category constructors
 * @since 0.1.0
 */
export const splitProportionally = (total: number, weights: ReadonlyArray<number>): ReadonlyArray<number> => {
  const sum = weights.reduce((a, b) => a + b, 0)
  const exact = weights.map((w) => (total * w) / sum)
  const parts = exact.map(Math.floor)
  let left = total - parts.reduce((a, b) => a + b, 0)
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i)
  for (const { i } of order) {
    if (left <= 0) break
    parts[i] = (parts[i] ?? 0) + 1
    left -= 1
  }
  return parts
}

/**
 * Varied but deterministic weights for `n` items (3…13), so synthesised amounts are not all equal.
 *
 * @category constructors
 * @since 0.1.0
 */
export const weights = (n: number, salt = 0): ReadonlyArray<number> =>
  Array.from({ length: n }, (_, i) => 3 + (((i + salt) * 7) % 11))

/**
 * Spreads counted labels evenly over a sequence (the label furthest behind its share goes next),
 * e.g. 40 women-led, 77 men-led and 21 shared firms over 138 positions.
 *
 * @category constructors
 * @since 0.1.0
 */
export const interleave = <K extends string>(counts: ReadonlyArray<readonly [K, number]>): ReadonlyArray<K> => {
  const total = counts.reduce((a, [, n]) => a + n, 0)
  const taken = counts.map(() => 0)
  const out: Array<K> = []
  for (let t = 0; t < total; t++) {
    let best = -1
    let bestDeficit = Number.NEGATIVE_INFINITY
    counts.forEach(([, n], k) => {
      const deficit = (n * (t + 1)) / total - (taken[k] ?? 0)
      if ((taken[k] ?? 0) < n && deficit > bestDeficit) {
        best = k
        bestDeficit = deficit
      }
    })
    const entry = counts[best]
    if (entry === undefined) break
    taken[best] = (taken[best] ?? 0) + 1
    out.push(entry[0])
  }
  return out
}

/**
 * A calendar date in `year` for item `i` of `n`, spread over the months; `offsetDays` (0–13)
 * moves it later within the month (a decision follows its application).
 *
 * @category constructors
 * @since 0.1.0
 */
export const dateOf = (year: number, i: number, n: number, offsetDays = 0): string => {
  const month = 1 + Math.floor((i * 12) / Math.max(1, n))
  const day = 1 + ((i * 5) % 14) + offsetDays
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`
}

/**
 * Kronor to öre.
 *
 * @category constructors
 * @since 0.1.0
 */
export const ore = (kronor: number): number => kronor * 100
