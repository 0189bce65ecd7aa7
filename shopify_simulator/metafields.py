"""Metafields and their definitions: ``metafieldsSet`` and ``metafieldDefinitionCreate``.

Rules from §3 of docs/shopify-admin-api.md: at most 25 inputs, atomic (one bad
input writes nothing), upsert by (owner, namespace, key), ``type`` required
unless a definition exists, compare-and-set through ``compareDigest``.
Metafields live here, keyed by owner, never inside the stored orders; writing
one does not touch the owner's ``updatedAt`` [E: Shopify does not fire
orders/updated for metafield writes].
"""
import hashlib
import json
import re
import threading
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from . import gids

MAX_INPUTS = 25
APP_NAMESPACE = "app--1"  # $app expands to app--<api client id>; the simulator is client 1
_NAMESPACE = re.compile(r"^[A-Za-z0-9_-]+$")
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
OWNER_TYPES = {
    "Order": "ORDER",
    "Customer": "CUSTOMER",
    "Product": "PRODUCT",
    "ProductVariant": "PRODUCTVARIANT",
    "Location": "LOCATION",
    "Shop": "SHOP",
}
TEXT_TYPES = {"single_line_text_field", "multi_line_text_field", "url", "color", "rich_text_field"}
TYPES = TEXT_TYPES | {"number_integer", "number_decimal", "boolean", "json", "date", "date_time"}


def expand_namespace(namespace):
    if namespace is None or namespace == "$app":
        return APP_NAMESPACE
    if namespace.startswith("$app:"):
        return f"{APP_NAMESPACE}--{namespace[5:]}"
    return namespace


def digest(type_name, value):
    return hashlib.sha256(f"{type_name}\0{value}".encode()).hexdigest()


def _error(index, field, code, message):
    return {"field": ["metafields", str(index), field], "message": message, "code": code, "elementIndex": index}


def _length_error(text, low, high, index, field, label):
    if len(text) < low:
        return _error(index, field, "TOO_SHORT", f"{label} is too short (minimum is {low} characters)")
    if len(text) > high:
        return _error(index, field, "TOO_LONG", f"{label} is too long (maximum is {high} characters)")
    if not _NAMESPACE.match(text):
        return _error(index, field, "INVALID", f"{label} contains characters other than letters, digits, _ and -")
    return None


def _json_value(type_name, value):
    """The parsed value (``Metafield.jsonValue``), or raises ValueError when it does not fit the type."""
    if type_name == "number_integer":
        if not re.fullmatch(r"-?\d+", value) or not -(2**63) <= int(value) < 2**63:
            raise ValueError("an integer")
        return int(value)
    if type_name == "number_decimal":
        try:
            Decimal(value)
        except InvalidOperation:
            raise ValueError("a decimal number") from None
        return value
    if type_name == "boolean":
        if value not in ("true", "false"):
            raise ValueError("true or false")
        return value == "true"
    if type_name == "json":
        return json.loads(value)
    if type_name == "date":
        date.fromisoformat(value)
    elif type_name == "date_time":
        datetime.fromisoformat(value)
    elif type_name == "single_line_text_field" and ("\n" in value or "\r" in value):
        raise ValueError("a single line")
    return value


