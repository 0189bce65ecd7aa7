"""Admin API versions the addon supports: those the pinned @shopify/dev-mcp schemas
cover, against which every document is validated in the tests."""
SUPPORTED_API_VERSIONS = ("2025-10", "2026-01", "2026-04", "2026-07", "2026-10")
DEFAULT_API_VERSION = SUPPORTED_API_VERSIONS[-1]
