/**
 * Signed checkpoints of the log in the C2SP formats: `tlog-checkpoint` notes (origin, size, root),
 * `signed-note` Ed25519 signatures and key IDs, verifier keys (`vkey` strings), and
 * `tlog-cosignature/v1` witness cosignatures with a quorum.
 *
 * A checkpoint is trusted only through keys the verifier configured out of band. Signature lines
 * from unknown keys are ignored (a note may carry many), a known key with a bad signature rejects
 * the whole note, and nothing inside an export or a note can add a key.
 *
 * @since 0.1.0
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign as edSign,
  verify as edVerify
} from "node:crypto"
import { Data, Result } from "effect"
import { HASH_SIZE } from "./MerkleTree.js"

/**
 * The signature algorithm byte of C2SP signed-note Ed25519 keys.
 *
 * @category constants
 * @since 0.1.0
 */
export const ALG_ED25519 = 0x01

/**
 * The signature algorithm byte of C2SP `tlog-cosignature/v1` Ed25519 witness keys.
 *
 * @category constants
 * @since 0.1.0
 */
export const ALG_COSIGNATURE_V1 = 0x04

/** Bounds that keep parsing of hostile notes cheap (C2SP suggests verifiers limit signatures). */
const MAX_NOTE_BYTES = 64 * 1024
const MAX_SIGNATURES = 100
const MAX_SAFE_SIZE = BigInt(Number.MAX_SAFE_INTEGER)

/**
 * The failure classes of checkpoint parsing and verification.
 *
 * @category models
 * @since 0.1.0
 */
export type CheckpointFailure = "MALFORMED" | "ORIGIN" | "CHECKPOINT_SIGNATURE" | "WITNESS"

/**
 * A checkpoint could not be parsed or trusted. `failure` is the class, `detail` what to check.
 *
 * @category errors
 * @since 0.1.0
 */
export class CheckpointError extends Data.TaggedError("CheckpointError")<{
  readonly failure: CheckpointFailure
  readonly detail: string
}> {
  override get message(): string {
    return `${this.failure}: ${this.detail}`
  }
}

/**
 * The body of a checkpoint: which log, how many entries, and the RFC 9162 root over them.
 *
 * @category models
 * @since 0.1.0
 */
export interface Checkpoint {
  readonly origin: string
  readonly size: number
  readonly root: Uint8Array
  /**
   * C2SP extension lines after the root, signed with the body. Utblick writes none; a verifier
   * accepts and keeps them, as the format allows (C2SP `tlog-checkpoint`).
   */
  readonly extensions?: ReadonlyArray<string>
}

/**
 * A verifier key: a name, its 4-byte key ID and the Ed25519 public key, for the log (`0x01`) or
 * a witness (`0x04`). Optional validity bounds (unix seconds) are checked against witness time.
 *
 * @category models
 * @since 0.1.0
 */
export interface Verifier {
  readonly name: string
  readonly alg: typeof ALG_ED25519 | typeof ALG_COSIGNATURE_V1
  readonly keyId: Uint8Array
  readonly publicKey: Uint8Array
  readonly validFrom?: number
  readonly validUntil?: number
}

/**
 * A signing key with its name; `vkey` is what verifiers configure.
 *
 * @category models
 * @since 0.1.0
 */
export interface Signer {
  readonly name: string
  readonly alg: typeof ALG_ED25519 | typeof ALG_COSIGNATURE_V1
  readonly keyId: Uint8Array
  readonly publicKey: Uint8Array
  readonly vkey: string
  readonly verifier: Verifier
  readonly sign: (message: Uint8Array) => Uint8Array
}

const NAME = /^[^\s+]+$/u

const isValidName = (name: string): boolean => NAME.test(name) && !name.includes("\u2014")

/**
 * The C2SP signed-note key ID: the first 4 bytes of `SHA-256(name ‖ 0x0A ‖ alg ‖ publicKey)`.
 *
 * @category getters
 * @since 0.1.0
 */
