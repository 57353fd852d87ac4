package events_test

import (
	"fmt"

	"github.com/certledger/certledger/events"
)

func ExampleSubject() {
	agg := events.Aggregate{Kind: "assignment", ID: "*.contoso.com"}
	subj, _ := events.Subject(agg, "certificate.assigned")
	filter, _ := events.AggregateFilter(agg)
	id, _ := events.DecodeToken("_2A_2Econtoso_2Ecom")
	fmt.Println(subj)
	fmt.Println(filter)
	fmt.Println(id)
	// Output:
	// certledger.assignment._2A_2Econtoso_2Ecom.certificate_assigned
	// certledger.assignment._2A_2Econtoso_2Ecom.>
	// *.contoso.com
}
