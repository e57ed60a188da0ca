// Canonical JSON and the hash chain against values written out by hand (mutation testing found
// these unpinned). The digests were computed outside this code, with Python's hashlib:
//   hashlib.sha256(bytes(32) + b'{}').hexdigest()
//   hashlib.sha256(bytes.fromhex('ab' * 32) + '{"a":"€"}'.encode()).hexdigest()
//   hashlib.sha256(bytes.fromhex('ab' * 32) + ('å' * 40000 + 'x').encode()).hexdigest()
import { CanonicalJson, HashChain } from "@utblick/core"
import { describe, expect, it } from "vitest"

const GENESIS_EMPTY_OBJECT = "fb1634c4e6cd4b1f1afe3ce2d6ef080f7ac5d1f357d723ad4dfca782733b62db"
const AB_EURO = "9869480475d8dc551b21e7cdb8cd4b6f01ec10a3c189abe7bce5924e2f72dce2"
const AB_LONG = "c9964c4ad7281245dccc069856b6ef7c9180dfd9e9a4f3aa772f45071b17a36e"

describe("canonical JSON, by hand", () => {
  it("writes members in key order, separated by commas, skipping undefined members", () => {
    expect(CanonicalJson.canonicalize({ b: 2, a: 1, c: [true, false, null, "x"] })).toBe('{"a":1,"b":2,"c":[true,false,null,"x"]}')
    expect(CanonicalJson.canonicalize({ a: undefined, b: 1 } as unknown as CanonicalJson.JsonValue)).toBe('{"b":1}')
    expect(CanonicalJson.canonicalize({ b: undefined, a: 1, c: 2 } as unknown as CanonicalJson.JsonValue)).toBe('{"a":1,"c":2}')
    expect(CanonicalJson.canonicalize({})).toBe("{}")
    expect(CanonicalJson.canonicalize([])).toBe("[]")
    expect(CanonicalJson.canonicalize([[], {}, [1, [2]]])).toBe("[[],{},[1,[2]]]")
    expect(CanonicalJson.canonicalize(false)).toBe("false")
    expect(CanonicalJson.canonicalize(-0)).toBe("0")
  })

  it("the checked form writes the same bytes for I-JSON", () => {
    const value = { z: [1, "två", { y: null, x: false }], a: true, "€": 1.5e-7 }
    const expected = '{"a":true,"z":[1,"två",{"x":false,"y":null}],"€":1.5e-7}'
    expect(CanonicalJson.canonicalize(value)).toBe(expected)
    expect(CanonicalJson.canonicalizeChecked(value)).toBe(expected)
    expect(CanonicalJson.canonicalizeChecked([])).toBe("[]")
    expect(CanonicalJson.canonicalizeChecked(null)).toBe("null")
    expect(CanonicalJson.canonicalizeChecked([true, false])).toBe("[true,false]")
    expect(CanonicalJson.canonicalizeChecked(Object.assign(Object.create(null), { b: 1, a: 2 }))).toBe('{"a":2,"b":1}')
    expect(CanonicalJson.canonicalizeChecked(2 ** 53 - 1)).toBe("9007199254740991")
    expect(CanonicalJson.canonicalizeChecked(-(2 ** 53 - 1))).toBe("-9007199254740991")
    expect(CanonicalJson.canonicalizeChecked(1.5)).toBe("1.5")
  })

  it("names each violation's path, value and rule", () => {
    const violation = (value: unknown, path?: string) => {
      const found = path === undefined ? CanonicalJson.canonicalizeChecked(value) : CanonicalJson.canonicalizeChecked(value, path)
      if (typeof found === "string") return found
      expect(CanonicalJson.findIJsonViolation(value, path)).toEqual(found)
      return found.message
    }
    expect(violation({ a: [1, Number.NaN] })).toBe("/a/1: NaN is not allowed: numbers must be finite")
    expect(violation(Number.NEGATIVE_INFINITY)).toBe("(root): -Infinity is not allowed: numbers must be finite")
    expect(violation({ n: 2 ** 53 })).toBe("/n: 9007199254740992 is not allowed: integers must lie within ±(2^53 − 1) to survive every JSON parser")
    expect(violation({ n: -(2 ** 53) })).toBe("/n: -9007199254740992 is not allowed: integers must lie within ±(2^53 − 1) to survive every JSON parser")
    expect(violation({ s: "ab\uD800" })).toBe('/s: "ab\\ud800" is not allowed: strings must not contain lone surrogates')
    expect(violation({ ["k\uDC00"]: 1 })).toBe('/k\uDC00: "k\\udc00" is not allowed: keys must not contain lone surrogates')
    // A long string is shown by its first 40 characters.
    expect(violation({ s: `${"x".repeat(45)}\uD800` })).toBe(`/s: "${"x".repeat(40)}…" is not allowed: strings must not contain lone surrogates`)
    expect(violation({ b: 10n })).toBe("/b: 10n is not allowed: only JSON values may be stored")
    expect(violation({ f: () => 1 })).toBe("/f: a function is not allowed: only JSON values may be stored")
    expect(violation({ y: Symbol("s") })).toBe("/y: Symbol(s) is not allowed: only JSON values may be stored")
    expect(violation({ u: undefined })).toBe("/u: undefined is not allowed: only JSON values may be stored")
    expect(violation([new Date(0)])).toBe("/0: an instance of Date is not allowed: only plain objects may be stored")
    expect(violation({ m: Object.create(Object.create(null)) })).toBe("/m: an instance of an unknown class is not allowed: only plain objects may be stored")
    // Exactly 40 characters are shown whole; a later element of an array is found.
    expect(violation({ s: `${"x".repeat(39)}\uD800` })).toBe(`/s: "${"x".repeat(39)}\\ud800" is not allowed: strings must not contain lone surrogates`)
    expect(CanonicalJson.findIJsonViolation([1, "a", Number.NaN])?.path).toBe("/2")
    // A path given is the prefix of the pointer.
    expect(violation({ x: Number.NaN }, "/payload")).toBe("/payload/x: NaN is not allowed: numbers must be finite")
    // The first violation in the object's own order of keys is the one reported.
    expect(violation({ b: Number.NaN, a: [Number.POSITIVE_INFINITY] })).toBe("/b: NaN is not allowed: numbers must be finite")
  })

  it("accepts every I-JSON value, nested", () => {
    expect(CanonicalJson.findIJsonViolation({ a: [1, "x", true, null, { b: [] }], c: -1.25 })).toBeUndefined()
    expect(CanonicalJson.findIJsonViolation(2 ** 53 - 1)).toBeUndefined()
    expect(CanonicalJson.findIJsonViolation(1.5e-300)).toBeUndefined()
    // A large number is an integer to JavaScript, so 1e21 is refused.
    expect(CanonicalJson.findIJsonViolation(1e21)?.rule).toBe("integers must lie within ±(2^53 − 1) to survive every JSON parser")
  })
})