export const keyIdOf = (name: string, alg: number, publicKey: Uint8Array): Uint8Array =>
  createHash("sha256")
    .update(name, "utf8")
    .update(Buffer.from([0x0a, alg]))
    .update(publicKey)
    .digest()
    .subarray(0, 4)

const PKCS8_ED25519 = Buffer.from("302e020100300506032b657004220420", "hex")
const SPKI_ED25519 = Buffer.from("302a300506032b6570032100", "hex")

const publicKeyObject = (raw: Uint8Array): KeyObject =>
  createPublicKey({ key: Buffer.concat([SPKI_ED25519, raw]), format: "der", type: "spki" })

/**
 * Verifies one Ed25519 signature of `message` under a verifier key (no note parsing).
 *
 * @category guards
 * @since 0.1.0
 */
export const verifySignature = (verifier: Verifier, message: Uint8Array, signature: Uint8Array): boolean =>
  signature.length === 64 && edVerify(null, message, publicKeyObject(verifier.publicKey), signature)

/**
 * Formats a verifier key as a C2SP vkey string: `<name>+<hex key ID>+<base64(alg ‖ public key)>`.
 *
 * @category formatting
 * @since 0.1.0
 */
export const formatVkey = (v: Pick<Verifier, "name" | "alg" | "keyId" | "publicKey">): string =>
  `${v.name}+${Buffer.from(v.keyId).toString("hex")}+${Buffer.concat([Buffer.from([v.alg]), v.publicKey]).toString("base64")}`

/**
 * Parses a vkey string and checks that its key ID matches its name and key, so that a vkey with
 * a forged ID cannot be configured by mistake.
 *
 * @category encoding
 * @since 0.1.0
 */
export const parseVkey = (
  vkey: string,
  validity: { readonly validFrom?: number; readonly validUntil?: number } = {}
): Result.Result<Verifier, CheckpointError> => {
  const bad = (detail: string) =>
    Result.fail(new CheckpointError({ failure: "MALFORMED", detail: `vkey: ${detail}` }))
  // Split on the first two '+' only: the base64 key may itself contain '+'; names may not.
  const text = vkey.trim()
  const first = text.indexOf("+")
  const second = first === -1 ? -1 : text.indexOf("+", first + 1)
  if (first === -1 || second === -1) return bad("expected <name>+<hex key id>+<base64 key>")
  const [name, idHex, keyB64] = [text.slice(0, first), text.slice(first + 1, second), text.slice(second + 1)]
  if (!isValidName(name)) return bad(`name ${JSON.stringify(name)} must be non-empty without spaces or '+'`)
  if (!/^[0-9a-f]{8}$/.test(idHex)) return bad("the key id must be 8 lowercase hex digits")
  const key = Buffer.from(keyB64, "base64")
  if (key.toString("base64") !== keyB64) return bad("the key is not canonical base64")
  if (key.length !== 33) return bad("the key must be one algorithm byte and a 32-byte Ed25519 key")
  const alg = key[0]
  if (alg !== ALG_ED25519 && alg !== ALG_COSIGNATURE_V1)
    return bad(`unsupported algorithm 0x${alg?.toString(16)}`)
  const publicKey = key.subarray(1)
  const keyId = keyIdOf(name, alg, publicKey)
  if (Buffer.from(keyId).toString("hex") !== idHex) return bad("the key id does not match the name and key")
  return Result.succeed({ name, alg, keyId, publicKey, ...validity })
}

