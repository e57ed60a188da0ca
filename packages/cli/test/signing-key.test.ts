/**
 * The signing key file: what `keygen` writes, and what `checkpoint --key` and `close-year --key`
 * accept. The file text is written out by hand; the signer is checked by the signature it makes,
 * verified with the public key alone.
 */
import { verify } from "node:crypto"
import { Cause, Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import * as SigningKey from "../src/SigningKey.js"

const seed = Uint8Array.from({ length: 32 }, (_, i) => i + 1)
const hex = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"
const text = `utblick-ed25519-seed v1\naudit.example\n${hex}\n`

const problemOf = (input: string) => {
  const exit = Effect.runSyncExit(SigningKey.decode("k.key", input))
  if (Exit.isSuccess(exit)) throw new Error("expected a refusal")
  const failure = Cause.findErrorOption(exit.cause)
  if (failure._tag === "None") throw new Error(String(exit.cause))
  expect(failure.value.hint).toBe("create one with `utblick keygen --name NAME --out FILE`")
  return failure.value.problem
}

describe("SigningKey", () => {
  it("writes the header, the name and the seed in hex, one per line", () => {
    expect(SigningKey.encode("audit.example", seed)).toBe(text)
  })

  it("reads it back into a signer whose signatures the public key verifies", () => {
    const signer = Effect.runSync(SigningKey.decode("k.key", text))
    expect(signer.name).toBe("audit.example")
    const message = Buffer.from("Sealed 2022")
    const signature = signer.sign(message)
    // Ed25519's public key as SPKI DER: the fixed 12-byte prefix, then the 32 bytes.
    const spki = Buffer.concat([
      Buffer.from("302a300506032b6570032100", "hex"),
      Buffer.from(signer.publicKey)
    ])
    expect(verify(null, message, { key: spki, format: "der", type: "spki" }, signature)).toBe(true)
    // Surrounding blank space is not part of the key.
    expect(Effect.runSync(SigningKey.decode("k.key", `\n${text}\n\n`)).name).toBe("audit.example")
  })

  it.each([
    ["its .vkey", "audit.example+cbd5a927+ATZqQxGiLxvNhsL8wOEYYzAve1pNRr8TQiQr8YQq+R7e\n"],
    ["another header", text.replace("v1", "v2")],
    ["a line more", `${text}extra\n`],
    ["a seed one digit short", text.replace(hex, hex.slice(1))],
    ["a seed one digit long", text.replace(hex, `${hex}0`)],
    ["a seed after a letter", text.replace(hex, `g${hex}`)],
    ["a seed in capitals", text.replace(hex, hex.toUpperCase())],
    ["no seed", "utblick-ed25519-seed v1\naudit.example\n"],
    ["three lines of anything", "x\ny\nzz\n"]
  ])("refuses %s", (_what, input) => {
    expect(problemOf(input)).toContain(
      "k.key is not a utblick signing key: it must be the key file utblick keygen wrote, not its .vkey"
    )
  })

  it("refuses a name the signed-note format cannot carry, in the signer's words", () => {
    const problem = problemOf(text.replace("audit.example", "audit example"))
    expect(problem).toContain("k.key is not a utblick signing key: ")
    expect(problem).not.toContain("it must be the key file")
  })
})
