/**
 * The auditor's commands, thin wrappers over `@utblick/audit`: `trail`, `keygen`, `checkpoint`,
 * `prove`, `forget`, `restore`, `migrate` and `verify-receipt` (`verify` is in `Verify.ts`).
 *
 * @since 0.1.0
 */
import { randomBytes } from "node:crypto"
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { dirname, join, resolve } from "node:path"
import { Checkpoint, CryptoShredding, DecisionTrail, Export, MerkleTree, Receipt } from "@utblick/audit"
import { type Envelope, EventStore, Money } from "@utblick/core"
import { Console, Effect, Option, Result, Stream } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { Finding, UsageFailure } from "../CliFailure.js"
import * as Kept from "../Kept.js"
import { emit, writeStream } from "../Output.js"
import * as Provenance from "../Provenance.js"
import * as Restore from "../Restore.js"
import { root } from "../Root.js"
import * as Sidecar from "../Sidecar.js"
import * as SigningKey from "../SigningKey.js"
import * as Store from "../Store.js"
import { calendarDate, json, readText, signerFrom, storeProblem, trustFrom } from "./Shared.js"
import { clearSnapshots } from "./Rebuild.js"

// Each personal field of a trail line is shown as sealed, or erased with its erasure cited; its
// value never is (the trail is for the audit file).
const withPersonal = (
  entries: ReadonlyArray<DecisionTrail.Entry>,
  events: ReadonlyArray<{ readonly position: number; readonly payload: unknown }>,
  keysFile: string
) =>
  Effect.gen(function* () {
    const payloads = new Map(events.map((e) => [e.position, e.payload]))
    const out: Array<DecisionTrail.Entry & { readonly personal: ReadonlyArray<{ readonly pointer: string; readonly status: string }> }> = []
    for (const e of entries) {
      const found = CryptoShredding.findSealed(payloads.get(e.position), "/payload")
      const personal: Array<{ pointer: string; status: string }> = []
      for (const { pointer, sealed } of found) {
        const state = existsSync(keysFile)
          ? yield* Store.withKeys(keysFile)(Effect.flatMap(CryptoShredding.KeyStore, (ks) => ks.lookup(sealed.$enc.kid))).pipe(
              Effect.orElseSucceed(() => ({ status: "missing" }) as const)
            )
          : ({ status: "missing" } as const)
        personal.push({
          pointer,
          status:
            state.status === "erased"
              ? `erased on ${state.tombstone.erasedAt} (request ${state.tombstone.requestRef}${state.tombstone.erasedEventId === undefined ? "" : `, SubjectErased ${state.tombstone.erasedEventId}`})`
              : state.status === "active"
                ? `sealed (key ${sealed.$enc.kid})`
                : `sealed, key ${sealed.$enc.kid} not in the key store and no erasure recorded (an audit finding)`
        })
      }
      out.push({ ...e, personal })
    }
    return out
  })

/**
 * `utblick trail REF`: the trail of one decision. An application id (or its stream id) gives the
 * application's own events and its budget reservation, never other applications'; otherwise a
 * stream id, or a case number across streams. Each line carries what an auditor cites: event id
 * (for `prove`), position, amount, actor, role, case number, basis, and both clocks.
 *
 * @category verification
 * @since 0.1.0
 */
