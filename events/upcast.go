package events

import (
	"encoding/json"
	"fmt"
)

// Upcasters, oldest first. Each step is pinned by a fixture in
// testdata/upcast so that a change here cannot silently change how stored
// events read.

func init() {
	RegisterUpcaster("certificate.assigned", 0, assignedV0toV1)
}

// certificate.assigned v0 (the walking-skeleton draft: never released, kept
// as the proof that old versions stay readable) named one use per event and
// knew nothing of rolls. v1 names several uses, a roll with its effective
// date, and whether the thumbprint was known.
func assignedV0toV1(old json.RawMessage) (json.RawMessage, error) {
	var v0 struct {
		Identity   string
		Use        string
		Thumbprint string
	}
	if err := json.Unmarshal(old, &v0); err != nil {
		return nil, err
	}
	if v0.Use == "" {
		return nil, fmt.Errorf("v0 certificate.assigned without Use")
	}
	return json.Marshal(CertificateAssigned{
		Identity:   v0.Identity,
		Uses:       []string{v0.Use},
		Thumbprint: v0.Thumbprint,
	})
}
