/**
 * The HTTP service: routes on Node's `http` module, each request an Effect run on one
 * `ManagedRuntime` that holds the store. Typed errors become RFC 9457 problem bodies:
 *
 * | error | status |
 * |---|---|
 * | `CommandInputError` (bad field, unknown `_tag`, bad query), body not JSON, `InvalidEvent` | 400 |
 * | `NotAuthorized` (the role may not give the command) | 403 |
 * | `ConcurrencyConflict`, `DuplicateEvent` (another writer won; retry) | 409 |
 * | `IdempotencyConflict` (the idempotency key was recorded with other content) | 409 |
 * | any domain rule (`AppropriationExceeded`, `MembershipAlreadyActive`, …) | 422 |
 * | `Unavailable` (store down, disk full) | 503 |
 * | `Corrupt`, `EventDecodeError`, `EventEncodeError`, defects | 500 |
 *
 * `POST /commands` is idempotent: the command's `idempotencyKey` (or the `Idempotency-Key`
 * header, or the key core derives) names the fact, so the same request again answers 200 with
 * `alreadyRecorded: true` instead of 201, and writes nothing. The body must be strict JSON in
 * UTF-8 (no lone surrogates, integers within the safe range, nesting at most 32 deep).
 *
 * A domain rule is 422, not 409: the request is well-formed and nothing raced it; the same
 * command will be refused again until the facts change. 409 is kept for the concurrency conflict,
 * which a retry may resolve.
 *
 * @since 0.1.0
 */
import type { IncomingMessage, ServerResponse } from "node:http"
import { EventStore, StrictJson } from "@utblick/core"
import { CommandInputError, showValue } from "@utblick/core/domain/Command"
import { Commands, Queries, Store } from "@utblick/facade"
import { Cause, Effect, type ManagedRuntime } from "effect"

/**
 * An HTTP response as data.
 *
 * @category models
 * @since 0.1.0
 */
export interface Reply {
  readonly status: number
  readonly body: unknown
  readonly contentType?: string
}

const json = (status: number, body: unknown): Reply => ({ status, body })

/**
 * An RFC 9457 problem body.
 *
 * @category models
 * @since 0.1.0
 */
export interface Problem {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail: string
  readonly code: string
  readonly tag: string
  readonly command?: string
  readonly field?: string
  readonly value?: string
  readonly rule?: string
}

const problem = (
  status: number,
  code: string,
  title: string,
  error: { readonly _tag: string; readonly message: string },
  extra: Partial<Pick<Problem, "command" | "field" | "value" | "rule" | "tag">> = {}
): Reply => ({
  status,
  contentType: "application/problem+json",
  body: {
    type: `urn:utblick:problem:${code.toLowerCase().replaceAll("_", "-")}`,
    title,
    status,
    detail: error.message,
    code,
    tag: error._tag,
    ...extra
  } satisfies Problem
})

const withRule = (error: {
  readonly field: string
  readonly value: string
  readonly rule: string
  readonly command?: string
}) => ({
  field: error.field,
  value: error.value,
  rule: error.rule,
  ...(error.command === undefined ? {} : { command: error.command })
})

/**
 * Turns the typed failure of a command or query into a problem reply. Every tag of the error
 * union is handled, so a new store reason or domain error is a compile error here until mapped.
 *
 * @category constructors
 * @since 0.1.0
 */
export const problemOf = (error: Commands.CommandFailure | Queries.QueryFailure): Reply => {
  switch (error._tag) {
    case "CommandInputError":
      return problem(400, "INVALID_INPUT", "The input is invalid; nothing was written", error, withRule(error))
    case "IdempotencyConflict":
      return problem(
        409,
        "IDEMPOTENCY_CONFLICT",
        `The idempotency key ${JSON.stringify(error.idempotencyKey)} was recorded with other content; nothing was written`,
        error,
        withRule(error)
      )
    case "NotAuthorized":
      return problem(403, "FORBIDDEN", "The actor's role may not give this command", error, {
        command: error.command,
        field: "actor.role",
        value: JSON.stringify(error.role),
        rule: `${error.command} may only be given by: ${error.allowedRoles.join(", ") || "nobody"}`
      })
    case "EventStoreError": {
      const reason = error.reason
      const tag = `EventStoreError/${reason._tag}`
      switch (reason._tag) {
        case "ConcurrencyConflict":
        case "DuplicateEvent":
          return problem(409, "CONFLICT", "Another writer changed the record first; retry", error, { tag })
        case "InvalidEvent":
          return problem(400, "INVALID_INPUT", "An event is invalid; nothing was written", error, {
            tag,
            field: reason.field,
            value: reason.value,
            rule: reason.rule
          })
        case "Unavailable":
          return problem(503, "STORE_UNAVAILABLE", "The store is unavailable; nothing was written", error, { tag })
        case "Corrupt":
          return problem(500, "STORE_CORRUPT", "A stored event is corrupt", error, { tag })
      }
      break
    }
    case "EventDecodeError":
      return problem(500, "STORE_CORRUPT", "A stored event cannot be decoded", error)
    case "EventEncodeError":
      return problem(500, "INTERNAL", "A decided event cannot be stored", error)
    case "DomainError":
      // A domain rule refused the command: the reason names the rule and carries field, value and rule.
      return problem(422, "RULE_VIOLATED", "A domain rule refused the command; nothing was written", error, {
        tag: error.reason._tag,
        ...withRule(error.reason)
      })
  }
  return problem(500, "INTERNAL", "Unexpected error", error)
}