export const trail = Command.make(
  "trail",
  {
    ref: Argument.String("ref").pipe(Argument.withDescription("An application id or stream id, or a case number")),
    actor: Flag.String("actor").pipe(Flag.withDescription("Only events by this actor id"), Flag.optional),
    from: Flag.String("from").pipe(Flag.withDescription("Only events that happened on or after this date (YYYY-MM-DD)"), Flag.optional),
    to: Flag.String("to").pipe(Flag.withDescription("Only events that happened on or before this date (YYYY-MM-DD)"), Flag.optional),
    json
  },
  ({ ref, json, ...flags }) =>
    Effect.gen(function* () {
      const { store: where } = yield* root
      yield* calendarDate("--from", flags.from)
      yield* calendarDate("--to", flags.to)
      // Only the events the trail can show are kept as the log is read: those of the stream
      // named, of the application named (its stream and the events naming it), or of the case.
      const id = ref.startsWith("application-") ? ref.slice("application-".length) : ref
      const { events, origin } = yield* Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const events: Array<Envelope.StoredEvent> = []
        yield* Stream.runForEach(store.readAll(), (e) =>
          Effect.sync(() => {
            const application = e.payload["applicationId"]
            if (
              e.streamId === ref ||
              e.streamId === `application-${id}` ||
              application === id ||
              application === ref ||
              e.decisionRef === ref
            )
              events.push(e)
          })
        )
        return { events, origin: store.origin }
      }).pipe(Effect.mapError(storeProblem), Store.withStore(where, { mustExist: true }))
      const isApplication =
        ref.startsWith("application-") ||
        events.some((e) => e.payload["applicationId"] === ref)
      let how: string
      let entries: ReadonlyArray<DecisionTrail.Entry>
      if (isApplication) {
        how = "application"
        entries = DecisionTrail.ofApplication(events, ref)
      } else {
        how = "stream"
        entries = DecisionTrail.ofStream(events, ref)
        if (entries.length === 0) {
          how = "case number"
          entries = DecisionTrail.byDecisionRef(events, ref)
        }
      }
      if (entries.length === 0) {
        return yield* new UsageFailure({
          problem: `nothing in the log matches ${JSON.stringify(ref)}`,
          hint: "give an application id (or application-…), a stream id, or a case number exactly as recorded (e.g. \"RUN 00060-2022\")"
        })
      }
      const filter: DecisionTrail.Filter = {
        ...(Option.isSome(flags.actor) ? { actor: flags.actor.value } : {}),
        ...(Option.isSome(flags.from) ? { from: flags.from.value } : {}),
        ...(Option.isSome(flags.to) ? { to: flags.to.value } : {})
      }
      const shown = yield* withPersonal(DecisionTrail.filter(entries, filter), events, Store.keyStoreFile(where, origin))
      if (json) return yield* Console.log(JSON.stringify({ ref, matchedBy: how, filter, entries: shown }, null, 2))
      yield* Console.log(
        `Decision trail of ${ref} (by ${how}), ${shown.length} event${shown.length === 1 ? "" : "s"}${shown.length === entries.length ? "" : ` of ${entries.length} (filtered)`}:`
      )
      for (const e of shown) {
        yield* Console.log(
          `  ${e.occurredAt}  ${e.type.padEnd(26)}${e.amount === null ? "" : ` ${Money.formatSek(e.amount)}`}  ${e.actor} (${e.role})${e.decisionRef === null ? "" : `  case ${e.decisionRef}`}`
        )
        yield* Console.log(`      event ${e.eventId}  position ${e.position}  ${e.streamId} v${e.streamVersion}  recorded ${e.recordedAt}`)
        if (e.basis !== null) yield* Console.log(`      basis ${typeof e.basis === "string" ? e.basis : JSON.stringify(e.basis)}`)
        for (const p of e.personal) yield* Console.log(`      personal ${p.pointer.slice("/payload/".length)} ${p.status}`)
      }
      yield* Console.log("A receipt for one line: utblick prove EVENT-ID --out FILE")
    })
).pipe(
  Command.withDescription("The decision trail of an application or case: who, in which role, when (both clocks), case number, basis, amount and event id"),
  Command.withExamples([
    { command: 'utblick trail "RUN 00060-2022"', description: "Every decision under a case number" },
    { command: "utblick trail region-norrbotten-2022-b001 --actor rus-board", description: "One application, the board's decisions only" }
  ])
)

/**
 * `utblick keygen`.
 *
 * @category getters
 * @since 0.1.0
 */
