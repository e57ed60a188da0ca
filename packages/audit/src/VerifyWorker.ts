/**
 * The entry module of a verification worker thread (see `ParallelVerify`). Bundlers that put
 * `ParallelVerify` into one file need a worker entry of their own beside it, named
 * `VerifyWorker.js`, that calls `ParallelVerify.serveWorker()` (the CLI's build does).
 *
 * @since 0.2.0
 */
import { serveWorker } from "./ParallelVerify.js"

serveWorker()
