"""A candidate name: the label, where the report uses it, and what supports it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Candidate:
    """A label the text probably uses as a mechanism's name, with what supports it.

    Offsets (``start``, ``spans``) are into the report as given (noise included).
    """

    label: str  # as the report writes it (pinyin annotations and all)
    start: int  # where it first stands (accepted use)
    spans: list[tuple[int, int]] = field(default_factory=list)  # every accepted use
    sentence: str = ""
    components: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # the label with the type noun after it
    kind: str | None = None  # numeric-code or model when the shape says so
    count: int = 1
    locality: str | None = None  # registry id when the catalogue has the place, else its code
    locality_name: str | None = None  # the chain: 贵州省 > 遵义市 > 赤水市
    known: str | None = None  # the catalogued entry it is (same name, places agree)
    same_name_elsewhere: list[str] = field(default_factory=list)  # same-name entries of other places
    key: str = ""  # the clean, simplified form names are compared in

    @property
    def reason(self) -> str:
        """The reasons in words, details of one rule together: "followed by: 机制/工作机制"."""
        grouped: dict[str, list[str]] = {}
        for reason in self.reasons:
            rule, _, detail = reason.partition(": ")
            grouped.setdefault(rule, [])
            if detail and detail not in grouped[rule]:
                grouped[rule].append(detail)
        return "; ".join(f"{rule}: {'/'.join(details)}" if details else rule for rule, details in grouped.items())

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "sentence": self.sentence,
            "components": self.components,
            "locality": self.locality,
            "locality_name": self.locality_name,
            "known": self.known,
            "same_name_elsewhere": self.same_name_elsewhere,
            "reason": self.reason,
            "aliases": self.aliases,
            "kind": self.kind,
            "count": self.count,
        }
