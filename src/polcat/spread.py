"""Where a mechanism travelled: every place where the same named mechanism or its
variants appear, in order of year, each with its origin and the link that brought it in.

The view a policy-diffusion researcher opens first. It starts from the entries a name
(or an id) names and follows, in both directions, the relations that mean "the same
thing elsewhere": same-name-as, variant-of, similar-to and implements, plus entries that
share a name in another locality.
"""

from __future__ import annotations

from dataclasses import dataclass

from polcat.catalogue import Catalogue
from polcat.model import Entry
from polcat.relations import links, same_name_elsewhere
from polcat.search import resolve

# The relations that carry a mechanism from one place to another (and their inverses).
TRAVEL = {"same-name-as", "variant-of", "has-variant", "similar-to", "implements", "implemented-by"}


@dataclass(frozen=True)
class Step:
    entry: Entry
    via: str  # how it was reached: "named", "same name as X", "variant-of X" …
    depth: int


def spread(cat: Catalogue, text: str) -> list[Step]:
    """Every entry the mechanism named ``text`` reaches, ordered by year, then place."""
    start = resolve(cat, text)
    seen: dict[str, Step] = {e.id: Step(e, "named", 0) for e in start}
    queue = list(start)
    while queue:
        current = queue.pop(0)
        depth = seen[current.id].depth + 1
        reached = [(o, f"same name as {current.id}") for o in same_name_elsewhere(cat, current)]
        for link in links(cat, current):
            other = cat.entry(link.target)
            if link.type in TRAVEL and other is not None:
                reached.append(
                    (other, f"{link.type} {current.id}" if not link.derived else f"{link.type} {current.id} (derived)")
                )
        for other, via in reached:
            if other.id not in seen:
                seen[other.id] = Step(other, via, depth)
                queue.append(other)
    return sorted(seen.values(), key=lambda s: (s.entry.year is None, s.entry.year or 0, s.depth, s.entry.id))