export const keygen = Command.make(
  "keygen",
  {
    name: Flag.String("name").pipe(Flag.withDescription("The key name, e.g. audit.lulea.example (no spaces)")),
    out: Flag.String("out").pipe(Flag.withDescription("The secret key file; FILE.vkey gets the public key"), Flag.withDefault("utblick.key"))
  },
  ({ name, out }) =>
    Effect.gen(function* () {
      const seed = randomBytes(32)
      const signer = yield* Effect.try({
        try: () => Checkpoint.makeSigner({ name, seed }),
        catch: (e) => new UsageFailure({ problem: (e as Error).message, hint: "choose a key name without spaces or '+'" })
      })
      yield* Effect.try({
        try: () => {
          writeFileSync(resolve(out), SigningKey.encode(name, seed), { mode: 0o600 })
          writeFileSync(resolve(`${out}.vkey`), `${signer.vkey}\n`)
        },
        catch: (e) => new UsageFailure({ problem: `cannot write ${out}: ${(e as Error).message}`, hint: "check the directory" })
      })
      yield* Console.log(`Wrote the signing key to ${resolve(out)} (keep it secret) and the verifier key to ${resolve(`${out}.vkey`)}:`)
      yield* Console.log(signer.vkey)
    })
).pipe(
  Command.withDescription("Create an Ed25519 signing key for checkpoints (and its .vkey for auditors)"),
  Command.withExamples([{ command: "utblick keygen --name audit.lulea.example --out audit.key", description: "audit.key and audit.key.vkey" }])
)

/**
 * `utblick checkpoint --key FILE`.
 *
 * @category verification
 * @since 0.1.0
 */
export const checkpoint = Command.make(
  "checkpoint",
  { key: Flag.String("key").pipe(Flag.withDescription("The signing key file from utblick keygen")) },
  ({ key }) =>
    Effect.gen(function* () {
      const { store: where } = yield* root
      const signer = yield* signerFrom(key)
      const log = yield* Provenance.logState().pipe(Effect.mapError(storeProblem), Store.withStore(where, { mustExist: true }))
      const note = Checkpoint.sign({ origin: log.origin, size: log.size, root: Buffer.from(log.merkleRoot, "base64") }, signer)
      const path = Sidecar.write(where, "checkpoints", `${String(log.size).padStart(12, "0")}.note`, note, log.origin)
      yield* Console.log(`Signed checkpoint of ${log.size} events, kept at ${path}:`)
      yield* Console.log(note.trimEnd())
    })
).pipe(
  Command.withDescription("Sign the Merkle root of the log (a C2SP checkpoint) and keep it next to the store; publish it"),
  Command.withExamples([{ command: "utblick checkpoint --key audit.key", description: "Sign the current log" }])
)

/**
 * `utblick prove EVENT-ID`.
 *
 * @category verification
 * @since 0.1.0
 */