class Metafields:
    def __init__(self, clock, owner_exists):
        self._clock = clock
        self._owner_exists = owner_exists
        self._lock = threading.Lock()
        self._by_owner = {}  # owner gid -> {(namespace, key): metafield}
        self._by_id = {}
        self._definitions = {}  # (ownerType, namespace, key) -> definition
        self._next_id = 1

    def get(self, owner_id, namespace, key):
        return self._by_owner.get(owner_id, {}).get((expand_namespace(namespace), key))

    def of_owner(self, owner_id):
        return sorted(self._by_owner.get(owner_id, {}).values(), key=lambda m: gids.number(m["id"]))

    def node(self, gid):
        return self._by_id.get(gid)

    def definition(self, owner_type, namespace, key):
        return self._definitions.get((owner_type, namespace, key))

    def definitions(self, owner_type, namespace=None, key=None):
        return [
            d for (kind, ns, k), d in sorted(self._definitions.items(), key=lambda item: gids.number(item[1]["id"]))
            if kind == owner_type and (namespace is None or expand_namespace(namespace) == ns) and key in (None, k)
        ]

    def set(self, inputs):
        """(written metafields, userErrors); nothing is written when there is any error."""
        if len(inputs) > MAX_INPUTS:
            return [], [{
                "field": ["metafields"],
                "message": f"Exceeded the maximum metafields input limit of {MAX_INPUTS}.",
                "code": "LESS_THAN_OR_EQUAL_TO",
                "elementIndex": None,
            }]
        with self._lock:
            plans, errors = [], []
            for index, entry in enumerate(inputs):
                plan = self._plan(index, entry, errors)
                if plan:
                    plans.append(plan)
            if errors:
                return [], errors
            return [self._write(*plan) for plan in plans], []

    def _plan(self, index, entry, errors):
        owner_id = entry["ownerId"]
        owner_type = OWNER_TYPES.get(gids.type_of(owner_id))
        if owner_type is None or not self._owner_exists(owner_id):
            errors.append(_error(index, "ownerId", "INVALID", "Owner does not exist."))
            return None
        namespace, key, value = expand_namespace(entry.get("namespace")), entry["key"], entry["value"]
        found = [
            _length_error(namespace, 3, 255, index, "namespace", "Namespace")
            if not namespace.startswith(APP_NAMESPACE) else None,
            _length_error(key, 2, 64, index, "key", "Key"),
        ]
        errors.extend(e for e in found if e)
        definition = self._definitions.get((owner_type, namespace, key))
        type_name = entry.get("type") or (definition["type"]["name"] if definition else None)
        if type_name is None:
            errors.append(_error(index, "type", "BLANK", "Type can't be blank."))
            return None
        if type_name not in TYPES:
            errors.append(_error(index, "type", "INVALID_TYPE", f"Type {type_name!r} is not a valid metafield type."))
            return None
        if definition and type_name != definition["type"]["name"]:
            errors.append(_error(index, "type", "INVALID_TYPE", "Type does not match the metafield definition."))
            return None
        if value == "":
            errors.append(_error(index, "value", "BLANK", "Value can't be blank."))
            return None
        try:
            json_value = _json_value(type_name, value)
        except ValueError as why:
            errors.append(_error(index, "value", "INVALID_VALUE", f"Value must be {why} for type {type_name}."))
            return None
        current = self._by_owner.get(owner_id, {}).get((namespace, key))
        if "compareDigest" in entry:
            wanted = entry["compareDigest"]
            if wanted is not None and not _DIGEST.match(wanted):
                errors.append(_error(index, "compareDigest", "INVALID_COMPARE_DIGEST", "The compareDigest is invalid."))
                return None
            if (current["compareDigest"] if current else None) != wanted:
                errors.append(_error(
                    index, "compareDigest", "STALE_OBJECT",
                    "The resource has been updated since it was loaded. Try again with an updated `compareDigest` value.",
                ))
                return None
        if any(e["elementIndex"] == index for e in errors):
            return None
        return owner_id, owner_type, namespace, key, type_name, value, json_value

    def _write(self, owner_id, owner_type, namespace, key, type_name, value, json_value):
        now = self._clock.iso()
        owned = self._by_owner.setdefault(owner_id, {})
        current = owned.get((namespace, key))
        if current and (current["type"], current["value"]) == (type_name, value):
            return current
        if current is None:
            number = self._next_id
            self._next_id += 1
            current = {
                "id": gids.make("Metafield", number),
                "legacyResourceId": str(number),
                "namespace": namespace,
                "key": key,
                "ownerType": owner_type,
                "createdAt": now,
                "description": None,
                "_owner": owner_id,
            }
        # A new dict, so a reader never sees a half-written metafield.
        current = {
            **current, "value": value, "type": type_name, "jsonValue": json_value,
            "compareDigest": digest(type_name, value), "updatedAt": now,
        }
        owned[(namespace, key)] = current
        self._by_id[current["id"]] = current
        return current

    def define(self, definition):
        """(created definition, userErrors) for ``metafieldDefinitionCreate``."""
        namespace = expand_namespace(definition.get("namespace"))
        key, type_name, owner_type = definition["key"], definition["type"], definition["ownerType"]

        def error(field, code, message):
            return None, [{"field": ["definition", field], "message": message, "code": code}]

        for field, text, low, high in (("namespace", namespace, 3, 255), ("key", key, 2, 64)):
            problem = _length_error(text, low, high, 0, field, field.capitalize())
            if problem and not (field == "namespace" and namespace.startswith(APP_NAMESPACE)):
                return error(field, problem["code"], problem["message"])
        if type_name not in TYPES:
            return error("type", "INCLUSION", f"Type {type_name!r} is not a valid metafield type.")
        with self._lock:
            if (owner_type, namespace, key) in self._definitions:
                return error("key", "TAKEN", f"Key is in use for {owner_type.lower()} metafields on the '{namespace}' namespace.")
            number = len(self._definitions) + 1
            created = {
                "id": gids.make("MetafieldDefinition", number),
                "name": definition["name"],
                "namespace": namespace,
                "key": key,
                "type": {"name": type_name, "category": "TEXT" if type_name in TEXT_TYPES else type_name.upper()},
                "ownerType": owner_type,
                "description": definition.get("description"),
                "pinnedPosition": None,
                "validations": [],
            }
            self._definitions[(owner_type, namespace, key)] = created
        return created, []
