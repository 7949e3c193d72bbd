"""Sharing commands (`polcat export`, `polcat graph`, `polcat site`): see issue 8."""

from __future__ import annotations