export const prove = Command.make(
  "prove",
  {
    eventId: Argument.String("event-id").pipe(Argument.withDescription("The eventId of a decision")),
    out: Flag.String("out").pipe(Flag.withDescription("Write the receipt to FILE"), Flag.optional)
  },
  ({ eventId, out }) =>
    Effect.gen(function* () {
      const { store: where } = yield* root
      // Two reads of the log, neither held: the records until the event is found, then the
      // hashes, each hashed into the one subtree of the inclusion proof it belongs to.
      const found = yield* Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        const latest = Sidecar.latestCheckpoint(where, store.origin)
        if (latest === undefined) return undefined
        const size = Number(latest.note.split("\n")[1])
        const quoted = `"eventId":${JSON.stringify(eventId)}`
        const record = yield* store.readRecords({ toPosition: size }).pipe(
          Stream.filter(
            (r) =>
              r.position < size &&
              r.canonical.includes(quoted) &&
              (JSON.parse(r.canonical) as { readonly eventId?: string }).eventId === eventId
          ),
          Stream.runHead,
          Effect.map(Option.getOrUndefined)
        )
        if (record === undefined) return { latest, size, record }
        const ranges = MerkleTree.inclusionProofRanges(record.position, size)
        const subtrees = ranges.map(() => MerkleTree.makeCompactRange())
        // The ranges in leaf order, each with its subtree; the leaves arrive in order too.
        const byStart = ranges.map((range, i) => ({ range, subtree: subtrees[i] as MerkleTree.CompactRange })).sort((a, b) => a.range[0] - b.range[0])
        let at = 0
        yield* Stream.runForEach(EventStore.readHashes(store, { toPosition: size }), ({ position, hash }) =>
          Effect.sync(() => {
            while (at < byStart.length && (byStart[at]?.range[1] ?? 0) <= position) at++
            const next = byStart[at]
            if (next !== undefined && position >= next.range[0] && position < next.range[1]) next.subtree.appendEventHash(hash)
          })
        )
        return { latest, size, record, inclusion: subtrees.map((subtree) => subtree.root()) }
      }).pipe(Effect.mapError(storeProblem), Store.withStore(where, { mustExist: true }))
      if (found === undefined) {
        return yield* new UsageFailure({ problem: "no checkpoint has been kept for this store", hint: "run `utblick checkpoint --key FILE` first" })
      }
      const { latest, size, record } = found
      if (record === undefined || found.inclusion === undefined) {
        return yield* new UsageFailure({
          problem: `no event ${eventId} among the ${size} events of the latest checkpoint`,
          hint: "check the id (utblick trail shows positions and hashes), or sign a newer checkpoint"
        })
      }
      const receipt = Receipt.make({ record, inclusion: found.inclusion, checkpointNote: latest.note, checkpointSize: size })
      const text = `${receipt.proof.trimEnd()}\n`
      if (Option.isSome(out)) writeFileSync(resolve(`${out.value}.event.json`), receipt.record)
      yield* emit(text, out, `the receipt of event ${eventId} (position ${record.position}); the event bytes are in ${Option.getOrElse(out, () => "")}.event.json`)
    })
).pipe(
  Command.withDescription("A decision receipt: an RFC 9162 inclusion proof of one event under the latest signed checkpoint"),
  Command.withExamples([{ command: "utblick prove 01890f3e-… --out decision.tlog-proof", description: "For the applicant or the auditor" }])
)

/**
 * `utblick forget SUBJECT`.
 *
 * @category verification
 * @since 0.1.0
 */