// Keys a serializer built on JSON.stringify or on assignment would get wrong: V8 lists array-index
// keys first in numeric order, and assigning `__proto__` does not make a member. Expected texts by
// hand.
describe("canonical JSON, awkward keys and members", () => {
  it("orders array-index keys by code units among the rest, as RFC 8785 does", () => {
    expect(CanonicalJson.canonicalizeChecked({ a: 3, "9": 2, "10": 1 })).toBe('{"10":1,"9":2,"a":3}')
    expect(CanonicalJson.canonicalizeChecked({ "!": 1, "0": 2 })).toBe('{"!":1,"0":2}')
    expect(CanonicalJson.canonicalizeChecked({ "9": 1, "!": 2 })).toBe('{"!":2,"9":1}')
    // "/" and ":" lie either side of the digits and are not index keys.
    expect(CanonicalJson.canonicalizeChecked({ ":": 1, "/": 2 })).toBe('{"/":2,":":1}')
    expect(CanonicalJson.canonicalizeChecked({ ":": 1, "/": 2, "5": 3 })).toBe('{"/":2,"5":3,":":1}')
    expect(CanonicalJson.canonicalizeChecked({ b: [{ "1": 0, " ": 1 }], a: 0 })).toBe(
      '{"a":0,"b":[{" ":1,"1":0}]}'
    )
  })

  it("keeps a __proto__ key as a member", () => {
    expect(CanonicalJson.canonicalizeChecked(JSON.parse('{"b":1,"__proto__":{"z":2,"y":1}}'))).toBe(
      '{"__proto__":{"y":1,"z":2},"b":1}'
    )
  })

  it("sorts nested objects, and leaves sorted ones as they are", () => {
    expect(CanonicalJson.canonicalizeChecked({ b: { d: 1, c: [{ f: 1, e: 2 }] }, a: "x" })).toBe(
      '{"a":"x","b":{"c":[{"e":2,"f":1}],"d":1}}'
    )
    expect(CanonicalJson.canonicalizeChecked({ a: 1, b: { c: 2, d: 3 } })).toBe('{"a":1,"b":{"c":2,"d":3}}')
    expect(CanonicalJson.canonicalizeChecked({ a: 1, c: 3, b: 2 })).toBe('{"a":1,"b":2,"c":3}')
  })

  it("reads each member once, and calls no toJSON of the caller's or of the prototypes", () => {
    let reads = 0
    const counted = {
      get n() {
        reads += 1
        return reads === 1 ? 1 : Number.NaN
      }
    }
    expect(CanonicalJson.canonicalizeChecked(counted)).toBe('{"n":1}')
    expect(reads).toBe(1)
    expect(CanonicalJson.canonicalizeChecked({ toJSON: "kept", a: 1 })).toBe('{"a":1,"toJSON":"kept"}')
    const prototypes = [Object.prototype, Array.prototype] as Array<Record<string, unknown>>
    for (const prototype of prototypes) {
      prototype["toJSON"] = () => "polluted"
      try {
        expect(CanonicalJson.canonicalizeChecked({ b: [1], a: { c: true } })).toBe('{"a":{"c":true},"b":[1]}')
      } finally {
        delete prototype["toJSON"]
      }
    }
  })

  it("finds a violation behind an index key, in a nested array, in a key", () => {
    expect((CanonicalJson.canonicalizeChecked({ "1": Number.NaN }) as CanonicalJson.NotIJsonError).path).toBe(
      "/1"
    )
    expect(
      (CanonicalJson.canonicalizeChecked({ a: [1, { b: undefined }] }) as CanonicalJson.NotIJsonError).path
    ).toBe("/a/1/b")
    expect(
      (CanonicalJson.canonicalizeChecked({ ["k\uDC00"]: 1 }) as CanonicalJson.NotIJsonError).rule
    ).toContain("surrogate")
    expect((CanonicalJson.canonicalizeChecked({ a: [new Map()] }) as CanonicalJson.NotIJsonError).path).toBe(
      "/a/0"
    )
  })
})

