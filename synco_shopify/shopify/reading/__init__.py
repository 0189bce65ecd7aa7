"""Reading one order payload into typed, immutable values with Decimal money."""
