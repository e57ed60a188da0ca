/**
 * What the verifier reads records through, whatever stores them: a module of its own so that
 * the chunked verifier (`Chunks`) and the index check (`IndexColumns`), which it runs, both
 * depend on it rather than on each other.
 *
 * @since 0.4.0
 */

/**
 * Reads the records at positions `[from, to)` in order, calling `each` until it returns false.
 *
 * @since 0.2.0
 */
export interface RowSource {
  readonly read: (
    from: number,
    to: number,
    each: (canonical: string, prevHash: string, hash: string, row: ReadonlyArray<unknown>) => boolean
  ) => void
}