const defect = (cause: Cause.Cause<unknown>): Reply =>
  problem(500, "INTERNAL", "Unexpected error", { _tag: "Defect", message: Cause.pretty(cause) })

const badRequest = (field: string, value: unknown, rule: string, command = "request"): Reply =>
  problemOf(new CommandInputError({ command, field, value: showValue(value), rule }))

/**
 * The request as the router sees it.
 *
 * @category models
 * @since 0.1.0
 */
export interface Request {
  readonly method: string
  readonly url: URL
  /** The body, parsed as JSON; `undefined` when empty, a `SyntaxError` when it is not JSON, a {@link BodyError} when it is not strict JSON in UTF-8. */
  readonly body: unknown
  /** The `Idempotency-Key` header, when sent. */
  readonly idempotencyKey?: string
}

/**
 * A body refused before it is decoded: not UTF-8, or not strict JSON (see core's `StrictJson`).
 *
 * @category errors
 * @since 0.2.0
 */
export class BodyError {
  readonly field: string
  readonly value: string
  readonly rule: string
  constructor(field: string, value: string, rule: string) {
    this.field = field
    this.value = value
    this.rule = rule
  }
}

// The Idempotency-Key header names the fact when the body does not; both must then agree.
const withIdempotencyKey = (body: unknown, header: string | undefined): unknown => {
  if (header === undefined || body === null || typeof body !== "object" || Array.isArray(body)) return body
  const inBody = (body as { readonly idempotencyKey?: unknown }).idempotencyKey
  if (inBody === undefined) return { ...body, idempotencyKey: header }
  return inBody === header
    ? body
    : new BodyError("idempotencyKey", showValue(inBody), `differs from the Idempotency-Key header ${showValue(header)}; send one key`)
}

const text = (url: URL, name: string): string | undefined => {
  const value = url.searchParams.get(name)
  return value === null || value === "" ? undefined : value
}

const timeQuery = (url: URL): Queries.QueryOptions => {
  const asOf = text(url, "asOf")
  const knownAt = text(url, "knownAt")
  const tenant = text(url, "tenant")
  return {
    ...(asOf === undefined ? {} : { asOf }),
    ...(knownAt === undefined ? {} : { knownAt }),
    ...(tenant === undefined ? {} : { tenant })
  }
}

const respond = <A, E extends Commands.CommandFailure | Queries.QueryFailure>(
  status: number,
  effect: Effect.Effect<A, E, EventStore.EventStore>
): Effect.Effect<Reply, never, EventStore.EventStore> =>
  effect.pipe(
    Effect.map((body) => json(status, body)),
    Effect.catch((error) => Effect.succeed(problemOf(error))),
    Effect.catchCause((cause) => Effect.succeed(defect(cause)))
  )

const health = (store: Store.StoreOptions) =>
  Effect.gen(function* () {
    const eventStore = yield* EventStore.EventStore
    const head = yield* eventStore.head
    return { status: "ok", store: Store.describe(store), events: head.size }
  })

const ALLOWED: Readonly<Record<string, string>> = {
  "/commands": "POST",
  "/memberships": "GET",
  "/agreements": "GET",
  "/compare": "GET",
  "/health": "GET"
}

/**
 * Routes one request to its Effect. Never fails: every error is already a reply.
 *
 * @category constructors
 * @since 0.1.0
 */