export const forget = Command.make(
  "forget",
  {
    subject: Argument.String("subject").pipe(Argument.withDescription("The pseudonymous subjectRef of the person")),
    request: Flag.String("request").pipe(Flag.withDescription("The erasure request's case number")),
    legalBasis: Flag.String("legal-basis").pipe(Flag.withDescription("e.g. GDPR art. 17"), Flag.withDefault("GDPR art. 17")),
    tenant: Flag.String("tenant").pipe(Flag.withDescription("Whose record the erasure is recorded in")),
    actor: Flag.String("actor").pipe(Flag.withDescription("ID:ROLE of who erases"), Flag.withDefault("dataskyddsombud:data-protection-officer")),
    keys: Flag.String("keys").pipe(Flag.withDescription("The key store file (default: next to the store)"), Flag.optional)
  },
  (flags) =>
    Effect.gen(function* () {
      const { store: where } = yield* root
      const [id, role] = flags.actor.split(":")
      const kid = CryptoShredding.kidOf(flags.subject)
      const origin = yield* Effect.map(EventStore.EventStore, (s) => s.origin).pipe(Store.withStore(where, { mustExist: true }))
      const keysFile = Option.getOrElse(flags.keys, () => Store.keyStoreFile(where, origin))
      const withKeys = Store.withKeys(keysFile)
      const keyProblem = (e: CryptoShredding.KeyStoreError) => new UsageFailure({ problem: e.message, hint: `check the key store file ${keysFile} (--keys)` })
      const state = yield* withKeys(Effect.flatMap(CryptoShredding.KeyStore, (ks) => ks.lookup(kid))).pipe(Effect.mapError(keyProblem))
      if (state.status === "missing") {
        return yield* new UsageFailure({
          problem: `UnknownSubject: no personal data is held for subject ${JSON.stringify(flags.subject)} (no key ${kid} and no erasure in ${keysFile}); nothing was recorded`,
          hint: "give the pseudonymous subject reference exactly as recorded in the trip (the traveller field, e.g. subject-…)"
        })
      }
      if (state.status === "erased") {
        const t = state.tombstone
        yield* Console.log(
          `Subject ${flags.subject} was already forgotten on ${t.erasedAt} (request ${t.requestRef}${t.erasedEventId === undefined ? "" : `, SubjectErased ${t.erasedEventId}`}); nothing changed`
        )
        return
      }
      // The design's order: record SubjectErased (no personal data in it), then destroy the key.
      const appended = yield* Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        return yield* store.append(`erasure-${flags.subject.toLowerCase().replace(/[^a-z0-9._:-]/g, "-")}`, [
          {
            type: "SubjectErased",
            schemaVersion: 1,
            occurredAt: new Date().toISOString().slice(0, 10),
            tenant: flags.tenant,
            actor: { id: id ?? "", role: role ?? "" },
            decisionRef: flags.request,
            payload: { subjectRef: flags.subject, kid, requestRef: flags.request, legalBasis: flags.legalBasis }
          }
        ])
      }).pipe(
        Effect.mapError((e) => new UsageFailure({ problem: `the erasure could not be recorded: ${e.message}`, hint: "check --tenant and --actor" })),
        Store.withStore(where, { mustExist: true })
      )
      const eventId = appended.events[0]?.eventId
      const tombstone = yield* withKeys(
        Effect.flatMap(CryptoShredding.KeyStore, (ks) =>
          ks.forget(flags.subject, {
            requestRef: flags.request,
            legalBasis: flags.legalBasis,
            ...(eventId === undefined ? {} : { erasedEventId: eventId })
          })
        )
      ).pipe(Effect.mapError(keyProblem))
      // Persisted read-model snapshots are derived from the decrypted log: none may outlive the
      // erasure (ADR 0035). They are rebuilt on the next report.
      yield* clearSnapshots.pipe(
        Effect.mapError((e) => new UsageFailure({ problem: `the key was destroyed, but the read-model snapshots could not be deleted: ${e.message}`, hint: "run `utblick rebuild` to delete them" })),
        Store.withStore(where, { mustExist: true })
      )
      yield* Console.log(
        `Erased subject ${flags.subject}: key ${tombstone.kid} destroyed at ${tombstone.erasedAt}, SubjectErased recorded as ${eventId}; the chain still verifies`
      )
    })
).pipe(
  Command.withDescription("Crypto-shred a person's data: record SubjectErased and destroy their key; proofs stay intact"),
  Command.withExamples([{ command: 'utblick forget s-7f3a --request "KS 2024/0912" --tenant lulea-kommun', description: "Erase one traveller" }])
)

const restoreFlags = {
  trust: Flag.String("trust").pipe(Flag.withDescription("The log's verifier key (.vkey), to check the export against --previous"), Flag.optional),
  previous: Flag.String("previous").pipe(
    Flag.withDescription("Checkpoint notes (or exports) you kept, or a folder: the export must extend each of them"),
    Flag.atLeast(0)
  ),
  keys: Flag.String("keys").pipe(
    Flag.withDescription("The key store to carry over to the restored log (migrate: the source's, by default)"),
    Flag.optional
  )
}

// The key store is not in an export: carried over as a file, never over one already there.
const carryKeys = (from: string | undefined, where: string, origin: string, sealed: boolean) =>
  Effect.gen(function* () {
    const to = Store.keyStoreFile(where, origin)
    if (from === undefined || !existsSync(from)) {
      if (sealed) {
        yield* Console.log(
          "keys          no key store carried over: sealed fields stay sealed and unreadable until it is (--keys FILE)"
        )
      }
      return
    }
    if (existsSync(to)) {
      yield* Console.log(`keys          ${to} already exists; kept as it is, ${from} not copied`)
      return
    }
    yield* Effect.try({
      try: () => {
        mkdirSync(dirname(to), { recursive: true })
        copyFileSync(from, to)
      },
      catch: (e) => new UsageFailure({ problem: `cannot copy the key store to ${to}: ${(e as Error).message}`, hint: "copy it by hand" })
    })
    yield* Console.log(`keys          the key store ${from} copied to ${to}`)
  })

