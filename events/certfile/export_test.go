package certfile

// RepanicForTest makes Decode's last-line recover re-panic, so that tests
// and fuzzing see any panic instead of a tidy error.
func RepanicForTest() { onPanic = func(v any) { panic(v) } }