/**
 * Creates an Ed25519 signer, from a 32-byte seed (e.g. read from a KMS-unwrapped secret) or fresh.
 * `alg` is `ALG_ED25519` for a log key, `ALG_COSIGNATURE_V1` for a witness key.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeSigner = (options: {
  readonly name: string
  readonly seed?: Uint8Array
  readonly alg?: typeof ALG_ED25519 | typeof ALG_COSIGNATURE_V1
}): Signer => {
  if (!isValidName(options.name)) {
    throw new CheckpointError({
      failure: "MALFORMED",
      detail: `key name ${JSON.stringify(options.name)} must be non-empty without spaces or '+'`
    })
  }
  const alg = options.alg ?? ALG_ED25519
  const privateKey =
    options.seed === undefined
      ? generateKeyPairSync("ed25519").privateKey
      : createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, options.seed]), format: "der", type: "pkcs8" })
  const spki = createPublicKey(privateKey).export({ format: "der", type: "spki" })
  const publicKey = Buffer.from(spki.subarray(spki.length - 32))
  const keyId = keyIdOf(options.name, alg, publicKey)
  const verifier: Verifier = { name: options.name, alg, keyId, publicKey }
  return {
    name: options.name,
    alg,
    keyId,
    publicKey,
    verifier,
    vkey: formatVkey(verifier),
    sign: (message) => edSign(null, message, privateKey)
  }
}

/**
 * The note body of a checkpoint: `origin\nsize\nbase64(root)\n`, then any extension lines.
 *
 * @category formatting
 * @since 0.1.0
 */
export const formatBody = (checkpoint: Checkpoint): string =>
  `${checkpoint.origin}\n${checkpoint.size}\n${Buffer.from(checkpoint.root).toString("base64")}\n${(checkpoint.extensions ?? []).map((l) => `${l}\n`).join("")}`

const signatureLine = (name: string, keyId: Uint8Array, signature: Uint8Array): string =>
  `\u2014 ${name} ${Buffer.concat([keyId, signature]).toString("base64")}\n`

/**
 * Signs a checkpoint with the log key and returns the signed note text.
 *
 * @category utils
 * @since 0.1.0
 */
export const sign = (checkpoint: Checkpoint, signer: Signer): string => {
  const body = formatBody(checkpoint)
  return `${body}\n${signatureLine(signer.name, signer.keyId, signer.sign(Buffer.from(body, "utf8")))}`
}

const cosignedMessage = (body: string, time: number): Buffer =>
  Buffer.from(`cosignature/v1\ntime ${time}\n${body}`, "utf8")

const u64be = (value: number): Buffer => {
  const b = Buffer.alloc(8)
  b.writeBigUInt64BE(BigInt(value))
  return b
}

/**
 * Adds a witness cosignature (`tlog-cosignature/v1`, timestamp in unix seconds) to a signed note.
 * A witness must only call this after verifying consistency with the last checkpoint it cosigned.
 *
 * @category utils
 * @since 0.1.0
 */
export const cosign = (note: string, witness: Signer, time: number): string => {
  const split = note.indexOf("\n\n")
  const body = note.slice(0, split + 1)
  const signature = witness.sign(cosignedMessage(body, time))
  const payload = Buffer.concat([witness.keyId, u64be(time), signature])
  return `${note}\u2014 ${witness.name} ${payload.toString("base64")}\n`
}

/**
 * One parsed signature line.
 *
 * @category models
 * @since 0.1.0
 */
export interface SignatureLine {
  readonly name: string
  readonly keyId: Uint8Array
  readonly payload: Uint8Array
}

/**
 * A signed note split into its checkpoint body and signature lines (nothing verified yet).
 *
 * @category models
 * @since 0.1.0
 */
export interface ParsedNote {
  readonly body: string
  readonly checkpoint: Checkpoint
  readonly signatures: ReadonlyArray<SignatureLine>
}

const malformed = (detail: string) => Result.fail(new CheckpointError({ failure: "MALFORMED", detail }))

/**
 * Parses a signed checkpoint note strictly: LF line endings only, no BOM, three body lines then
 * any extension lines (C2SP allows them; they are signed with the body), a decimal size without
 * leading zeros, a 32-byte base64 root, at most 100 signatures.
 *
 * @category encoding
 * @since 0.1.0
 */
