"""Talking to Shopify: the GraphQL client (cost, throttling, retries, paging), typed errors,
authentication, bulk operations, order calls, and the GraphQL documents as files."""
