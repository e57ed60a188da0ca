import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as Checkpoint from "../src/Checkpoint.js"

const ORIGIN = "audit.utblick.example/lulea-kommun"
const root = Buffer.alloc(32, 7)
const cp: Checkpoint.Checkpoint = { origin: ORIGIN, size: 18342, root }
const log = Checkpoint.makeSigner({ name: "audit.utblick.example", seed: Buffer.alloc(32, 1) })
const witness = Checkpoint.makeSigner({
  name: "audit-office.example",
  seed: Buffer.alloc(32, 2),
  alg: Checkpoint.ALG_COSIGNATURE_V1
})
const policy: Checkpoint.TrustPolicy = {
  origin: ORIGIN,
  logKeys: [log.verifier],
  witnesses: [witness.verifier],
  witnessQuorum: 1
}

const failureOf = (r: Result.Result<unknown, Checkpoint.CheckpointError>) =>
  Result.isFailure(r) ? r.failure.failure : "OK"

describe("Checkpoint", () => {
  it("verifies the C2SP signed-note example (PeterNeumann) with its published vkey", () => {
    const v = Checkpoint.parseVkey("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
    expect(Result.isSuccess(v)).toBe(true)
    const verifier = (v as Result.Success<Checkpoint.Verifier, never>).success
    const text =
      "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    const sig = Buffer.from(
      "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
      "base64"
    )
    expect(sig.subarray(0, 4).equals(verifier.keyId)).toBe(true)
    expect(Checkpoint.verifySignature(verifier, Buffer.from(text), sig.subarray(4))).toBe(true)
    expect(Checkpoint.verifySignature(verifier, Buffer.from(text.toUpperCase()), sig.subarray(4))).toBe(false)
  })

  it("formats the tlog-checkpoint body and round-trips vkeys", () => {
    expect(Checkpoint.formatBody(cp)).toBe(`${ORIGIN}\n18342\n${root.toString("base64")}\n`)
    const parsed = Checkpoint.parseVkey(log.vkey)
    expect(Result.isSuccess(parsed) && Checkpoint.formatVkey(parsed.success)).toBe(log.vkey)
    expect(log.vkey).toMatch(/^audit\.utblick\.example\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/)
    // A vkey whose ID does not match its key is refused (A10 key-ID collision at configuration).
    const [n, , k] = log.vkey.split("+")
    expect(failureOf(Checkpoint.parseVkey(`${n}+00000000+${k}`))).toBe("MALFORMED")
  })

  it("parses the vkey of every generated key, also when its base64 contains '+'", () => {
    // Regression: splitting the vkey on every '+' refused about one key in three.
    let withPlus = 0
    for (let i = 0; i < 64; i++) {
      const signer = Checkpoint.makeSigner({ name: `log-${i}.example` })
      if (signer.vkey.split("+").length > 3) withPlus++
      const parsed = Checkpoint.parseVkey(signer.vkey)
      expect(Result.isSuccess(parsed) && Checkpoint.formatVkey(parsed.success)).toBe(signer.vkey)
    }
    expect(withPlus).toBeGreaterThan(0)
  })

  it("signs, cosigns and verifies with a witness quorum", () => {
    const note = Checkpoint.cosign(Checkpoint.sign(cp, log), witness, 1_790_000_000)
    const r = Checkpoint.verifyNote(note, policy)
    expect(Result.isSuccess(r)).toBe(true)
    if (Result.isSuccess(r)) {
      expect(r.success.checkpoint.size).toBe(18342)
      expect(r.success.signedBy).toEqual([log.name])
      expect(r.success.cosignatures).toEqual([{ witness: witness.name, time: 1_790_000_000 }])
    }
    expect(failureOf(Checkpoint.verifyNote(Checkpoint.sign(cp, log), policy))).toBe("WITNESS")
    expect(failureOf(Checkpoint.verifyNote(Checkpoint.sign(cp, log), { ...policy, witnessQuorum: 0 }))).toBe(
      "OK"
    )
  })

  it("ignores unknown keys but rejects a known key with a bad signature", () => {
    const stranger = Checkpoint.makeSigner({ name: "stranger.example" })
    const note = Checkpoint.sign(cp, log)
    const extra = `${note}${Checkpoint.sign(cp, stranger).split("\n\n")[1]}`
    expect(failureOf(Checkpoint.verifyNote(extra, { ...policy, witnessQuorum: 0 }))).toBe("OK")
    const tampered = note.replace("\n18342\n", "\n18343\n")
    expect(failureOf(Checkpoint.verifyNote(tampered, { ...policy, witnessQuorum: 0 }))).toBe(
      "CHECKPOINT_SIGNATURE"
    )
    const bitFlipped = note.replace(
      / ([A-Za-z0-9+/]{10})/,
      (_m, s: string) => ` ${s.slice(0, 6)}${s[6] === "A" ? "B" : "A"}${s.slice(7)}`
    )
    expect(failureOf(Checkpoint.verifyNote(bitFlipped, { ...policy, witnessQuorum: 0 }))).not.toBe("OK")
  })

  it("A10: same name with another key, or a vkey shipped with the export, yields CHECKPOINT_SIGNATURE", () => {
    const impostor = Checkpoint.makeSigner({ name: log.name })
    const forged = Checkpoint.sign(cp, impostor)
    expect(failureOf(Checkpoint.verifyNote(forged, { ...policy, witnessQuorum: 0 }))).toBe(
      "CHECKPOINT_SIGNATURE"
    )
    // Forged signature line re-using the trusted key ID with the impostor's signature.
    const sigB64 = ((forged.split("\u2014 ")[1] as string).split(" ")[1] as string).trim()
    const raw = Buffer.from(sigB64, "base64")
    Buffer.from(log.keyId).copy(raw, 0)
    const collided = forged.replace(sigB64, raw.toString("base64"))
    expect(failureOf(Checkpoint.verifyNote(collided, { ...policy, witnessQuorum: 0 }))).toBe(
      "CHECKPOINT_SIGNATURE"
    )
  })

  it("A11: a checkpoint of another origin is refused with ORIGIN", () => {
    const staging = Checkpoint.sign({ ...cp, origin: "staging.utblick.example/lulea-kommun" }, log)
    expect(failureOf(Checkpoint.verifyNote(staging, policy))).toBe("ORIGIN")
  })

  it("A8: two checkpoints of the same size with different roots are a fork", () => {
    expect(Checkpoint.isFork(cp, { ...cp, root: Buffer.alloc(32, 8) })).toBe(true)
    expect(Checkpoint.isFork(cp, { ...cp })).toBe(false)
  })

  it("A21: hostile notes fail cleanly as MALFORMED", () => {
    const note = Checkpoint.sign(cp, log)
    const p = { ...policy, witnessQuorum: 0 }
    for (const bad of [
      "",
      `\uFEFF${note}`,
      note.replaceAll("\n", "\r\n"),
      `${note}garbage`,
      note.replace("\n18342\n", "\n018342\n"),
      note.replace("\n18342\n", "\n18446744073709551615\n"),
      "x".repeat(1_000_000)
    ]) {
      expect(failureOf(Checkpoint.verifyNote(bad, p))).toBe("MALFORMED")
    }
  })

  it("accepts a signed note with a C2SP extension line, and the extension is covered by the signature", () => {
    // Built by hand from the C2SP formats, not with formatBody/sign.
    const body = `${cp.origin}\n${cp.size}\n${Buffer.from(cp.root).toString("base64")}\nwitness-hint example.org\n`
    const sig = Buffer.concat([Buffer.from(log.keyId), Buffer.from(log.sign(Buffer.from(body, "utf8")))]).toString("base64")
    const note = `${body}\n\u2014 ${log.name} ${sig}\n`
    const p = { ...policy, witnessQuorum: 0 }
    const ok = Checkpoint.verifyNote(note, p)
    expect(Result.isSuccess(ok) && ok.success.checkpoint.extensions).toEqual(["witness-hint example.org"])
    expect(failureOf(Checkpoint.verifyNote(note.replace("witness-hint example.org", "witness-hint evil.org"), p))).toBe(
      "CHECKPOINT_SIGNATURE"
    )
  })

  it("rejects a checkpoint signed outside the key's validity window (by witness time)", () => {
    const note = Checkpoint.cosign(Checkpoint.sign(cp, log), witness, 2_000_000_000)
    const expired = { ...policy, logKeys: [{ ...log.verifier, validUntil: 1_900_000_000 }] }
    expect(failureOf(Checkpoint.verifyNote(note, expired))).toBe("CHECKPOINT_SIGNATURE")
  })
})
