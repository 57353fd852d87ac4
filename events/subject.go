package events

import (
	"fmt"
	"strings"
)

// Subject layout of the log (docs/events.md):
//
//	certledger.<kind>.<aggregate-token>.<event>
//
// kind is the aggregate kind ("assignment", "certificate"), the token is the
// aggregate identity encoded by EncodeToken, and <event> is the event type
// with its dots turned into underscores ("certificate_assigned"), so that
// every subject has exactly four tokens and certledger.<kind>.<token>.>
// covers every event of one aggregate, which is the filter the optimistic
// concurrency check runs against.
const (
	SubjectRoot = "certledger"
	AllSubjects = SubjectRoot + ".>"
)

// Subject returns the subject an event of type eventType on agg is stored on.
func Subject(agg Aggregate, eventType string) (string, error) {
	f, err := aggregatePrefix(agg)
	if err != nil {
		return "", err
	}
	et, err := eventToken(eventType)
	if err != nil {
		return "", err
	}
	return f + et, nil
}

// AggregateFilter returns the subject filter matching every event of agg.
func AggregateFilter(agg Aggregate) (string, error) {
	f, err := aggregatePrefix(agg)
	if err != nil {
		return "", err
	}
	return f + ">", nil
}

// ParseSubject splits a subject of the log into its aggregate and event token.
func ParseSubject(subj string) (agg Aggregate, event string, err error) {
	parts := strings.Split(subj, ".")
	if len(parts) != 4 || parts[0] != SubjectRoot {
		return Aggregate{}, "", fmt.Errorf("events: subject %q is not certledger.<kind>.<token>.<event>", subj)
	}
	if err := checkKind(parts[1]); err != nil {
		return Aggregate{}, "", err
	}
	id, err := DecodeToken(parts[2])
	if err != nil {
		return Aggregate{}, "", err
	}
	return Aggregate{Kind: parts[1], ID: id}, parts[3], nil
}

func aggregatePrefix(agg Aggregate) (string, error) {
	if err := checkKind(agg.Kind); err != nil {
		return "", err
	}
	tok, err := EncodeToken(agg.ID)
	if err != nil {
		return "", fmt.Errorf("events: aggregate %s: %w", agg.Kind, err)
	}
	return SubjectRoot + "." + agg.Kind + "." + tok + ".", nil
}

// checkKind keeps kinds to a small alphabet: they are a fixed token in
// every subject and in subscribers' filters.
func checkKind(k string) error {
	if k == "" {
		return fmt.Errorf("events: empty aggregate kind")
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !('a' <= c && c <= 'z' || i > 0 && ('0' <= c && c <= '9' || c == '-')) {
			return fmt.Errorf("events: aggregate kind %q: only a-z, 0-9 and '-' (starting with a letter)", k)
		}
	}
	return nil
}

func eventToken(t string) (string, error) {
	if t == "" || t[0] == '.' || t[len(t)-1] == '.' || strings.Contains(t, "..") {
		return "", fmt.Errorf("events: bad event type %q", t)
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '-') {
			return "", fmt.Errorf("events: event type %q: only a-z, 0-9, '-' and '.'", t)
		}
	}
	return strings.ReplaceAll(t, ".", "_"), nil
}
