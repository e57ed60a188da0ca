import { UtblickError } from "@utblick/facade"
import { expect } from "vitest"

/** The `UtblickError` a call rejects with; fails the test if it resolves or rejects otherwise. */
export const rejection = async (promise: Promise<unknown>): Promise<UtblickError> => {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(UtblickError)
    return error as UtblickError
  }
  throw new Error("expected the call to reject")
}
