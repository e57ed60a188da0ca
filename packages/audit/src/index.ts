/**
 * `@utblick/audit`: verifiable decision trails for Utblick. Hash-chain and Merkle verification of
 * the event log, RFC 9162 proofs, signed checkpoints with witness cosignatures, offline decision
 * receipts, decision trails and crypto-shredding of personal data.
 *
 * Each module is also importable on its own, e.g. `@utblick/audit/MerkleTree`.
 *
 * @since 0.1.0
 */
export * as MerkleTree from "./MerkleTree.js"
export * as Checkpoint from "./Checkpoint.js"
export * as Export from "./Export.js"
export * as Verify from "./Verify.js"
export * as CryptoShredding from "./CryptoShredding.js"
export * as DecisionTrail from "./DecisionTrail.js"
export * as Receipt from "./Receipt.js"
export * as Extension from "./Extension.js"
export * as Sealing from "./Sealing.js"
export * as ParallelVerify from "./ParallelVerify.js"