export const parse = (note: string): Result.Result<ParsedNote, CheckpointError> => {
  if (note.length > MAX_NOTE_BYTES) return malformed(`a note is at most ${MAX_NOTE_BYTES} bytes`)
  if (note.startsWith("\uFEFF")) return malformed("the note starts with a byte order mark; remove it")
  if (note.includes("\r")) return malformed("the note contains CR; signed notes use LF line endings only")
  const split = note.indexOf("\n\n")
  if (split === -1) return malformed("no blank line separates the body from the signatures")
  const body = note.slice(0, split + 1)
  const lines = body.slice(0, -1).split("\n")
  if (lines.length < 3) {
    return malformed(`the body must start with 3 lines (origin, size, root), found ${lines.length}`)
  }
  if (lines.length - 3 > MAX_SIGNATURES) return malformed(`more than ${MAX_SIGNATURES} extension lines`)
  const [origin, sizeText, rootText] = lines as [string, string, string]
  if (origin.length === 0) return malformed("the origin line is empty")
  if (!/^(0|[1-9][0-9]{0,19})$/.test(sizeText))
    return malformed(`size ${JSON.stringify(sizeText.slice(0, 40))} is not a decimal`)
  const size = BigInt(sizeText)
  if (size > MAX_SAFE_SIZE)
    return malformed(`size ${sizeText} exceeds 2^53 − 1, more than any log this verifier can hold`)
  const root = Buffer.from(rootText, "base64")
  if (root.length !== HASH_SIZE || root.toString("base64") !== rootText)
    return malformed("the root must be 32 bytes of canonical base64")
  const sigText = note.slice(split + 2)
  if (!sigText.endsWith("\n")) return malformed("the note must end with a newline")
  const sigLines = sigText.slice(0, -1).split("\n")
  if (sigLines.length > MAX_SIGNATURES) return malformed(`more than ${MAX_SIGNATURES} signature lines`)
  const signatures: Array<SignatureLine> = []
  for (const line of sigLines) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/u.exec(line)
    if (m === null) return malformed(`bad signature line ${JSON.stringify(line.slice(0, 80))}`)
    const name = m[1] as string
    const raw = Buffer.from(m[2] as string, "base64")
    if (raw.length < 5) return malformed(`signature line for ${name} is too short`)
    signatures.push({ name, keyId: raw.subarray(0, 4), payload: raw.subarray(4) })
  }
  if (signatures.length === 0) return malformed("the note carries no signature")
  const extensions = lines.slice(3)
  return Result.succeed({
    body,
    checkpoint: { origin, size: Number(size), root, ...(extensions.length === 0 ? {} : { extensions }) },
    signatures
  })
}

/**
 * A witness cosignature that verified: which witness and the time it attested.
 *
 * @category models
 * @since 0.1.0
 */
export interface Cosignature {
  readonly witness: string
  readonly time: number
}

/**
 * A checkpoint whose log signature (and witness quorum, if asked) verified.
 *
 * @category models
 * @since 0.1.0
 */
export interface VerifiedCheckpoint {
  readonly checkpoint: Checkpoint
  readonly body: string
  readonly note: string
  /** Names of the trusted log keys whose signatures verified. */
  readonly signedBy: ReadonlyArray<string>
  readonly cosignatures: ReadonlyArray<Cosignature>
}

/**
 * What a verifier trusts: the expected origin, the log keys, and optionally witness keys with a
 * quorum (how many distinct witnesses must have cosigned).
 *
 * @category models
 * @since 0.1.0
 */
export interface TrustPolicy {
  readonly origin: string
  readonly logKeys: ReadonlyArray<Verifier>
  readonly witnesses?: ReadonlyArray<Verifier>
  readonly witnessQuorum?: number
}

const matches = (v: Verifier, s: SignatureLine) => v.name === s.name && Buffer.from(v.keyId).equals(s.keyId)

const withinValidity = (v: Verifier, time: number | undefined): boolean =>
  time === undefined ||
  ((v.validFrom === undefined || time >= v.validFrom) && (v.validUntil === undefined || time <= v.validUntil))

