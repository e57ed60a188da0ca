/** Helpers for import tests that drive the CLI as a child process on a real SQLite file. */
import { spawn, spawnSync } from "node:child_process"
import { writeFileSync } from "node:fs"
import { join } from "node:path"

// tsx resolved from here, so that a child started in another working directory still finds it.
const bin = ["--conditions=@utblick/source", "--import", import.meta.resolve("tsx"), join(import.meta.dirname, "../src/bin.ts")]
const packageDir = join(import.meta.dirname, "..")

/**
 * Runs `utblick ARGS` as a child process; returns exit code, stdout and stderr. `cwd` is the
 * package by default; a PostgreSQL log keeps its key store under the working directory, so
 * tests on PostgreSQL pass a temporary one.
 */
export const utblick = (args: ReadonlyArray<string>, cwd = packageDir) => {
  const r = spawnSync(process.execPath, [...bin, ...args], {
    encoding: "utf8",
    cwd,
    env: { ...process.env, CI: "true" },
    maxBuffer: 64 * 1024 * 1024
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** Starts `utblick ARGS` without waiting (for Ctrl-C and concurrency tests). */
export const utblickAsync = (args: ReadonlyArray<string>, cwd = packageDir) =>
  spawn(process.execPath, [...bin, ...args], { cwd, env: { ...process.env, CI: "true" } })

/** The log's size and head hash, from `status --json`. */
export const headOf = (store: string, cwd = packageDir): { readonly events: number; readonly head: string } => {
  const r = utblick(["--store", store, "status", "--json"], cwd)
  if (r.code !== 0) throw new Error(r.stderr)
  const s = JSON.parse(r.stdout) as { readonly events: number; readonly headHash: string }
  return { events: s.events, head: s.headHash }
}

/** Writes JSON Lines. */
export const writeJsonl = (path: string, xs: ReadonlyArray<unknown>) =>
  writeFileSync(path, `${xs.map((x) => JSON.stringify(x)).join("\n")}\n`)

// ─── Commands as an analyst's file holds them (Region Norrbotten, anslag 1:1) ─────────────────

const government = { id: "regeringskansliet-naringsdepartementet", role: "government" }
const run = { id: "region-norrbotten-run", role: "regional-development-board" }
const officer = { id: "region-norrbotten-handlaggare", role: "officer" }
export const kommunstyrelsen = { id: "lulea-kommunstyrelsen", role: "executive-board" }
const meets = { sustainability: "meets", genderEquality: "meets", environment: "meets", territorial: "meets" }
export const region = "region-norrbotten"
export const lulea = "lulea-kommun"

export const registerRegion = {
  _tag: "Register",
  actor: { id: "region-norrbotten-kansli", role: "registrar" },
  tenant: region,
  occurredAt: "2022-01-01",
  events: [{ _tag: "ActorRegistered", actorId: "region-norrbotten", name: "Region Norrbotten", kind: "region" }]
}

export const registerLulea = {
  _tag: "Register",
  actor: { id: "lulea-kommunstaben", role: "registrar" },
  tenant: lulea,
  occurredAt: "2003-01-01",
  events: [
    { _tag: "ActorRegistered", actorId: "lulea-kommun", name: "Luleå kommun", kind: "municipality" },
    { _tag: "OrganisationRegistered", organisationId: "ubc", name: "Union of the Baltic Cities", focusArea: "eu" }
  ]
}

export const allot = (year: number, kronor: number) => ({
  _tag: "AllotAppropriation",
  actor: government,
  tenant: region,
  occurredAt: `${year}-01-01`,
  regionId: region,
  year,
  appropriation: "UO19 1:1",
  appropriationName: "Regionala utvecklingsåtgärder",
  amount: kronor * 100
})

export const receive = (applicationId: string, kronor: number, receivedOn: string) => ({
  _tag: "ReceiveApplication",
  actor: officer,
  tenant: region,
  occurredAt: receivedOn,
  applicationId,
  regionId: region,
  instrument: "project-support",
  applicant: { name: "Luleå tekniska universitet" },
  title: "Arktisk testbädd",
  amountApplied: kronor * 100,
  receivedOn
})

export const assess = (applicationId: string, on: string) => ({
  _tag: "AssessApplication",
  actor: officer,
  tenant: region,
  occurredAt: on,
  applicationId,
  criteria: meets,
  recommendation: "grant"
})

export const grant = (applicationId: string, year: number, kronor: number, on: string, caseNo: string) => ({
  _tag: "GrantProject",
  actor: run,
  tenant: region,
  occurredAt: on,
  decisionRef: caseNo,
  decidingBody: "Regionala utvecklingsnämnden (RUN)",
  applicationId,
  year,
  amount: kronor * 100,
  projectName: "Arktisk testbädd",
  priorityCodes: [],
  smartSpecialisationCodes: [],
  mainPurpose: "environment",
  plannedOutputs: []
})

export const sign = (organisationId: string, occurredAt: string, actor = kommunstyrelsen) => ({
  _tag: "SignMembership",
  tenant: lulea,
  actor,
  occurredAt,
  actorId: "lulea-kommun",
  organisationId,
  kind: "member"
})

/**
 * A trip proposal by Luleå kommun, trip `PREFIX-i`, proposed by a traveller unless `role` says
 * otherwise, with `extra` fields added to the command.
 */
export const proposeTrip = (i: number, prefix: string, role = "traveller", extra: Record<string, unknown> = {}) => ({
  _tag: "ProposeTrip",
  actor: { id: `t-${i}`, role },
  tenant: lulea,
  occurredAt: "2022-03-01",
  tripId: `${prefix}-${i}`,
  organiserActorId: "lulea-kommun",
  traveller: `subject-${i % 50}`,
  purpose: "UBC General Conference",
  destination: "Gdynia",
  departOn: "2022-04-01",
  returnOn: "2022-04-03",
  relatedTo: [],
  goalRefs: [],
  ...extra
})

/**
 * 5,000 trip proposals, more than an import holds in memory (2,000 lines); if `bad`, line 4,500
 * is given by a role that may not propose a trip.
 */
export const tripProposals = (prefix: string, bad: boolean) =>
  Array.from({ length: 5_000 }, (_, i) => proposeTrip(i, prefix, bad && i === 4_499 ? "auditor" : "traveller"))
