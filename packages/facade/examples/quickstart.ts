import { createUtblick, UtblickError } from "@utblick/facade"

const utblick = await createUtblick({ store: { kind: "memory" } })
try {
  // Commands are plain JSON: the same objects an HTTP API or a queue would hand you.
  const signed = await utblick.execute({
    _tag: "SignAgreement",
    actor: { id: "lulea-kommunstyrelsen", role: "executive-board" },
    tenant: "lulea-kommun",
    occurredAt: "1950-06-01",
    agreementId: "lulea-tromso-twin",
    kind: "twin-town",
    title: "Vänort Tromsø",
    parties: [{ name: "Luleå kommun", country: "SE" }, { name: "Tromsø kommune", country: "NO" }],
    priorityAreas: [],
    signedYear: 1950
  })
  console.log(signed.events.map((e) => `${e.type} ${e.streamId} v${e.streamVersion}`))

  const twinTowns = await utblick.agreements({ tenant: "lulea-kommun", kind: "twin-town" })
  console.log(twinTowns.map((a) => `${a.title}: ${a.status}`))

  // Errors reject with UtblickError: switch on `code`, show `field`, `value` and `rule`.
  await utblick.execute({
    _tag: "AllotAppropriation",
    actor: { id: "regeringskansliet", role: "government" },
    tenant: "region-norrbotten",
    occurredAt: "2022-01-01",
    regionId: "region-norrbotten",
    year: 2022,
    appropriation: "UO19 1:1",
    appropriationName: "Regionala utvecklingsåtgärder",
    amount: -100
  })
} catch (error) {
  if (!(error instanceof UtblickError)) throw error
  console.log(error.code, error.field, error.value, error.rule)
} finally {
  await utblick.close()
}
