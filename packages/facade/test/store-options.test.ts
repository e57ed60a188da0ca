/**
 * `Store.parse` and `Store.describe`, as the CLI's `--store`, the HTTP example's `UTBLICK_STORE`
 * and a service's own configuration use them: each specification and what it means, written out
 * by hand; and a password never shown.
 */
import { Store } from "@utblick/facade"
import { describe, expect, it } from "vitest"

const specs: ReadonlyArray<readonly [string, Store.StoreOptions | undefined]> = [
  ["memory", { kind: "memory" }],
  ["  memory  ", { kind: "memory" }],
  ["sqlite:./utblick.db", { kind: "sqlite", filename: "./utblick.db" }],
  ["sqlite:x", { kind: "sqlite", filename: "x" }],
  [" sqlite:/var/lib/utblick/log ", { kind: "sqlite", filename: "/var/lib/utblick/log" }],
  ["sqlite:", undefined],
  ["utblick.db", { kind: "sqlite", filename: "utblick.db" }],
  ["./data/lulea.db", { kind: "sqlite", filename: "./data/lulea.db" }],
  ["lulea.sqlite", undefined],
  [
    "postgres://u:p@db.example:5432/utblick",
    { kind: "postgres", url: "postgres://u:p@db.example:5432/utblick" }
  ],
  ["postgresql://db.example/utblick", { kind: "postgres", url: "postgresql://db.example/utblick" }],
  ["postgres://h/db?schema=lulea", { kind: "postgres", url: "postgres://h/db", schema: "lulea" }],
  [
    "postgres://h/db?schema=lulea&sslmode=require",
    { kind: "postgres", url: "postgres://h/db?sslmode=require", schema: "lulea" }
  ],
  [
    "postgres://h/db?sslmode=require&schema=lule%C3%A5",
    { kind: "postgres", url: "postgres://h/db?sslmode=require", schema: "luleå" }
  ],
  ["postgres://h/db?a=1&schema=x&b=2", { kind: "postgres", url: "postgres://h/db?a=1&b=2", schema: "x" }],
  ["postgres://h/db?myschema=x", { kind: "postgres", url: "postgres://h/db?myschema=x" }],
  ["mysql://h/db", undefined],
  ["see postgres://h/db", undefined],
  ["", undefined]
]

describe("Store.parse", () => {
  it.each(specs)("%j → %j", (spec, expected) => {
    expect(Store.parse(spec)).toEqual(expected)
  })
})

describe("Store.describe", () => {
  it.each([
    [{ kind: "memory" }, "memory"],
    [{ kind: "sqlite", filename: "/tmp/x.db" }, "sqlite:/tmp/x.db"],
    [{ kind: "postgres", url: "postgres://utblick:hemligt@db:5432/u" }, "postgres://utblick:***@db:5432/u"],
    [
      { kind: "postgres", url: "postgres://utblick:hemligt@db/u", schema: "lulea" },
      "postgres://utblick:***@db/u (schema lulea)"
    ],
    [{ kind: "postgres", url: "postgres://utblick@db/u" }, "postgres://utblick@db/u"],
    [{ kind: "layer", layer: undefined as never }, "custom layer"]
  ] as ReadonlyArray<readonly [Store.StoreOptions, string]>)("%j → %s", (options, expected) => {
    expect(Store.describe(options)).toBe(expected)
  })
})
