// The append benchmarks' one workload, shared by every script here so that each compares the same
// events: a payload of a grant id, an amount and a 200-character note, and Utblick's envelope
// around it (Emmett gets the same payload as its event's data).

/** The payload of event `i`. */
export const payload = (i: number) => ({
  grantId: `grant-${i % 997}`,
  amount: (i % 5_000) + 1,
  note: "x".repeat(200)
})

/** Event `i` as Utblick appends it. */
export const toAppend = (i: number) => ({
  type: "PaymentDisbursed",
  schemaVersion: 1,
  occurredAt: "2022-06-30",
  tenant: "region-norrbotten",
  actor: { id: "bench", role: "officer" },
  payload: payload(i)
})
