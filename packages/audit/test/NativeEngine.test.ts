/**
 * The native engine (ADR 0052) against independent references: the exact path (`JSON.parse` and
 * `isCanonicalOf`, with core's `canonicalize` making the records) for the canonical check, and
 * `node:crypto` with the RFC 9162 formulas written out here for the chain, the leaves and the
 * range. Whatever the engine accepts, the exact path accepts with the same fields; every chain
 * hash and root is the one the references compute.
 */

import { spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { appendLeaf, leafOf, makeLeafRange } from "../src/internal/LeafHashing.js"
import {
  disabledBy,
  EngineRange,
  Field,
  isAvailable,
  makeFields,
  type NativeEngine,
  open,
  proves,
  readFields
} from "../src/internal/NativeEngine.js"
import {
  envelopeArbitrary,
  envelopeFieldsOf,
  exactFields,
  freshFields,
  hex64,
  safeCanonical
} from "./envelopeReference.js"
import { runs } from "./numRuns.js"

const sha = (...parts: ReadonlyArray<Uint8Array>): Buffer => {
  const h = createHash("sha256")
  for (const p of parts) h.update(p)
  return h.digest()
}

// RFC 9162 §2.1.1, written out: MTH of n leaves splits at the largest power of two below n.
const mth = (leaves: ReadonlyArray<Buffer>): Buffer => {
  if (leaves.length === 0) return sha()
  if (leaves.length === 1) return sha(Buffer.from([0]), leaves[0] as Buffer)
  let k = 1
  while (k * 2 < leaves.length) k *= 2
  return sha(Buffer.from([1]), mth(leaves.slice(0, k)), mth(leaves.slice(k)))
}

// The root of the engine's range: its subtree roots folded from the right.
const rootOf = (engine: NativeEngine): Buffer => {
  const [, ...roots] = engine.range() as [number, ...Array<string>]
  if (roots.length === 0) return sha()
  let node: Buffer = Buffer.from(roots[roots.length - 1] as string, "latin1")
  for (let i = roots.length - 2; i >= 0; i--)
    node = sha(Buffer.from([1]), Buffer.from(roots[i] as string, "latin1"), node)
  return node
}

// What an accepted scan wrote, read back by the verifier's reader (its values are compared with
// the exact path's, which knows nothing of the engine).
const fieldsRead = (text: string, f: Float64Array): Record<string, unknown> => {
  const out = freshFields()
  readFields(f, text, out)
  return { ...out }
}

const envelope = envelopeArbitrary

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it must find
const PLAIN = /^[^\x00-\x1f\\\ud800-\udfff]*$/
// The envelope's numbers must be plain integers (1 to 15 digits, written as such); the payload's
// other numbers are listed for JavaScript to prove, at most 8 of them.
const plainInteger = (n: unknown): boolean =>
  typeof n === "number" && Number.isInteger(n) && Math.abs(n) < 1e15
const otherNumbers = (t: string): number =>
  (t.replace(/"[^"]*"/g, '""').match(/(?<=[:,[])-?[0-9][0-9.eE+-]*/g) ?? []).filter(
    (token) => !/^-?(?:0|[1-9][0-9]{0,14})$/.test(token)
  ).length

const available = isAvailable()
const enginePath = fileURLToPath(new URL("../native/build/engine.node", import.meta.url))
// A record the engine proves: keys in order, plain strings and integers.
const proven = {
  origin: "o",
  position: 0,
  recordedAt: "r",
  streamId: "s",
  streamPrev: null,
  streamVersion: 1,
  v: 1
}
// CI must have the engine; a machine without a C compiler verifies on the JavaScript path.
const required = process.env["CI"] !== undefined || process.env["UTBLICK_NATIVE_REQUIRED"] !== undefined

// Where it is built it must load, unless the environment turns it off.
const built = existsSync(enginePath)
const off = disabledBy(process.env)

it.skipIf(!(required || built) || off)("the native engine is built and loads here", () => {
  expect(available).toBe(true)
})

it.runIf(off)("is off under UTBLICK_NATIVE=0, built or not", () => {
  expect(available).toBe(false)
  expect(open(makeFields())).toBeUndefined()
})

it("is turned off by UTBLICK_NATIVE=0 alone", () => {
  expect(disabledBy({ UTBLICK_NATIVE: "0" })).toBe(true)
  for (const value of ["1", "", "false", "00", undefined])
    expect(disabledBy({ UTBLICK_NATIVE: value }), String(value)).toBe(false)
  expect(disabledBy({ OTHER: "0" })).toBe(false)
})

describe.skipIf(!available)("NativeEngine", () => {
  const withEngine = () => {
    const fields = makeFields()
    const engine = open(fields) as NativeEngine
    return { fields, engine }
  }

  // The other index columns' fields (ADR 0053), only reported: the place of a string value, or -1.
  const indexed = fc.record(
    {
      eventId: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
      tenant: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 2 })),
      occurredAt: fc.string()
    },
    { requiredKeys: [] }
  )
  const spans = [
    ["eventId", Field.EVENT_ID_START],
    ["type", Field.TYPE_START],
    ["tenant", Field.TENANT_START],
    ["occurredAt", Field.OCCURRED_START]
  ] as const
  // Envelopes the engine proves: plain text (no escapes), integers, a small payload.
  const plain = fc.string({ unit: fc.constantFrom("a", "Z", "0", "-", ":", " ", "å", "€", "😀") })
  const provable = fc.record({
    v: fc.constant(1),
    position: fc.nat(),
    origin: plain,
    recordedAt: plain,
    streamId: plain,
    streamVersion: fc.nat({ max: 1000 }),
    streamPrev: fc.constant(null),
    payload: fc.dictionary(plain, fc.oneof(plain, fc.integer()), { maxKeys: 3 }),
    type: fc.oneof(plain, fc.integer(), fc.constant(null))
  })
  test.prop([provable, indexed], { numRuns: runs(400) })(
    "places eventId, type, tenant and occurredAt when they are strings, and gives -1 when not",
    (body, more) => {
      const text = safeCanonical({ ...body, ...more })
      fc.pre(text !== undefined)
      const t = text as string
      const { fields, engine } = withEngine()
      fc.pre(proves(engine, fields, t))
      const exact = exactFields(t) as Record<string, unknown>
      for (const [name, slot] of spans) {
        const value = exact[name]
        if (typeof value === "string") expect(t.slice(fields[slot], fields[slot + 1])).toBe(value)
        else expect([fields[slot], fields[slot + 1]]).toEqual([-1, -1])
      }
    }
  )

  it("needs 36 slots: 20 fields and 8 decimal spans of two", () => {
    expect(makeFields().length).toBe(36)
    expect(() => open(new Float64Array(35))).toThrow("open needs a Float64Array of at least 36 fields")
    expect(open(new Float64Array(36))).toBeDefined()
  })

  it("forgets the places of the record before", () => {
    const { fields, engine } = withEngine()
    const envelope = { v: 1, origin: "o", recordedAt: "r", streamId: "s", streamPrev: null, payload: {} }
    const first = safeCanonical({ ...envelope, position: 0, streamVersion: 1, eventId: "e", type: "t", tenant: "x", occurredAt: "d" })
    const second = safeCanonical({ ...envelope, position: 1, streamVersion: 2 })
    expect(proves(engine, fields, first as string)).toBe(true)
    expect((first as string).slice(fields[Field.TENANT_START], fields[Field.TENANT_END])).toBe("x")
    expect(proves(engine, fields, second as string)).toBe(true)
    for (const [, slot] of spans) expect([fields[slot], fields[slot + 1]]).toEqual([-1, -1])
  })

  test.prop([envelope], { numRuns: runs(400) })(
    "proves a canonical envelope of plain strings and numbers, with the exact path's fields",
    (body) => {
      const text = safeCanonical(body)
      fc.pre(text !== undefined)
      const t = text as string
      const { fields, engine } = withEngine()
      const accepted = proves(engine, fields, t)
      if (accepted)
        expect(fieldsRead(t, fields)).toEqual(envelopeFieldsOf(exactFields(t) as Record<string, unknown>))
      if (
        PLAIN.test(t) &&
        otherNumbers(t) <= 8 &&
        plainInteger(body.v) &&
        plainInteger(body.position) &&
        plainInteger(body.streamVersion)
      )
        expect(accepted).toBe(true)
    }
  )

  test.prop([envelope, fc.nat(), fc.nat(), fc.string({ minLength: 0, maxLength: 3 })], {
    numRuns: runs(1500)
  })("accepts an altered text only if the exact path does, with the same fields", (body, at, cut, insert) => {
    const text = safeCanonical(body)
    fc.pre(text !== undefined)
    const t = text as string
    const i = at % (t.length + 1)
    const altered = t.slice(0, i) + insert + t.slice(i + (cut % 3))
    const { fields, engine } = withEngine()
    if (!proves(engine, fields, altered)) return
    const exact = exactFields(altered)
    expect(exact).toBeDefined()
    expect(fieldsRead(altered, fields)).toEqual(envelopeFieldsOf(exact as Record<string, unknown>))
  })

  // Token soup: texts made of JSON's own characters and the envelope's keys, mostly not JSON.
  const soup = fc
    .array(
      fc.constantFrom(
        "{",
        "}",
        "[",
        "]",
        '"',
        ":",
        ",",
        "0",
        "1",
        "-",
        ".",
        "e",
        "E",
        "+",
        "a",
        "é",
        "\\",
        " ",
        "\u0000",
        "\ud800",
        "true",
        "null",
        '"v"',
        '"origin"',
        '"position"',
        '"recordedAt"',
        '"streamId"',
        '"streamPrev"',
        '"streamVersion"'
      ),
      { maxLength: 60 }
    )
    .map((parts) => parts.join(""))
  // Soup as the payload of an otherwise proven envelope: accepted exactly when it is a value.
  const inEnvelope = soup.map(
    (payload) =>
      `{"origin":"o","payload":${payload},"position":0,"recordedAt":"r","streamId":"s","streamPrev":null,"streamVersion":1,"v":1}`
  )
  test.prop([fc.oneof(soup, fc.string({ unit: "binary", maxLength: 80 }), inEnvelope)], {
    numRuns: runs(3000)
  })("accepts garbage only where the exact path does, with the same fields", (text) => {
    const { fields, engine } = withEngine()
    if (!proves(engine, fields, text)) return
    const exact = exactFields(text)
    expect(exact).toBeDefined()
    expect(fieldsRead(text, fields)).toEqual(envelopeFieldsOf(exact as Record<string, unknown>))
  })

  it("refuses what it cannot prove: escapes, numbers not in their ECMAScript form, deep nesting", () => {
    const base = (payload: string) =>
      `{"origin":"o","payload":${payload},"position":0,"recordedAt":"r","streamId":"s","streamPrev":null,"streamVersion":1,"v":1}`
    const { engine, fields } = withEngine()
    expect(engine.scan(base("1"))).toBe(true)
    expect(fieldsRead(base("1"), fields)).toEqual({
      v: 1,
      position: 0,
      origin: "o",
      recordedAt: "r",
      streamId: "s",
      streamVersion: 1,
      streamPrev: null
    })
    for (const payload of [
      '"a\\"b"',
      "1e21",
      "1.50",
      "1E5",
      "01",
      "-0",
      "-",
      "+1",
      ".5",
      `[${Array.from({ length: 9 }, (_, i) => `${i}.5`).join(",")}]`,
      '"\u0001"',
      '"\ud800"',
      '"\udfff"',
      `${"[".repeat(64)}${"]".repeat(64)}`,
      '{"":1,"":2}'
    ])
      expect(proves(engine, fields, base(payload)), payload).toBe(false)
    // Numbers that are their value's ECMAScript form, decimals included (at most 8 besides integers).
    for (const payload of [
      "1.5",
      "-0.5",
      "1e-7",
      "1e+21",
      "1234567890123456",
      `[${Array.from({ length: 8 }, (_, i) => `${i}.5`).join(",")},7,-3]`
    ])
      expect(proves(engine, fields, base(payload)), payload).toBe(true)
    // Not the envelope's numbers: those must be plain integers.
    expect(proves(engine, fields, base("1").replace('"v":1', '"v":1.5'))).toBe(false)
    expect(engine.scan(base(`${"[".repeat(63)}${"]".repeat(63)}`))).toBe(true)
    expect(engine.scan(base("123456789012345"))).toBe(true)
    expect(engine.scan(base("-123456789012345"))).toBe(true)
    expect(engine.scan(base('{"b":1,"a":2}'))).toBe(false)
    expect(engine.scan(base('{"a":1,"a":2}'))).toBe(false)
    expect(engine.scan(base('{"":1,"a":[true,false,null,"é"]}'))).toBe(true)
    expect(engine.scan(`${base("1")} `)).toBe(false)
    // Escapes in an envelope field would be read unescaped by a slice: refused before any scan.
    expect(engine.scan(base("1").replace('"origin":"o"', '"origin":"a\\\\b"'))).toBe(false)
    expect(engine.scan(base("1").replace('"streamId":"s"', '"streamId":"\\n"'))).toBe(false)
    expect(engine.scan(base("1").replace(',"v":1', ""))).toBe(false)
    expect(engine.scan(base("1").replace('"streamPrev":null', '"streamPrev":1'))).toBe(false)
    expect(engine.scan(base("1").replace('"origin":"o"', '"origin":1'))).toBe(false)
  })

  test.prop(
    [
      fc.array(
        fc.tuple(
          fc.oneof(
            fc.string({ unit: "grapheme", maxLength: 40 }),
            fc.string({ unit: "binary", maxLength: 40 })
          ),
          fc.boolean()
        ),
        { minLength: 1, maxLength: 70 }
      ),
      hex64
    ],
    { numRuns: runs(200) }
  )("chains, accepts and folds as SHA-256 and RFC 9162 do", (records, genesis) => {
    const { engine } = withEngine()
    expect(engine.start(genesis)).toBe(true)
    let prev: Buffer = Buffer.from(genesis, "hex")
    const digests: Array<Buffer> = []
    for (const [text, viaScan] of records) {
      // A text the scan refuses leaves the record to `load`; both must hash the same bytes.
      if (!(viaScan && engine.scan(text))) expect(engine.load(text)).toBe(true)
      const digest = sha(prev, Buffer.from(text, "utf8"))
      const hex = digest.toString("hex")
      expect(engine.chain(hex.toUpperCase()) && /[a-f]/.test(hex)).toBe(false)
      const wrong = (hex[0] === "0" ? "1" : "0") + hex.slice(1)
      expect(engine.chain(wrong)).toBe(false)
      expect(engine.chain(`${hex}0`)).toBe(false)
      expect(engine.chain(hex)).toBe(true)
      engine.accept()
      digests.push(digest)
      prev = digest
    }
    expect((engine.range() as Array<unknown>)[0]).toBe(records.length)
    expect(rootOf(engine).equals(mth(digests))).toBe(true)
  })

  // Code units at the edges of UTF-8's one-, two- and three-byte forms.
  const edges = fc.string({
    unit: fc.constantFrom(
      "a",
      "\u007f",
      "\u0080",
      "é",
      "\u07ff",
      "\u0800",
      "€",
      "ᚠ",
      "\ud7ff",
      "\ue000",
      "\uffff"
    )
  })
  test.prop([edges, edges, hex64], { numRuns: runs(200) })(
    "hashes the UTF-8 of a record it proved, as Node does",
    (origin, note, genesis) => {
      const text = safeCanonical({
        origin,
        payload: { note },
        position: 0,
        recordedAt: "r",
        streamId: "é€ᚠ",
        streamPrev: null,
        streamVersion: 1,
        v: 1
      }) as string
      const { engine } = withEngine()
      engine.start(genesis)
      fc.pre(engine.scan(text))
      expect(engine.chain(sha(Buffer.from(genesis, "hex"), Buffer.from(text, "utf8")).toString("hex"))).toBe(
        true
      )
    }
  )

  test.prop(
    [
      fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 40 }),
      fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { maxLength: 40 })
    ],
    {
      numRuns: runs(100)
    }
  )("continues a range it was given", (first, second) => {
    // The leaves of `first` folded by one engine, handed over, and `second` added by another.
    const a = withEngine().engine
    a.start("00".repeat(32))
    const digests: Array<Buffer> = []
    let prev: Buffer = Buffer.alloc(32)
    const add = (engine: NativeEngine, bytes: Uint8Array) => {
      const text = Buffer.from(bytes).toString("hex")
      engine.load(text)
      const digest = sha(prev, Buffer.from(text))
      expect(engine.chain(digest.toString("hex"))).toBe(true)
      engine.accept()
      digests.push(digest)
      prev = digest
    }
    for (const bytes of first) add(a, bytes)
    const [size, ...roots] = a.range() as [number, ...Array<string>]
    const b = withEngine().engine
    expect(b.setRange(size, roots)).toBe(true)
    expect(b.start(prev.toString("hex"))).toBe(true)
    for (const bytes of second) add(b, bytes)
    expect(rootOf(b).equals(mth(digests))).toBe(true)
  })

  test.prop(
    [fc.nat({ max: 9 }), fc.array(fc.constantFrom("engine", "javascript", "read"), { maxLength: 40 })],
    {
      numRuns: runs(150)
    }
  )(
    "hands its range between the engine and JavaScript's appends, leaving the seed as it was",
    (seeded, steps) => {
      // The leaves' event digests, made here; the root is RFC 9162's MTH over all of them.
      const digests: Array<Buffer> = []
      let prev: Buffer = Buffer.alloc(32)
      const next = (): { text: string; digest: Buffer } => {
        const text = `record ${digests.length}`
        const digest = sha(prev, Buffer.from(text))
        digests.push(digest)
        prev = digest
        return { text, digest }
      }
      const seed = makeLeafRange()
      for (let i = 0; i < seeded; i++) appendLeaf(seed, leafOf(next().digest.toString("latin1")))
      const seedStack = seed.stack.slice()
      const { engine } = withEngine()
      const range = new EngineRange(engine, seed)
      for (const step of steps) {
        if (step === "read") {
          expect(range.size).toBe(digests.length)
          continue
        }
        const before = prev.toString("hex")
        const { text, digest } = next()
        if (step === "javascript") appendLeaf(range, leafOf(digest.toString("latin1")))
        else {
          engine.start(before)
          engine.load(text)
          expect(engine.chain(digest.toString("hex"))).toBe(true)
          range.accept()
        }
      }
      expect(range.size).toBe(digests.length)
      const roots: Array<Buffer> = range.stack.map((r) => Buffer.from(r, "latin1"))
      const root =
        roots.length === 0 ? sha() : roots.reduceRight((node, left) => sha(Buffer.from([1]), left, node))
      expect(root.equals(mth(digests))).toBe(true)
      expect(seed.stack).toEqual(seedStack)
    }
  )

  it("refuses a previous hash or roots it cannot take, and keeps what it had", () => {
    const { engine } = withEngine()
    for (const bad of ["", "0".repeat(63), "0".repeat(65), "G".repeat(64), "A".repeat(64)])
      expect(engine.start(bad), bad).toBe(false)
    expect(engine.setRange(1, ["x".repeat(31)])).toBe(false)
    // One root per binary one of the size, nothing else (2 leaves: one root; 3: two; 1.5: none).
    expect(engine.setRange(2, ["x".repeat(32), "y".repeat(32)])).toBe(false)
    expect(engine.setRange(3, ["x".repeat(32)])).toBe(false)
    expect(engine.setRange(1.5, ["x".repeat(32)])).toBe(false)
    expect(engine.setRange(-1, [])).toBe(false)
    expect(engine.setRange(Number.NaN, [])).toBe(false)
    expect(
      engine.setRange(
        2 ** 65,
        Array.from({ length: 65 }, () => "x".repeat(32))
      )
    ).toBe(false)
    expect(engine.range()).toEqual([0])
    expect(engine.setRange(3, ["x".repeat(32), "y".repeat(32)])).toBe(true)
    expect(engine.range()).toEqual([3, "x".repeat(32), "y".repeat(32)])
    // A range JavaScript made inconsistent is a defect: the engine is not handed it.
    const broken = new EngineRange(engine, { size: 2, stack: ["x".repeat(32), "y".repeat(32)] })
    expect(() => broken.accept()).toThrow("EngineRange: 2 roots are no compact range of 2 leaves")
    expect(engine.range()).toEqual([3, "x".repeat(32), "y".repeat(32)])
  })

  it("stays safe to call through a function kept apart from its engine's object", () => {
    // The engine is freed only when its object and every function are collected: a function
    // called after its object was collected and finalized still has its engine. In a process of
    // its own, where a full collection can be asked for.
    const program = `
      import { createRequire } from "node:module"
      const engines = createRequire(import.meta.url)(${JSON.stringify(enginePath)})
      const detached = () => {
        const engine = engines.open(new Float64Array(new ArrayBuffer(36 * 8)))
        return { start: engine.start, scan: engine.scan, collected: new WeakRef(engine) }
      }
      const { start, scan, collected } = detached()
      // WeakRef#deref keeps its target to the end of the job: collect in a job that has not asked.
      const tick = () => new Promise((resolve) => setImmediate(resolve))
      for (let i = 0; i < 10; i++) {
        await tick()
        globalThis.gc()
        await tick()
        if (collected.deref() === undefined) break
      }
      console.log(collected.deref() === undefined, start("00".repeat(32)), scan(${JSON.stringify(JSON.stringify(proven))}))
    `
    const result = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", program], {
      encoding: "utf8"
    })
    expect(result.stderr).toBe("")
    expect(result.stdout.trim()).toBe("true true true")
  })
})
