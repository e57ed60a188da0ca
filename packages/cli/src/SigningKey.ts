/**
 * The signing key file `utblick keygen` writes and `checkpoint` and `close-year` sign with: a
 * header line, the key's name and its Ed25519 seed in hex. Declared once, so that every command
 * that reads a key refuses the same files (a verifier key, a truncated file) with the same words.
 *
 * @since 0.4.0
 */
import { Checkpoint } from "@utblick/audit"
import { Effect } from "effect"
import { UsageFailure } from "./CliFailure.js"

const HEADER = "utblick-ed25519-seed v1"

/**
 * The text of a key file for `name` and its 32-byte `seed`.
 *
 * @category encoding
 * @since 0.4.0
 */
export const encode = (name: string, seed: Uint8Array): string =>
  `${HEADER}\n${name}\n${Buffer.from(seed).toString("hex")}\n`

/**
 * The signer of a key file's `text`, or a usage error naming the file at `path`: a file that is
 * not a key (a `.vkey`, a truncated or edited file) is refused before anything is computed or
 * signed.
 *
 * @category encoding
 * @since 0.4.0
 */
export const decode = (path: string, text: string): Effect.Effect<Checkpoint.Signer, UsageFailure> => {
  const [header, name, hex, ...rest] = text.trim().split("\n")
  return header === HEADER && name !== undefined && hex !== undefined && rest.length === 0 && /^[0-9a-f]{64}$/.test(hex)
    ? Effect.try({
        try: () => Checkpoint.makeSigner({ name, seed: Buffer.from(hex, "hex") }),
        catch: (e) => notAKey(path, (e as Error).message)
      })
    : Effect.fail(notAKey(path, "it must be the key file utblick keygen wrote, not its .vkey"))
}

const notAKey = (path: string, why: string) =>
  new UsageFailure({
    problem: `${path} is not a utblick signing key: ${why}`,
    hint: "create one with `utblick keygen --name NAME --out FILE`"
  })