export const route = (request: Request, store: Store.StoreOptions): Effect.Effect<Reply, never, EventStore.EventStore> => {
  const { method, url } = request
  const path = url.pathname.replace(/\/+$/, "") || "/"
  const yearRoute = /^\/(portfolio|trips|indicators)\/([^/]+)$/.exec(path)
  const expected = yearRoute === null ? ALLOWED[path] : "GET"
  if (expected === undefined) {
    return Effect.succeed(
      problem(404, "NOT_FOUND", "No such resource", { _tag: "NotFound", message: `no route for ${method} ${path}` })
    )
  }
  if (method !== expected) {
    return Effect.succeed(
      problem(405, "METHOD_NOT_ALLOWED", "Method not allowed", {
        _tag: "MethodNotAllowed",
        message: `${path} accepts ${expected}, not ${method}`
      })
    )
  }
  if (yearRoute !== null) {
    const [, kind, year] = yearRoute
    const query = timeQuery(url)
    switch (kind) {
      case "portfolio":
        return respond(200, Queries.portfolio(Number(year), query))
      case "trips":
        return respond(200, Queries.trips(Number(year), query))
      default: {
        const goalsSchemeId = text(url, "goalsSchemeId")
        return respond(
          200,
          Queries.indicators(Number(year), { ...query, ...(goalsSchemeId === undefined ? {} : { goalsSchemeId }) })
        )
      }
    }
  }
  switch (path) {
    case "/commands":
      if (request.body instanceof SyntaxError) {
        return Effect.succeed(badRequest("(body)", "(not JSON)", `the body must be a JSON command: ${request.body.message}`))
      }
      if (request.body instanceof BodyError) return Effect.succeed(badRequest(request.body.field, request.body.value, request.body.rule))
      {
        const body = withIdempotencyKey(request.body, request.idempotencyKey)
        if (body instanceof BodyError) return Effect.succeed(badRequest(body.field, body.value, body.rule))
        return Commands.execute(body).pipe(
          Effect.map((result) => json(result.alreadyRecorded ? 200 : 201, result)),
          Effect.catch((error) => Effect.succeed(problemOf(error)))
        )
      }
    case "/memberships":
      return respond(200, Queries.memberships({ ...timeQuery(url), activeOnly: url.searchParams.get("active") === "true" }))
    case "/agreements": {
      const kind = text(url, "kind")
      const status = text(url, "status")
      if (status !== undefined && !["intended", "active", "dormant", "ended"].includes(status)) {
        return Effect.succeed(badRequest("status", status, "status must be intended, active, dormant or ended", "agreements"))
      }
      return respond(
        200,
        Queries.agreements({
          ...timeQuery(url),
          ...(kind === undefined ? {} : { kind }),
          ...(status === undefined ? {} : { status: status as "intended" | "active" | "dormant" | "ended" })
        })
      )
    }
    case "/compare": {
      const years = (text(url, "years") ?? "").split(",").filter((y) => y !== "")
      if (years.length !== 2) {
        return Effect.succeed(badRequest("years", text(url, "years"), "years must be two years, e.g. years=2017,2022", "compare"))
      }
      const { asOf: _asOf, ...query } = timeQuery(url)
      return respond(200, Queries.compare([Number(years[0]), Number(years[1])], query))
    }
    default:
      return respond(200, health(store))
  }
}

const MAX_BODY = 1024 * 1024

const utf8 = new TextDecoder("utf-8", { fatal: true })

const readBody = (req: IncomingMessage): Promise<string | "too-large" | BodyError> =>
  new Promise((resolve, reject) => {
    const chunks: Array<Buffer> = []
    let size = 0
    req.on("data", (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY) {
        resolve("too-large")
        req.resume()
        return
      }
      chunks.push(chunk)
    })
    req.on("end", () => {
      // Strict UTF-8: a body in Latin-1 would otherwise be stored with U+FFFD in place of å, ä, ö.
      try {
        resolve(utf8.decode(Buffer.concat(chunks)))
      } catch {
        resolve(new BodyError("(body)", "(bytes)", "the body is not UTF-8; send JSON encoded as UTF-8"))
      }
    })
    req.on("error", reject)
  })

const parseJson = (raw: string | BodyError): unknown => {
  if (raw instanceof BodyError) return raw
  if (raw.trim() === "") return undefined
  const parsed = StrictJson.parse(raw)
  if (parsed.ok) return parsed.value
  return parsed.error.rule.startsWith("is not JSON")
    ? new SyntaxError(parsed.error.rule.replace(/^is not JSON: /, ""))
    : new BodyError(parsed.error.field, parsed.error.value, parsed.error.rule)
}

const send = (res: ServerResponse, reply: Reply) => {
  const payload = JSON.stringify(reply.body, null, 2)
  res.writeHead(reply.status, {
    "content-type": `${reply.contentType ?? "application/json"}; charset=utf-8`,
    "content-length": Buffer.byteLength(payload)
  })
  res.end(payload)
}

/**
 * The Node request listener: reads the body, runs the route on the runtime, writes the reply.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeListener =
  (runtime: ManagedRuntime.ManagedRuntime<EventStore.EventStore, unknown>, store: Store.StoreOptions) =>
  (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? "/", "http://localhost")
    readBody(req)
      .then(async (raw) => {
        if (raw === "too-large") {
          return send(
            res,
            problem(413, "TOO_LARGE", "Body too large", { _tag: "TooLarge", message: `bodies are limited to ${MAX_BODY} bytes` })
          )
        }
        const exit = await runtime.runPromiseExit(route({ method: req.method ?? "GET", url, body: parseJson(raw), ...(typeof req.headers["idempotency-key"] === "string" ? { idempotencyKey: req.headers["idempotency-key"] } : {}) }, store))
        send(res, exit._tag === "Success" ? exit.value : problemOfRuntime(exit.cause))
      })
      .catch((error: unknown) => send(res, defect(Cause.die(error))))
  }

// The runtime itself fails only when its layer does: the store could not be (re)opened.
const problemOfRuntime = (cause: Cause.Cause<unknown>): Reply => {
  const failure = Cause.findErrorOption(cause)
  if (
    failure._tag === "Some" &&
    typeof failure.value === "object" &&
    failure.value !== null &&
    (failure.value as { _tag?: unknown })._tag === "EventStoreError"
  ) {
    return problemOf(failure.value as Commands.CommandFailure)
  }
  return defect(cause)
}
