import { Commands, StrictJson } from "@utblick/core"
import { describe, expect, it } from "vitest"

const board = { id: "lulea-kommunstyrelsen", role: "executive-board" }

describe("Commands.problems: every problem of a refused input", () => {
  it("names each bad field once — unknown, missing, impossible, out of range — and nothing for a good input", () => {
    const good = { _tag: "SignMembership", tenant: "lulea-kommun", occurredAt: "2003-01-01", actor: board, actorId: "lulea-kommun", organisationId: "ubc", kind: "member" }
    expect(Commands.problems(good)).toEqual([])
    const { organisationId: _, ...withoutOrganisation } = good
    const bad = { ...withoutOrganisation, occurredAt: "2022-02-30", kind: "mars", decisonRef: "KS 2022/1" }
    const found = Commands.problems(bad).map((p) => [p.command, p.field, p.value])
    // Four problems, each named with the value as given (JSON, or "(missing)").
    expect(found).toHaveLength(4)
    expect(found).toEqual(
      expect.arrayContaining([
        ["SignMembership", "decisonRef", '"KS 2022/1"'],
        ["SignMembership", "occurredAt", '"2022-02-30"'],
        ["SignMembership", "organisationId", "(missing)"],
        ["SignMembership", "kind", '"mars"']
      ])
    )
    const typo = Commands.problems(bad).find((p) => p.field === "decisonRef")
    expect(typo?.rule).toContain('did you mean "decisionRef"?')
  })

  it("an input that names no command has one problem, its _tag", () => {
    expect(Commands.problems({ _tag: "SignMembershp" }).map((p) => p.field)).toEqual(["_tag"])
    expect(Commands.problems(42).map((p) => p.field)).toEqual(["(command)"])
  })
})

describe("StrictJson.parse", () => {
  it("escapes control characters that the JSON parser's message quotes from the input", () => {
    const rule = (text: string) => {
      const parsed = StrictJson.parse(text)
      return parsed.ok ? "(parsed)" : parsed.error.rule
    }
    // V8 says: Unexpected token '<NUL>', "<NUL>" is not valid JSON — with the raw characters.
    expect(rule("\u0000")).toMatch(/^is not JSON: .*\\u0000/)
    expect(rule("\u0000")).not.toContain("\u0000")
    expect(rule('{"a":\u001b[31m}')).toMatch(/^is not JSON: .*\\u001b/)
    expect(rule('{"a":\u001b[31m}')).not.toContain("\u001b")
  })
})
