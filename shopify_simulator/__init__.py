"""A Shopify Admin API stand-in that serves loopback only (see README.md)."""
from .simulator import Simulator

__all__ = ["Simulator"]
