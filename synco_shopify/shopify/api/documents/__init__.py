"""GraphQL documents the addon sends, kept as files.

``load(name)`` returns the text of ``<name>.graphql`` followed by every fragment
it uses, transitively, so each file stays small and a fragment is written once.
"""
import functools
import re
from pathlib import Path

HERE = Path(__file__).parent
FRAGMENTS = HERE / "fragments"
_SPREAD = re.compile(r"\.\.\.\s*([A-Z]\w*)")


def names():
    """Every document, without fragments."""
    return sorted(p.stem for p in HERE.glob("*.graphql"))


@functools.lru_cache(maxsize=None)
def _fragment(name):
    path = FRAGMENTS / f"{name}.graphql"
    if not path.exists():
        raise KeyError(f"GraphQL fragment {name!r} has no file {path}")
    return path.read_text()


def _used_fragments(text):
    seen, todo = [], list(_SPREAD.findall(text))
    while todo:
        name = todo.pop(0)
        if name in seen or not (FRAGMENTS / f"{name}.graphql").exists():
            # A spread that names no file is an inline-fragment-free type condition
            # (``... on Order``) or a typo; the schema test reports the latter.
            continue
        seen.append(name)
        todo.extend(_SPREAD.findall(_fragment(name)))
    return seen


@functools.lru_cache(maxsize=None)
def load(name):
    text = (HERE / f"{name}.graphql").read_text()
    return "\n".join([text, *(_fragment(f) for f in _used_fragments(text))])
