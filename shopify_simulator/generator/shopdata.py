from dataclasses import dataclass, field


@dataclass
class ShopData:
    """One shop's data as the simulator serves it: dicts keyed by GraphQL field names."""
    shop: dict
    orders: list = field(default_factory=list)
    customers: list = field(default_factory=list)
    products: list = field(default_factory=list)
    locations: list = field(default_factory=list)
