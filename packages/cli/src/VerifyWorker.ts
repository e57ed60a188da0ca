/**
 * The entry of `verify`'s worker threads in the bundled executable: tsup writes it to
 * `dist/VerifyWorker.js`, beside `dist/utblick.js`, where `ParallelVerify` looks for it.
 *
 * @since 0.2.0
 */
import { ParallelVerify } from "@utblick/audit"

ParallelVerify.serveWorker()
