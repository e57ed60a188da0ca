/**
 * `@utblick/facade`: Utblick for services that do not use Effect — `createUtblick` returns plain
 * async functions over one store and rejects with `UtblickError`, whose `code` callers switch on.
 * The Effect-level halves (`Commands.execute`, `Queries.*`, `Store.layer`) are exported too.
 *
 * @since 0.1.0
 */
export * as Commands from "./Commands.js"
export * as Queries from "./Queries.js"
export * as Store from "./Store.js"
export type { CommandInput, ExecuteResult } from "./Commands.js"
export { createUtblick, type CreateOptions, type Utblick } from "./Utblick.js"
export { type ErrorCode, fromCause, fromError, isUtblickError, UtblickError } from "./UtblickError.js"
