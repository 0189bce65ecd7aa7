"""Customers, companies and their addresses."""
FIRST = ("Olivia", "Liam", "Emma", "Noah", "Ava", "Lucas", "Mia", "Leon", "Sofia", "Hugo", "Amelia", "Arjun",
         "Chloe", "Mateo", "Hannah", "Yuki", "Priya", "Jack", "Lea", "Oscar", "Grace", "Felix", "Chiara", "Omar")
LAST = ("Smith", "Johnson", "Garcia", "Müller", "Martin", "Brown", "Tremblay", "Schmidt", "Dubois", "Wilson",
        "Taylor", "Sato", "Patel", "Nguyen", "Rossi", "Kowalski", "Walker", "Bernard", "Clarke", "Singh")
STREETS = ("Main Street", "Oak Avenue", "Maple Road", "Station Road", "Rue de la Paix", "Hauptstraße",
           "King Street", "George Street", "Elm Street", "Queen Street West", "Park Lane", "Lakeview Drive")
COMPANIES = ("Northwind Traders", "Globex Retail", "Acme Supplies Ltd", "Blue Harbor Hotels", "Initech GmbH")
_DIAL = {"US": "+1", "CA": "+1", "DE": "+49", "FR": "+33", "GB": "+44", "AU": "+61", "JP": "+81", "IN": "+91"}


def _zip(rng, country, prefix):
    def digits(n):
        return f"{rng.randint(0, 10 ** n - 1):0{n}d}"
    letters = "ABDEFGHJLNPRSTWXYZ"
    if country == "CA":
        return f"{prefix} {rng.randint(1, 9)}{rng.choice(letters)}{rng.randint(1, 9)}"
    if country == "GB":
        return f"{prefix} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"
    if country == "JP":
        return f"{prefix}-{digits(4)}"
    if country == "AU":
        return prefix + digits(2)
    if country == "IN":
        return prefix + digits(3)
    return prefix + digits(5 - len(prefix))  # US, DE, FR: five digits


def phone(rng, country):
    return f"{_DIAL[country]}{rng.randint(200, 989)}555{rng.randint(0, 9999):04d}"


def address(rng, place, first, last, company=None, with_phone=False):
    city, prefix = rng.choice(place.cities)
    return {
        "firstName": first, "lastName": last, "name": f"{first} {last}", "company": company,
        "address1": f"{rng.randint(1, 480)} {rng.choice(STREETS)}",
        "address2": f"Apt {rng.randint(1, 40)}" if rng.random() < 0.2 else None,
        "city": city, "province": place.province, "provinceCode": place.province_code,
        "zip": _zip(rng, place.country_code, prefix), "country": place.country,
        "countryCodeV2": place.country_code, "phone": phone(rng, place.country_code) if with_phone else None,
    }


class CustomerBook:
    """Every customer of the shop; regulars come back, the others order once.

    ``numberOfOrders`` counts the orders in the data plus, for regulars, orders placed before the
    generated window, so a regular always has at least two and a one-off exactly one.
    """

    def __init__(self, rng, ids, shop_country):
        self._rng, self._ids, self._country = rng, ids, shop_country
        self._all = []        # customer dicts, in creation order
        self._facts = {}      # id -> [orders in data, orders before the window, first order, last order]
        self._regulars = {}   # company id or None -> customer dicts
        self._companies = []

    def company(self):
        """A B2B buyer: one of a handful of companies, each with one location."""
        if len(self._companies) < len(COMPANIES) and (not self._companies or self._rng.random() < 0.4):
            name = COMPANIES[len(self._companies)]
            self._companies.append({
                "__typename": "PurchasingCompany",
                "company": {"id": self._ids.gid("Company"), "name": name},
                "location": {"id": self._ids.gid("CompanyLocation"), "name": f"{name} – Head office"},
                "contact": None,
            })
        return self._rng.choice(self._companies)

    def one_off(self, at, company=None):
        return self._create(at, prior=0, company=company)

    def regular(self, at, company=None):
        key = company and company["company"]["id"]
        pool = self._regulars.setdefault(key, [])
        wanted = 1 if key else 4 + len(self._all) // 40
        if len(pool) < wanted and (not pool or self._rng.random() < 0.5):
            pool.append(self._create(at, prior=self._rng.randint(1, 6), company=company))
            return pool[-1]
        customer = self._rng.choice(pool)
        self._seen(customer, at)
        return customer

    def _create(self, at, prior, company):
        rng = self._rng
        gid, legacy = self._ids.new("Customer")
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{first}.{last}.{legacy[-4:]}@example.com".lower().replace("ü", "ue")
        customer = {
            "__typename": "Customer",  # also the order's purchasingEntity, a union
            "id": gid, "legacyResourceId": legacy, "firstName": first, "lastName": last,
            "displayName": f"{first} {last}", "defaultEmailAddress": {"emailAddress": email},
            "defaultPhoneNumber": {"phoneNumber": phone(rng, self._country)} if rng.random() < 0.6 else None,
            "tags": (["b2b"] if company else []) + (["vip"] if prior > 3 else []),
            "note": None, "state": "ENABLED" if rng.random() < 0.7 else "DISABLED",
        }
        self._all.append(customer)
        self._facts[gid] = [1, prior, at, at]
        return customer

    def _seen(self, customer, at):
        facts = self._facts[customer["id"]]
        facts[0] += 1
        facts[2], facts[3] = min(facts[2], at), max(facts[3], at)

    def finish(self, iso):
        """Completes the dates and counts once every order is known; returns the customers."""
        for customer in self._all:
            in_data, prior, first, last = self._facts[customer["id"]]
            # Regulars signed up long before; one-off customers at their checkout.
            created = first - (86400 * (30 + prior * 47) if prior else 60)
            customer["createdAt"], customer["updatedAt"] = iso(created), iso(last + 90)
            customer["numberOfOrders"] = str(in_data + prior)
        return self._all
