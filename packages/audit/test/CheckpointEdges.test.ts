/**
 * Checkpoint notes, vkeys and cosignatures against an independent reference, and every refusal
 * with its words. The keys are the RFC 8032 §7.1 test keys 1 and 2; the key IDs, vkeys, the signed
 * note and its cosignature were built with Python's hashlib and the `cryptography` package from
 * the C2SP signed-note and tlog-cosignature/v1 texts (the script is in the comment below), never
 * with this module.
 *
 * ```python
 * k1 = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(SEED1)); pk1 = raw public bytes
 * keyid = sha256(name.encode() + bytes([0x0a, alg]) + pk).digest()[:4]
 * body = "example.org/log\n5\n" + b64(bytes([7]) * 32) + "\n"
 * note = body + "\n" + "\u2014 " + name1 + " " + b64(id1 + k1.sign(body)) + "\n"
 * cosigned = note + "\u2014 " + name2 + " " + b64(id2 + struct.pack(">Q", t) +
 *            k2.sign(f"cosignature/v1\ntime {t}\n{body}")) + "\n"
 * ```
 */
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as Checkpoint from "../src/Checkpoint.js"

const SEED1 = Buffer.from("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", "hex")
const SEED2 = Buffer.from("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "hex")
const PK1 = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
const PK2 = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"
const N1 = "rfc8032-1.example"
const N2 = "rfc8032-2.example"
const VKEY1 = "rfc8032-1.example+e818b85d+AddamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea"
const VKEY2 = "rfc8032-2.example+76a0f6a6+BD1AF8PoQ4lakrcKp00bfrycmCzPLsSWjMDNVfEq9GYM"
const ROOT_B64 = "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc="
const BODY = `example.org/log\n5\n${ROOT_B64}\n`
const SIG1 = "6Bi4XYeZSWfMlt8lKraWwW2l7Cxu10G9ibeHjXDx/e5EqowJV99hGESekX4rCKo4MMO6ardU9//Iu8CxVgtzuVlt/ws="
const NOTE = `${BODY}\n\u2014 ${N1} ${SIG1}\n`
const COSIG =
  "dqD2pgAAAABqsTuA5t2LGW7syabcXBZOmGuZFER+7t3kjBWq3MWUMT45ikzSebvVg/iz/b9AcuEgBJ4Nn5yJY5v7E9/AwlWtzP+RCQ=="
const COSIGNED = `${NOTE}\u2014 ${N2} ${COSIG}\n`
const T = 1_790_000_000

const log = Checkpoint.makeSigner({ name: N1, seed: SEED1 })
const witness = Checkpoint.makeSigner({ name: N2, seed: SEED2, alg: Checkpoint.ALG_COSIGNATURE_V1 })
const cp: Checkpoint.Checkpoint = { origin: "example.org/log", size: 5, root: Buffer.alloc(32, 7) }
const policy: Checkpoint.TrustPolicy = {
  origin: "example.org/log",
  logKeys: [log.verifier],
  witnesses: [witness.verifier],
  witnessQuorum: 1
}

const failure = (r: Result.Result<unknown, Checkpoint.CheckpointError>) =>
  Result.isFailure(r) ? { failure: r.failure.failure, detail: r.failure.detail } : "OK"
const malformed = (detail: string) => ({ failure: "MALFORMED", detail })
const b64 = (...parts: ReadonlyArray<Uint8Array>) => Buffer.concat(parts).toString("base64")
const u64 = (n: bigint) => {
  const b = Buffer.alloc(8)
  b.writeBigUInt64BE(n)
  return b
}

describe("signers, key IDs and vkeys (RFC 8032 keys, C2SP signed-note)", () => {
  it("derives the public key, key ID and vkey of a seed", () => {
    expect(Buffer.from(log.publicKey).toString("hex")).toBe(PK1)
    expect(Buffer.from(log.keyId).toString("hex")).toBe("e818b85d")
    expect(log.alg).toBe(Checkpoint.ALG_ED25519)
    expect(log.vkey).toBe(VKEY1)
    expect(log.name).toBe(N1)
    expect(log.verifier).toEqual({ name: N1, alg: 1, keyId: log.keyId, publicKey: log.publicKey })
    expect(Buffer.from(witness.publicKey).toString("hex")).toBe(PK2)
    expect(witness.alg).toBe(Checkpoint.ALG_COSIGNATURE_V1)
    expect(witness.vkey).toBe(VKEY2)
    expect(Buffer.from(Checkpoint.keyIdOf(N2, 4, Buffer.from(PK2, "hex"))).toString("hex")).toBe("76a0f6a6")
  })

  it("signs as RFC 8032 test 1 does (the empty message)", () => {
    expect(Buffer.from(log.sign(new Uint8Array(0))).toString("hex")).toBe(
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    )
  })

  it("writes the note and the cosignature byte for byte", () => {
    expect(Checkpoint.formatBody(cp)).toBe(BODY)
    expect(Checkpoint.sign(cp, log)).toBe(NOTE)
    expect(Checkpoint.cosign(NOTE, witness, T)).toBe(COSIGNED)
    expect(Checkpoint.formatBody({ ...cp, extensions: ["a b", "c"] })).toBe(`${BODY}a b\nc\n`)
  })

  it("refuses a key name that is empty, has white space or '+', or an em dash", () => {
    for (const name of ["", "a b", " ab", "ab ", "a+b", "a\u2014b", "ab\n"]) {
      expect(() => Checkpoint.makeSigner({ name })).toThrow(
        `MALFORMED: key name ${JSON.stringify(name)} must be non-empty without spaces or '+'`
      )
    }
    expect(Checkpoint.makeSigner({ name: "x" }).vkey.startsWith("x+")).toBe(true)
  })

  it("verifies one signature only when it is 64 bytes and right", () => {
    const sig = Buffer.from(log.sign(Buffer.from("abc")))
    expect(Checkpoint.verifySignature(log.verifier, Buffer.from("abc"), sig)).toBe(true)
    expect(Checkpoint.verifySignature(log.verifier, Buffer.from("abd"), sig)).toBe(false)
    expect(Checkpoint.verifySignature(log.verifier, Buffer.from("abc"), sig.subarray(0, 63))).toBe(false)
    expect(Checkpoint.verifySignature(log.verifier, Buffer.from("abc"), Buffer.concat([sig, Buffer.alloc(1)]))).toBe(
      false
    )
  })
})

describe("parseVkey", () => {
  // The base64 key of VKEY1 itself contains a '+'.
  const KEY1 = "AddamAGCsQq31Uv+08lkBzoO4XLz2qYjJa8CGmj3B1Ea"
  it("reads the published form, around white space, with validity bounds", () => {
    const v = Checkpoint.parseVkey(`  ${VKEY1}\n`, { validFrom: 10, validUntil: 20 })
    expect(Result.isSuccess(v) && v.success.name).toBe(N1)
    expect(Result.isSuccess(v) && v.success.alg).toBe(1)
    expect(Result.isSuccess(v) && Buffer.from(v.success.publicKey).toString("hex")).toBe(PK1)
    expect(Result.isSuccess(v) && Buffer.from(v.success.keyId).toString("hex")).toBe("e818b85d")
    expect(Result.isSuccess(v) && [v.success.validFrom, v.success.validUntil]).toEqual([10, 20])
    const w = Checkpoint.parseVkey(VKEY2)
    expect(Result.isSuccess(w) && w.success.alg).toBe(4)
    expect(Result.isSuccess(w) && Object.keys(w.success).sort()).toEqual(["alg", "keyId", "name", "publicKey"])
  })
  it.each([
    ["no '+'", "rfc8032-1.example", "vkey: expected <name>+<hex key id>+<base64 key>"],
    ["one '+'", "rfc8032-1.example+e818b85d", "vkey: expected <name>+<hex key id>+<base64 key>"],
    ["an empty name", `+e818b85d+${"A".repeat(44)}`, `vkey: name "" must be non-empty without spaces or '+'`],
    ["a space", `a b+e818b85d+${"A".repeat(44)}`, `vkey: name "a b" must be non-empty without spaces or '+'`],
    ["an em dash", `a\u2014b+e818b85d+${"A".repeat(44)}`, `vkey: name "a\u2014b" must be non-empty without spaces or '+'`],
    ["upper-case hex", `${N1}+E818B85D+${"A".repeat(44)}`, "vkey: the key id must be 8 lowercase hex digits"],
    ["7 hex digits", `${N1}+e818b85+${"A".repeat(44)}`, "vkey: the key id must be 8 lowercase hex digits"],
    ["a character before", `${N1}+xe818b85d+${"A".repeat(44)}`, "vkey: the key id must be 8 lowercase hex digits"],
    ["a character after", `${N1}+e818b85dx+${"A".repeat(44)}`, "vkey: the key id must be 8 lowercase hex digits"],
    ["padding after 33 bytes", `${VKEY1}=`, "vkey: the key is not canonical base64"],
    [
      "32 bytes",
      `${N1}+e818b85d+${b64(Buffer.from([1]), Buffer.alloc(31))}`,
      "vkey: the key must be one algorithm byte and a 32-byte Ed25519 key"
    ],
    [
      "34 bytes",
      `${N1}+e818b85d+${b64(Buffer.from([1]), Buffer.alloc(33))}`,
      "vkey: the key must be one algorithm byte and a 32-byte Ed25519 key"
    ],
    ["algorithm 2", `${N1}+e818b85d+${b64(Buffer.from([2]), Buffer.from(PK1, "hex"))}`, "vkey: unsupported algorithm 0x2"],
    ["another key ID", `${N1}+00000000+${KEY1}`, "vkey: the key id does not match the name and key"],
    ["another name", `rfc8032-9.example+e818b85d+${KEY1}`, "vkey: the key id does not match the name and key"]
  ])("refuses %s", (_name, vkey, detail) => {
    expect(failure(Checkpoint.parseVkey(vkey))).toEqual(malformed(detail))
  })
  it("says what failed in its message", () => {
    const r = Checkpoint.parseVkey("x")
    expect(Result.isFailure(r) && r.failure.message).toBe("MALFORMED: vkey: expected <name>+<hex key id>+<base64 key>")
    expect(Result.isFailure(r) && r.failure._tag).toBe("CheckpointError")
  })
})

describe("parse: the note's shape", () => {
  const sigLine = `\u2014 ${N1} ${SIG1}`
  const noteWith = (body: string, sigs = `${sigLine}\n`) => `${body}\n${sigs}`
  it("splits a note into body, checkpoint and signature lines", () => {
    const p = Checkpoint.parse(COSIGNED)
    expect(Result.isSuccess(p)).toBe(true)
    if (!Result.isSuccess(p)) return
    expect(p.success.body).toBe(BODY)
    expect(p.success.checkpoint.origin).toBe("example.org/log")
    expect(p.success.checkpoint.size).toBe(5)
    expect(Buffer.from(p.success.checkpoint.root).toString("base64")).toBe(ROOT_B64)
    expect("extensions" in p.success.checkpoint).toBe(false)
    expect(p.success.signatures.map((s) => [s.name, Buffer.from(s.keyId).toString("hex"), s.payload.length])).toEqual([
      [N1, "e818b85d", 64],
      [N2, "76a0f6a6", 72]
    ])
  })
  it.each([
    ["a BOM", `\uFEFF${NOTE}`, "the note starts with a byte order mark; remove it"],
    ["a CR", NOTE.replace("\n\n", "\r\n\n"), "the note contains CR; signed notes use LF line endings only"],
    ["no blank line", NOTE.replace("\n\n", "\n"), "no blank line separates the body from the signatures"],
    ["two body lines", noteWith(`example.org/log\n${ROOT_B64}\n`), "the body must start with 3 lines (origin, size, root), found 2"],
    ["an empty origin", noteWith(`\n5\n${ROOT_B64}\n`), "the origin line is empty"],
    ["a leading zero", noteWith(`o\n05\n${ROOT_B64}\n`), 'size "05" is not a decimal'],
    ["a sign", noteWith(`o\n+5\n${ROOT_B64}\n`), 'size "+5" is not a decimal'],
    ["a space after", noteWith(`o\n5 \n${ROOT_B64}\n`), 'size "5 " is not a decimal'],
    ["a letter before", noteWith(`o\nx5\n${ROOT_B64}\n`), 'size "x5" is not a decimal'],
    ["21 digits", noteWith(`o\n${"1".repeat(21)}\n${ROOT_B64}\n`), `size "${"1".repeat(21)}" is not a decimal`],
    ["50 characters", noteWith(`o\n${"x".repeat(50)}\n${ROOT_B64}\n`), `size "${"x".repeat(40)}" is not a decimal`],
    [
      "20 digits",
      noteWith(`o\n${"9".repeat(20)}\n${ROOT_B64}\n`),
      `size ${"9".repeat(20)} exceeds 2^53 − 1, more than any log this verifier can hold`
    ],
    [
      "2^53",
      noteWith(`o\n9007199254740992\n${ROOT_B64}\n`),
      "size 9007199254740992 exceeds 2^53 − 1, more than any log this verifier can hold"
    ],
    ["a 31-byte root", noteWith(`o\n5\n${Buffer.alloc(31).toString("base64")}\n`), "the root must be 32 bytes of canonical base64"],
    ["a 33-byte root", noteWith(`o\n5\n${Buffer.alloc(33).toString("base64")}\n`), "the root must be 32 bytes of canonical base64"],
    ["a root without padding", noteWith(`o\n5\n${ROOT_B64.slice(0, -1)}\n`), "the root must be 32 bytes of canonical base64"],
    ["no final newline", NOTE.slice(0, -1), "the note must end with a newline"],
    ["a blank signature line", noteWith(BODY, "\n"), 'bad signature line ""'],
    ["text before the dash", noteWith(BODY, `x${sigLine}\n`), `bad signature line ${JSON.stringify(`x${sigLine}`.slice(0, 80))}`],
    ["text after the signature", noteWith(BODY, `${sigLine} x\n`), `bad signature line ${JSON.stringify(`${sigLine} x`.slice(0, 80))}`],
    ["a 4-byte signature", noteWith(BODY, `\u2014 k ${Buffer.alloc(4).toString("base64")}\n`), "signature line for k is too short"]
  ])("refuses %s", (_name, note, detail) => {
    expect(failure(Checkpoint.parse(note))).toEqual(malformed(detail))
  })
  it("accepts the largest safe size, size 0 and a 5-byte signature line", () => {
    const big = Checkpoint.parse(noteWith(`o\n9007199254740991\n${ROOT_B64}\n`))
    expect(Result.isSuccess(big) && big.success.checkpoint.size).toBe(9_007_199_254_740_991)
    const zero = Checkpoint.parse(noteWith(`o\n0\n${ROOT_B64}\n`))
    expect(Result.isSuccess(zero) && zero.success.checkpoint.size).toBe(0)
    const five = Checkpoint.parse(noteWith(BODY, `\u2014 k ${Buffer.alloc(5, 1).toString("base64")}\n`))
    expect(Result.isSuccess(five) && five.success.signatures[0]?.payload.length).toBe(1)
  })
  it("holds at most 64 KiB, 100 extension lines and 100 signature lines", () => {
    const head = `o\n5\n${ROOT_B64}\n`
    const tail = `\n${sigLine}\n`
    const pad = (total: number) => `${head}${"x".repeat(total - head.length - 1 - tail.length)}\n${tail}`
    expect(pad(65_536)).toHaveLength(65_536)
    expect(Result.isSuccess(Checkpoint.parse(pad(65_536)))).toBe(true)
    expect(failure(Checkpoint.parse(pad(65_537)))).toEqual(malformed("a note is at most 65536 bytes"))
    const ext = (n: number) => noteWith(`${head}${"e\n".repeat(n)}`)
    const hundred = Checkpoint.parse(ext(100))
    expect(Result.isSuccess(hundred) && hundred.success.checkpoint.extensions).toHaveLength(100)
    expect(failure(Checkpoint.parse(ext(101)))).toEqual(malformed("more than 100 extension lines"))
    const sigs = (n: number) => noteWith(head, `${sigLine}\n`.repeat(n))
    expect(Result.isSuccess(Checkpoint.parse(sigs(100)))).toBe(true)
    expect(failure(Checkpoint.parse(sigs(101)))).toEqual(malformed("more than 100 signature lines"))
  })
})

describe("verifyNote: trust comes from the policy only", () => {
  const signed = (f: (body: Buffer) => Buffer) => f(Buffer.from(BODY, "utf8"))
  const witnessLine = (payload: Buffer) => `\u2014 ${N2} ${b64(witness.keyId, payload)}\n`
  it("returns what verified", () => {
    const r = Checkpoint.verifyNote(COSIGNED, policy)
    expect(Result.isSuccess(r)).toBe(true)
    if (!Result.isSuccess(r)) return
    expect(r.success.body).toBe(BODY)
    expect(r.success.note).toBe(COSIGNED)
    expect(r.success.signedBy).toEqual([N1])
    expect(r.success.cosignatures).toEqual([{ witness: N2, time: T }])
    expect(r.success.checkpoint.size).toBe(5)
  })
  it("names both origins when the note is for another log", () => {
    expect(failure(Checkpoint.verifyNote(COSIGNED, { ...policy, origin: "other.org/log" }))).toEqual({
      failure: "ORIGIN",
      detail: 'the checkpoint is for log "example.org/log", expected "other.org/log"'
    })
  })
  it("matches a key by algorithm, name and key ID", () => {
    const none = {
      failure: "CHECKPOINT_SIGNATURE",
      detail:
        "no signature from a trusted log key; get the log's vkey through an independent channel and never from the export"
    }
    // The log key configured as a witness key (algorithm 0x04) is not a log key.
    expect(failure(Checkpoint.verifyNote(NOTE, { origin: policy.origin, logKeys: [{ ...log.verifier, alg: 4 }] }))).toEqual(none)
    expect(failure(Checkpoint.verifyNote(NOTE, { origin: policy.origin, logKeys: [{ ...log.verifier, name: "other" }] }))).toEqual(
      none
    )
    expect(
      failure(Checkpoint.verifyNote(NOTE, { origin: policy.origin, logKeys: [{ ...log.verifier, keyId: Buffer.alloc(4) }] }))
    ).toEqual(none)
    // The witness key configured as a log-style key (0x01) does not count as a witness.
    expect(
      failure(Checkpoint.verifyNote(COSIGNED, { ...policy, witnesses: [{ ...witness.verifier, alg: 1 }] }))
    ).toEqual({ failure: "WITNESS", detail: "0 of the required 1 witness cosignatures verified" })
    // No witnesses configured and no quorum: the log signature suffices.
    expect(failure(Checkpoint.verifyNote(COSIGNED, { origin: policy.origin, logKeys: [log.verifier] }))).toBe("OK")
  })
  it("refuses a trusted log signature that is not 64 valid bytes", () => {
    const altered = {
      failure: "CHECKPOINT_SIGNATURE",
      detail: `the signature of trusted key ${N1} does not verify: the note was altered`
    }
    const sig = signed((b) => Buffer.from(log.sign(b)))
    const line = (payload: Buffer) => `${BODY}\n\u2014 ${N1} ${b64(log.keyId, payload)}\n`
    expect(failure(Checkpoint.verifyNote(line(sig.subarray(0, 63)), { ...policy, witnessQuorum: 0 }))).toEqual(altered)
    expect(failure(Checkpoint.verifyNote(line(Buffer.concat([sig, Buffer.alloc(1)])), { ...policy, witnessQuorum: 0 }))).toEqual(
      altered
    )
    expect(failure(Checkpoint.verifyNote(line(sig), { ...policy, witnessQuorum: 0 }))).toBe("OK")
  })
  it("refuses a trusted cosignature of the wrong length, time or bytes", () => {
    const cos = Buffer.from(COSIG, "base64").subarray(4)
    expect(failure(Checkpoint.verifyNote(`${NOTE}${witnessLine(cos.subarray(0, 71))}`, policy))).toEqual({
      failure: "WITNESS",
      detail: `cosignature of ${N2} has the wrong length`
    })
    expect(
      failure(Checkpoint.verifyNote(`${NOTE}${witnessLine(Buffer.concat([u64(2n ** 53n), cos.subarray(8)]))}`, policy))
    ).toEqual({ failure: "WITNESS", detail: `cosignature time of ${N2} is out of range` })
    expect(
      failure(Checkpoint.verifyNote(`${NOTE}${witnessLine(Buffer.concat([u64(2n ** 53n - 1n), cos.subarray(8)]))}`, policy))
    ).toEqual({ failure: "WITNESS", detail: `the cosignature of trusted witness ${N2} does not verify` })
  })
  it("counts a witness once however often it cosigned", () => {
    const twice = `${COSIGNED}\u2014 ${N2} ${COSIG}\n`
    const once = Checkpoint.verifyNote(twice, policy)
    expect(Result.isSuccess(once) && once.success.cosignatures).toEqual([{ witness: N2, time: T }])
    expect(failure(Checkpoint.verifyNote(twice, { ...policy, witnessQuorum: 2 }))).toEqual({
      failure: "WITNESS",
      detail: "1 of the required 2 witness cosignatures verified"
    })
    const other = Checkpoint.makeSigner({ name: "w2.example", seed: Buffer.alloc(32, 3), alg: 4 })
    const both = Checkpoint.cosign(COSIGNED, other, T + 100)
    const two = Checkpoint.verifyNote(both, { ...policy, witnesses: [witness.verifier, other.verifier], witnessQuorum: 2 })
    expect(Result.isSuccess(two) && two.success.cosignatures).toEqual([
      { witness: N2, time: T },
      { witness: "w2.example", time: T + 100 }
    ])
  })
  it("checks the log key's validity at the earliest witness time, bounds included", () => {
    const other = Checkpoint.makeSigner({ name: "w2.example", seed: Buffer.alloc(32, 3), alg: 4 })
    // Cosigned at T + 100 by w2 first, then at T by the RFC key: the earliest time is T.
    const note = `${Checkpoint.cosign(NOTE, other, T + 100)}\u2014 ${N2} ${COSIG}\n`
    const withKey = (bounds: { validFrom?: number; validUntil?: number }) => ({
      ...policy,
      logKeys: [{ ...log.verifier, ...bounds }],
      witnesses: [witness.verifier, other.verifier]
    })
    expect(failure(Checkpoint.verifyNote(note, withKey({ validUntil: T })))).toBe("OK")
    expect(failure(Checkpoint.verifyNote(note, withKey({ validFrom: T })))).toBe("OK")
    expect(failure(Checkpoint.verifyNote(note, withKey({ validFrom: T, validUntil: T })))).toBe("OK")
    expect(failure(Checkpoint.verifyNote(note, withKey({ validUntil: T - 1 })))).toEqual({
      failure: "CHECKPOINT_SIGNATURE",
      detail: `key ${N1} signed outside its validity window (witness time ${T})`
    })
    expect(failure(Checkpoint.verifyNote(note, withKey({ validFrom: T + 1 })))).toEqual({
      failure: "CHECKPOINT_SIGNATURE",
      detail: `key ${N1} signed outside its validity window (witness time ${T})`
    })
    // Without a cosignature there is no time to check the bounds against.
    expect(failure(Checkpoint.verifyNote(NOTE, { ...withKey({ validUntil: 1 }), witnessQuorum: 0 }))).toBe("OK")
  })
})

describe("isFork", () => {
  it("only for one log and one size with two roots", () => {
    const other = { ...cp, root: Buffer.alloc(32, 8) }
    expect(Checkpoint.isFork(cp, other)).toBe(true)
    expect(Checkpoint.isFork(cp, { ...other, origin: "other.org/log" })).toBe(false)
    expect(Checkpoint.isFork(cp, { ...other, size: 6 })).toBe(false)
    expect(Checkpoint.isFork(cp, { ...cp, root: Buffer.alloc(32, 7) })).toBe(false)
  })
})