const restoreInto = (
  where: string,
  name: string,
  path: string,
  flags: { readonly trust: Option.Option<string>; readonly previous: ReadonlyArray<string>; readonly keys: Option.Option<string> },
  defaultKeys?: (origin: string) => string
) =>
  Effect.gen(function* () {
    const verified = yield* Restore.verifyExport(name, path)
    if (flags.previous.length > 0) {
      if (Option.isNone(flags.trust)) {
        return yield* new UsageFailure({ problem: "--previous needs --trust", hint: "pass the log's .vkey with --trust" })
      }
      const kept = yield* Kept.load(flags.previous)
      yield* Restore.checkKept(verified, yield* trustFrom(verified.origin, flags.trust.value), kept)
    }
    const restored = yield* Restore.write(where, verified)
    const report = restored.report
    yield* Console.log(
      `Restored ${restored.records} events into ${Store.describe(Store.parse(where) as Store.StoreSpec)}: origin ${verified.origin}, positions 0 to ${restored.records - 1}, recordedAt and hashes as exported, head ${restored.lastHash.slice(0, 16)}…`
    )
    yield* Console.log(`verify        ${report.ok ? "PASS" : `FAIL ${report.failure?.class}`}  merkle root ${report.root}`)
    yield* carryKeys(Option.getOrUndefined(flags.keys) ?? defaultKeys?.(verified.origin), where, verified.origin, restored.encrypted)
    if (!report.ok) {
      return yield* new Finding({ problem: `the restored store does not verify: ${report.failure?.detail}`, hint: "report this with the export" })
    }
  })

/**
 * `utblick restore EXPORT`: a verified export into an empty store, keeping everything.
 *
 * @category verification
 * @since 0.2.0
 */
export const restore = Command.make(
  "restore",
  { file: Argument.String("export").pipe(Argument.withDescription("An export written by utblick export")), ...restoreFlags },
  (flags) =>
    Effect.gen(function* () {
      const { store: where } = yield* root
      yield* restoreInto(where, flags.file, flags.file, flags)
    })
).pipe(
  Command.withDescription(
    "Restore an export into an empty store, keeping origin, positions, recordedAt and hashes, so old checkpoints and receipts verify. The export's chain is verified first; any mismatch refuses it, naming the line"
  ),
  Command.withExamples([
    { command: "utblick --store sqlite:restored.db restore backup.jsonl", description: "From a backup" },
    { command: "utblick --store sqlite:restored.db restore backup.jsonl --trust audit.key.vkey --previous kept/", description: "Also check it against the checkpoints you kept" }
  ])
)

/**
 * `utblick migrate --to STORE`: copies the log of `--store` into an empty store, keeping everything.
 *
 * @category verification
 * @since 0.2.0
 */
