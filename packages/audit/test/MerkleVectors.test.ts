import { readFileSync } from "node:fs"
import { join } from "node:path"
import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { isCanonicalOf } from "../src/internal/CanonicalCheck.js"
import { canonicalize, type JsonValue } from "@utblick/core/CanonicalJson"
import * as MerkleTree from "../src/MerkleTree.js"
import { listFiles, readJson, SHARED, sharedAvailable, VENDORED } from "./vectorsDir.js"

interface InclusionCase {
  readonly leafIdx: number
  readonly treeSize: number
  readonly root: string
  readonly leafHash: string
  readonly proof: ReadonlyArray<string> | null
  readonly desc: string
  readonly wantErr: boolean
}
interface ConsistencyCase {
  readonly size1: number
  readonly size2: number
  readonly root1: string
  readonly root2: string
  readonly proof: ReadonlyArray<string> | null
  readonly desc: string
  readonly wantErr: boolean
}

const b64 = (s: string) => Buffer.from(s, "base64")
const merkleDir = join(VENDORED, "merkle", "testdata")
const files = (kind: string) => listFiles(join(merkleDir, kind)).filter((f) => f.endsWith(".json"))

describe("vendored vectors", () => {
  it("hold 196 Merkle cases and the upstream licences", () => {
    expect(files("inclusion").length + files("consistency").length).toBe(196)
    for (const dir of ["merkle", "jcs"]) {
      expect(readFileSync(join(VENDORED, dir, "LICENSE"), "utf8")).toContain("Apache License")
      expect(readFileSync(join(VENDORED, dir, "SOURCE-COMMIT"), "utf8")).toMatch(/^[0-9a-f]{40}\s*$/)
    }
  })
  it.runIf(sharedAvailable())("are byte-identical to ../shared/vectors", () => {
    const shared = listFiles(SHARED).filter((f) => f !== "README.md")
    const vendored = listFiles(VENDORED).filter((f) => f !== "README.md")
    expect(vendored).toEqual(shared)
    for (const f of shared)
      expect(readFileSync(join(VENDORED, f)).equals(readFileSync(join(SHARED, f)))).toBe(true)
  })
})

describe("transparency-dev/merkle inclusion vectors", () => {
  for (const file of files("inclusion")) {
    const c = readJson(join(merkleDir, "inclusion", file)) as InclusionCase
    it(`${file}: ${c.desc} → ${c.wantErr ? "rejected" : "verifies"}`, () => {
      const result = MerkleTree.verifyInclusion(
        c.leafIdx,
        c.treeSize,
        b64(c.leafHash),
        (c.proof ?? []).map(b64),
        b64(c.root)
      )
      expect(result.ok).toBe(!c.wantErr)
    })
  }
})

describe("transparency-dev/merkle consistency vectors", () => {
  for (const file of files("consistency")) {
    const c = readJson(join(merkleDir, "consistency", file)) as ConsistencyCase
    it(`${file}: ${c.desc} → ${c.wantErr ? "rejected" : "verifies"}`, () => {
      const result = MerkleTree.verifyConsistency(
        c.size1,
        c.size2,
        (c.proof ?? []).map(b64),
        b64(c.root1),
        b64(c.root2)
      )
      expect(result.ok).toBe(!c.wantErr)
    })
  }
})

describe("RFC 8785 vectors (cyberphone/json-canonicalization) through core's canonicalize", () => {
  const jcsDir = join(VENDORED, "jcs", "testdata")
  for (const file of listFiles(join(jcsDir, "input"))) {
    it(file, () => {
      const input = JSON.parse(readFileSync(join(jcsDir, "input", file), "utf8")) as JsonValue
      const expected = readFileSync(join(jcsDir, "output", file))
      const hex = readFileSync(join(jcsDir, "outhex", file.replace(/\.json$/, ".txt")), "utf8")
      const out = Buffer.from(canonicalize(input), "utf8")
      expect(out.equals(expected)).toBe(true)
      expect(out.toString("hex")).toBe(hex.replace(/\s+/g, "").toLowerCase())
    })
  }
})

describe("the verifier's in-place canonical check agrees with core's canonicalize", () => {
  const jcsDir = join(VENDORED, "jcs", "testdata")
  it("on the RFC 8785 vectors, both ways", () => {
    for (const file of listFiles(join(jcsDir, "input"))) {
      const input = readFileSync(join(jcsDir, "input", file), "utf8")
      const output = readFileSync(join(jcsDir, "output", file), "utf8")
      expect(isCanonicalOf(JSON.parse(output), output)).toBe(true)
      expect(isCanonicalOf(JSON.parse(input), input)).toBe(input === output)
    }
  })
  test.prop([fc.jsonValue()], { numRuns: 300 })("on arbitrary JSON", (value) => {
    const canonical = canonicalize(value as JsonValue)
    expect(isCanonicalOf(JSON.parse(canonical), canonical)).toBe(true)
    const pretty = JSON.stringify(value, null, 1) ?? "null"
    expect(isCanonicalOf(JSON.parse(pretty), pretty)).toBe(pretty === canonical)
  })
})
