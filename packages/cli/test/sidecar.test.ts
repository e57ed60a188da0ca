import { join } from "node:path"
import { describe, expect, it } from "vitest"
import * as Sidecar from "../src/Sidecar.js"
import * as Store from "../src/Store.js"

describe("operator files per log", () => {
  it("two PostgreSQL logs used from one directory get folders of their own; a SQLite file keeps its own", () => {
    const url = "postgres://u:p@db.example:5432/utblick"
    const a = Sidecar.directory(url, "audit.lulea.example/utblick")
    const b = Sidecar.directory(url, "audit.pitea.example/utblick")
    expect(a).not.toBe(b)
    expect(a.startsWith(join(process.cwd(), ".utblick"))).toBe(true)
    // Origins differing only in characters a folder name cannot hold still differ.
    expect(Sidecar.originFolder("a/b")).not.toBe(Sidecar.originFolder("a_b"))
    expect(Store.keyStoreFile(url, "audit.lulea.example/utblick")).toBe(join(a, "keys.db"))
    expect(Sidecar.directory("sqlite:/data/lulea.db", "whatever")).toBe("/data/lulea.db.utblick")
  })

  it("?schema= picks the PostgreSQL schema and never reaches the driver's URL", () => {
    expect(Store.parse("postgres://u:p@h/db?schema=lulea&sslmode=require")).toEqual({
      kind: "postgres",
      url: "postgres://u:p@h/db?sslmode=require",
      schema: "lulea"
    })
    expect(Store.describe(Store.parse("postgres://u:p@h/db?schema=lulea") as Store.StoreSpec)).toBe(
      "postgres://u:***@h/db (schema lulea)"
    )
  })
})