describe("hash chain, by hand", () => {
  it("starts from 32 zero bytes and hashes the previous hash with the canonical bytes", () => {
    expect(HashChain.GENESIS_HASH).toBe("0".repeat(64))
    expect(HashChain.chainHash(HashChain.GENESIS_HASH, "{}")).toBe(GENESIS_EMPTY_OBJECT)
    expect(HashChain.chainHash("ab".repeat(32), '{"a":"€"}')).toBe(AB_EURO)
  })

  it("the digest form agrees, with a longer prefix cut to 32 bytes and a record longer than its buffer", () => {
    const ab = Buffer.from("ab".repeat(32), "hex")
    expect(HashChain.chainDigest(new Uint8Array(32), "{}").toString("hex")).toBe(GENESIS_EMPTY_OBJECT)
    expect(HashChain.chainDigest(Buffer.concat([ab, Buffer.from("ffff", "hex")]), '{"a":"€"}').toString("hex")).toBe(AB_EURO)
    // 40 001 characters are 80 033 bytes with the prefix: more than the 64 KiB buffer holds.
    expect(HashChain.chainDigest(ab, `${"å".repeat(40_000)}x`).toString("hex")).toBe(AB_LONG)
    expect(HashChain.chainDigest(ab, '{"a":"€"}').toString("hex")).toBe(AB_EURO)
  })

  it("recognises a hash: 64 lowercase hex digits, nothing around them", () => {
    expect(HashChain.isHash(GENESIS_EMPTY_OBJECT)).toBe(true)
    expect(HashChain.isHash(GENESIS_EMPTY_OBJECT.toUpperCase())).toBe(false)
    expect(HashChain.isHash(GENESIS_EMPTY_OBJECT.slice(1))).toBe(false)
    expect(HashChain.isHash(`${GENESIS_EMPTY_OBJECT}0`)).toBe(false)
    expect(HashChain.isHash(`x${GENESIS_EMPTY_OBJECT}`)).toBe(false)
    expect(HashChain.isHash(`${GENESIS_EMPTY_OBJECT.slice(1)}g`)).toBe(false)
  })
})