/**
 * Verifies a signed checkpoint note against a {@link TrustPolicy}. Keys come only from the
 * policy; the note cannot introduce any.
 *
 * **Gotchas**: a checkpoint signed by the right key for another log fails with `ORIGIN` (A11); a
 * key with the trusted name but different bytes is simply unknown, which leaves no trusted
 * signature and fails with `CHECKPOINT_SIGNATURE` (A10).
 *
 * @category guards
 * @since 0.1.0
 */
export const verifyNote = (
  note: string,
  policy: TrustPolicy
): Result.Result<VerifiedCheckpoint, CheckpointError> => {
  const parsed = parse(note)
  if (Result.isFailure(parsed)) return Result.fail(parsed.failure)
  const { body, checkpoint, signatures } = parsed.success
  const fail = (failure: CheckpointFailure, detail: string) =>
    Result.fail(new CheckpointError({ failure, detail }))
  if (checkpoint.origin !== policy.origin) {
    return fail(
      "ORIGIN",
      `the checkpoint is for log ${JSON.stringify(checkpoint.origin)}, expected ${JSON.stringify(policy.origin)}`
    )
  }
  const bodyBytes = Buffer.from(body, "utf8")
  const signedBy: Array<string> = []
  const cosignatures: Array<Cosignature> = []
  const witnesses = policy.witnesses ?? []
  for (const line of signatures) {
    const logKey = policy.logKeys.find((v) => v.alg === ALG_ED25519 && matches(v, line))
    if (logKey !== undefined) {
      if (
        line.payload.length !== 64 ||
        !edVerify(null, bodyBytes, publicKeyObject(logKey.publicKey), line.payload)
      ) {
        return fail(
          "CHECKPOINT_SIGNATURE",
          `the signature of trusted key ${logKey.name} does not verify: the note was altered`
        )
      }
      signedBy.push(logKey.name)
      continue
    }
    const witness = witnesses.find((v) => v.alg === ALG_COSIGNATURE_V1 && matches(v, line))
    if (witness !== undefined) {
      if (line.payload.length !== 72)
        return fail("WITNESS", `cosignature of ${witness.name} has the wrong length`)
      const time = Number(Buffer.from(line.payload.subarray(0, 8)).readBigUInt64BE())
      if (!Number.isSafeInteger(time))
        return fail("WITNESS", `cosignature time of ${witness.name} is out of range`)
      if (
        !edVerify(
          null,
          cosignedMessage(body, time),
          publicKeyObject(witness.publicKey),
          line.payload.subarray(8)
        )
      ) {
        return fail("WITNESS", `the cosignature of trusted witness ${witness.name} does not verify`)
      }
      if (!cosignatures.some((c) => c.witness === witness.name))
        cosignatures.push({ witness: witness.name, time })
    }
    // Signatures from keys the verifier did not configure are ignored, as C2SP requires.
  }
  if (signedBy.length === 0) {
    return fail(
      "CHECKPOINT_SIGNATURE",
      "no signature from a trusted log key; get the log's vkey through an independent channel and never from the export"
    )
  }
  const firstTime = cosignatures.length > 0 ? Math.min(...cosignatures.map((c) => c.time)) : undefined
  for (const name of signedBy) {
    const key = policy.logKeys.find((v) => v.name === name) as Verifier
    if (!withinValidity(key, firstTime)) {
      return fail(
        "CHECKPOINT_SIGNATURE",
        `key ${name} signed outside its validity window (witness time ${firstTime})`
      )
    }
  }
  const quorum = policy.witnessQuorum ?? 0
  if (cosignatures.length < quorum) {
    return fail("WITNESS", `${cosignatures.length} of the required ${quorum} witness cosignatures verified`)
  }
  return Result.succeed({ checkpoint, body, note, signedBy, cosignatures })
}

/**
 * Compares two checkpoints of the same size: different roots are a split view (A8), and the two
 * signed notes together are the evidence.
 *
 * @category guards
 * @since 0.1.0
 */
export const isFork = (a: Checkpoint, b: Checkpoint): boolean =>
  a.origin === b.origin && a.size === b.size && !Buffer.from(a.root).equals(b.root)
