import { expect } from "vitest"

/** Calls the service over loopback and returns status, content type and parsed body. */
export const call = async (base: string, path: string, init: { method?: string; body?: unknown; raw?: string } = {}) => {
  const response = await fetch(base + path, {
    method: init.method ?? (init.body === undefined && init.raw === undefined ? "GET" : "POST"),
    headers: { "content-type": "application/json" },
    ...(init.raw !== undefined ? { body: init.raw } : init.body === undefined ? {} : { body: JSON.stringify(init.body) })
  })
  const body: unknown = await response.json()
  return { status: response.status, contentType: response.headers.get("content-type") ?? "", body: body as Record<string, unknown> }
}

/** POSTs a command and expects it to be accepted. */
export const post = async (base: string, command: unknown) => {
  const reply = await call(base, "/commands", { body: command })
  expect(reply.status, JSON.stringify(reply.body)).toBe(201)
  return reply.body
}
