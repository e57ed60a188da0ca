/**
 * The facade on a real PostgreSQL server (DATABASE_URL; CI starts one): each `schema` its own log,
 * as a service that keeps one log per municipality would open them.
 */
import { createUtblick } from "@utblick/facade"
import { describe, expect, it } from "vitest"
import * as S from "./scenario.js"

const DATABASE_URL = process.env.DATABASE_URL

describe("PostgreSQL", () => {
  it.skipIf(DATABASE_URL === undefined)(
    "one log per schema: what one instance appends the other never sees",
    async () => {
      const url = DATABASE_URL as string
      const run = `${process.pid}_${Date.now()}`
      const lulea = await createUtblick({ store: { kind: "postgres", url, schema: `facade_lulea_${run}` } })
      const other = await createUtblick({ store: { kind: "postgres", url, schema: `facade_other_${run}` } })
      try {
        for (const command of S.memberships) await lulea.execute(command)
        await other.execute(S.agreement)
        // Three events in the one schema (two registry facts and the join), one in the other.
        expect([(await lulea.readModels()).position, (await other.readModels()).position]).toEqual([3, 1])
        expect((await lulea.memberships()).map((m) => m.organisationName)).toEqual([
          "Union of the Baltic Cities"
        ])
        expect(await lulea.agreements()).toEqual([])
        expect((await other.agreements()).map((a) => a.title)).toEqual(["Vänort Tromsø"])
        expect(await other.memberships()).toEqual([])
      } finally {
        await lulea.close()
        await other.close()
      }
      // A new instance on the same schema finds the log as it was left.
      const again = await createUtblick({ store: { kind: "postgres", url, schema: `facade_lulea_${run}` } })
      try {
        expect((await again.readModels()).position).toBe(3)
      } finally {
        await again.close()
      }
    }
  )
})
