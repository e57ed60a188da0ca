/**
 * The embedded HTTP service example: `start` it with a store, or run `src/main.ts`.
 *
 * @since 0.1.0
 */
export * from "./Server.js"
export * from "./Service.js"
