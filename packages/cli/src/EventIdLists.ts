/**
 * The ids of the events behind each listed entity, in log order, held compactly.
 *
 * A listing of a large log keeps every id it will print until its first line is written (the
 * lines are sorted by the entities, the ids arrive in log order): 750,000 ids for the grants of one
 * tenant's year at 5,000,000 events. Held as strings joined one by one, they cost about 85 bytes
 * each on V8's heap (the id, and a rope node per join); here their characters go into buffers
 * outside the heap, one byte each, and each id is three numbers (where it starts, its length, the
 * entity's next id): 50 bytes for a UUID.
 *
 * @since 0.2.0
 */

/**
 * The ids gathered for a fixed set of entities (named by key). Ids of other keys are ignored.
 *
 * @category models
 * @since 0.2.0
 */
export interface EventIdLists {
  /** Records that the entity's next event (in log order) has this id. */
  readonly add: (key: string, id: string) => void
  /** How many ids the entity was given. */
  readonly count: (key: string) => number
  /** The entity's first id, if it was given any. */
  readonly first: (key: string) => string | undefined
  /** Every id of the entity in the order given (only the first when made with `everyId: false`). */
  readonly every: (key: string) => ReadonlyArray<string>
  /** The same ids joined by single spaces (`""` when none). */
  readonly joined: (key: string) => string
}

// An id with a character beyond Latin-1 does not fit one byte per character: kept as it is (ids
// are UUIDs in practice; any string is allowed).
const wide = /[\u0100-\uffff]/

// Typed arrays are read only within what was written; `noUncheckedIndexedAccess` cannot know it.
const at = (a: Int32Array<ArrayBuffer>, i: number): number => a[i] ?? -1

// A full array copied into one twice its length.
const grown = <A extends Float64Array | Uint16Array | Int32Array>(full: A, larger: A): A => {
  larger.set(full)
  return larger
}

// The characters of ids go into buffers of a mebibyte; an id longer than this (or than a 16-bit
// length) is kept as a string.
const CHUNK = 1 << 20
const MAX_LENGTH = 0xffff

/**
 * Ids for the entities `keys`; with `everyId: false` only each entity's first id is kept (a table
 * prints the count and the first), with `true` all of them.
 *
 * @category constructors
 * @since 0.2.0
 */
export const make = (keys: Iterable<string>, everyId: boolean): EventIdLists => {
  const index = new Map<string, number>()
  for (const k of keys) if (!index.has(k)) index.set(k, index.size)
  const entities = index.size
  const head = new Int32Array(entities).fill(-1)
  const tail = new Int32Array(entities).fill(-1)
  const counts = new Int32Array(entities)
  // Node i: its characters are length[i] bytes at start[i] (chunk start / CHUNK, at start % CHUNK),
  // next[i] the entity's next node or -1. Chunks are filled in turn and never copied (a doubling
  // buffer held old and new copies, 64 MiB at once for 27 MB of ids).
  let start = new Float64Array(1024)
  let length = new Uint16Array(1024)
  let next = new Int32Array(1024)
  let nodes = 0
  const chunks: Array<Buffer> = []
  let used = CHUNK
  const odd = new Map<number, string>()

  const text = (node: number): string => {
    const kept = odd.get(node)
    if (kept !== undefined) return kept
    const from = start[node] ?? 0
    const chunk = chunks[Math.floor(from / CHUNK)]
    const at = from % CHUNK
    return chunk === undefined ? "" : chunk.toString("latin1", at, at + (length[node] ?? 0))
  }

  const append = (id: string): number => {
    const node = nodes++
    if (node === next.length) {
      start = grown(start, new Float64Array(node * 2))
      length = grown(length, new Uint16Array(node * 2))
      next = grown(next, new Int32Array(node * 2))
    }
    next[node] = -1
    if (id.length > MAX_LENGTH || wide.test(id)) {
      odd.set(node, id)
      return node
    }
    if (used + id.length > CHUNK) {
      chunks.push(Buffer.allocUnsafe(CHUNK))
      used = 0
    }
    const chunk = chunks.length - 1
    start[node] = chunk * CHUNK + used
    length[node] = id.length
    used += chunks[chunk]?.write(id, used, "latin1") ?? 0
    return node
  }

  const ids = (key: string): Array<string> => {
    const e = index.get(key)
    const out: Array<string> = []
    if (e === undefined) return out
    for (let n = at(head, e); n !== -1; n = at(next, n)) out.push(text(n))
    return out
  }

  return {
    add: (key, id) => {
      const e = index.get(key)
      if (e === undefined) return
      counts[e] = at(counts, e) + 1
      const first = at(head, e) === -1
      if (!first && !everyId) return
      const node = append(id)
      if (first) head[e] = node
      else next[at(tail, e)] = node
      tail[e] = node
    },
    count: (key) => {
      const e = index.get(key)
      return e === undefined ? 0 : at(counts, e)
    },
    first: (key) => {
      const e = index.get(key)
      const n = e === undefined ? -1 : at(head, e)
      return n === -1 ? undefined : text(n)
    },
    every: ids,
    joined: (key) => ids(key).join(" ")
  }
}
