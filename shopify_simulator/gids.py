"""Shopify global ids: ``gid://shopify/<Type>/<number>``."""
import re

_GID = re.compile(r"^gid://shopify/([A-Za-z]+)/(\d+)(?:\?.*)?$")


def make(type_name, number):
    return f"gid://shopify/{type_name}/{number}"


def parse(gid):
    """(type name, number) of a GID, or None when the text is not one."""
    match = _GID.match(gid) if isinstance(gid, str) else None
    return (match.group(1), int(match.group(2))) if match else None


def type_of(gid):
    parsed = parse(gid)
    return parsed[0] if parsed else None


def number(gid):
    parsed = parse(gid)
    return parsed[1] if parsed else None
