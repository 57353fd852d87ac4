// Package projections builds certledger's read models from the event log:
// the certificate assignments in force per identity and use, at any instant
// or after any sequence number (audit replay), the certificate inventory,
// the audit trail, and what changed between two instants.
//
// The models are pure folds over events.Record (Fold, Model.Apply), so they
// are tested without a store. Each (identity, use) keeps a timeline of the
// states it held, updated in place as records arrive, so that an as-of view
// is a binary search per slot and never a replay of the log.
//
// Projections keeps the model materialised in events.Buckets beside the
// log: Catchup brings it up to the log's last record on every read command,
// Rebuild makes it again from the first record into a new generation and
// swaps it in at once. Renderers print rows as PowerShell's Format-Table
// does, as one JSON array, or as CSV.
//
// docs/projections.md states the rules (rolls, removals, identity
// spellings, what an as-of view counts) and the bucket layout.
package projections
