/**
 * Every command of the domain behind one entry point (decode by `_tag`, route to the decider,
 * summarise what was appended), with `Register` for registry facts. It lives in core
 * (`@utblick/core/domain/Commands`), where the examples' seed histories and the CLI use it too;
 * the facade re-exports it as the Effect-level half of its API, which `createUtblick` runs on a
 * `ManagedRuntime`.
 *
 * @since 0.1.0
 */
export * from "@utblick/core/domain/Commands"