export const migrate = Command.make(
  "migrate",
  { to: Flag.String("to").pipe(Flag.withDescription("The empty target store: sqlite:PATH or postgres://…")), ...restoreFlags },
  (flags) =>
    Effect.gen(function* () {
      const { store: where } = yield* root
      // The log goes through an export file (removed after): a copy of any size is never held whole.
      yield* Effect.acquireUseRelease(
        Effect.sync(() => mkdtempSync(join(tmpdir(), "utblick-migrate-"))),
        (dir) =>
          Effect.gen(function* () {
            const file = join(dir, "export.jsonl")
            yield* writeStream(Export.lines().pipe(Stream.mapError(storeProblem)), file).pipe(
              Store.withStore(where, { mustExist: true })
            )
            yield* restoreInto(flags.to, Store.describe(Store.parse(where) as Store.StoreSpec), file, flags, (origin) =>
              Store.keyStoreFile(where, origin)
            )
          }),
        (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
      )
    })
).pipe(
  Command.withDescription("Copy the log into another, empty store (SQLite ↔ PostgreSQL), verified first and kept exactly: origin, positions, recordedAt, hashes"),
  Command.withExamples([{ command: "utblick --store sqlite:utblick.db migrate --to postgres://utblick@db/utblick", description: "Move to PostgreSQL" }])
)

/**
 * `utblick verify-receipt RECEIPT --trust KEY.vkey`: checks a decision receipt offline, with only
 * the trusted key: no store, no network.
 *
 * @category verification
 * @since 0.2.0
 */
export const verifyReceipt = Command.make(
  "verify-receipt",
  {
    receipt: Argument.String("receipt").pipe(Argument.withDescription("The proof file written by utblick prove --out FILE")),
    event: Flag.String("event").pipe(Flag.withDescription("The event bytes (default: RECEIPT.event.json, as prove writes them)"), Flag.optional),
    trust: Flag.String("trust").pipe(Flag.withDescription("The log's verifier key (.vkey), obtained out of band")),
    origin: Flag.String("origin").pipe(Flag.withDescription("Require this log origin (default: the one the signed checkpoint names)"), Flag.optional),
    json
  },
  (flags) =>
    Effect.gen(function* () {
      const proof = yield* readText(flags.receipt, "receipt")
      const record = yield* readText(Option.getOrElse(flags.event, () => `${flags.receipt}.event.json`), "event bytes of the receipt")
      // The origin the signed note names; the signature check below is what makes it trustworthy.
      const blank = proof.indexOf("\n\n")
      const named = blank === -1 ? undefined : proof.slice(blank + 2).split("\n")[0]
      const origin = Option.getOrElse(flags.origin, () => named ?? "")
      const trust = yield* trustFrom(origin, flags.trust)
      const result = Receipt.verify({ proof, record }, trust)
      if (Result.isFailure(result)) {
        const f = result.failure
        if (flags.json) yield* Console.log(JSON.stringify({ ok: false, failure: f }, null, 2))
        else yield* Console.log(`RESULT        FAIL ${f.class}: ${f.detail}`)
        return yield* f.class === "MALFORMED"
          ? new UsageFailure({ problem: `${flags.receipt}: ${f.detail}`, hint: "pass the two files utblick prove --out wrote, unchanged" })
          : new Finding({ problem: `the receipt does not verify: ${f.class}`, hint: "keep the receipt as evidence and ask the log's operator for a fresh one" })
      }
      const v = result.success
      const event = v.event as { readonly eventId?: string; readonly type?: string; readonly occurredAt?: string; readonly recordedAt?: string; readonly decisionRef?: string | null }
      if (flags.json) {
        return yield* Console.log(
          JSON.stringify({ ok: true, index: v.index, eventHash: v.eventHash, event: v.event, checkpoint: { ...v.checkpoint.checkpoint, root: Buffer.from(v.checkpoint.checkpoint.root).toString("base64"), signedBy: v.checkpoint.signedBy } }, null, 2)
        )
      }
      yield* Console.log(`origin        ${v.checkpoint.checkpoint.origin}`)
      yield* Console.log(`event         ${event.eventId} ${event.type} occurred ${event.occurredAt}, recorded ${event.recordedAt}${event.decisionRef ? `, case ${event.decisionRef}` : ""}`)
      yield* Console.log(`inclusion     position ${v.index} of ${v.checkpoint.checkpoint.size}, event hash ${v.eventHash}`)
      yield* Console.log(`checkpoint    signed by ${v.checkpoint.signedBy.join(", ")}`)
      yield* Console.log("RESULT        PASS")
    })
).pipe(
  Command.withDescription("Verify a decision receipt offline with only the trusted key: the event is included under a signed checkpoint"),
  Command.withExamples([{ command: "utblick verify-receipt decision.tlog-proof --trust audit.key.vkey", description: "With decision.tlog-proof.event.json beside it" }])
)
