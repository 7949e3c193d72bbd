"""Curation commands (`polcat extract`, `polcat new`, `polcat fmt`): see issue 5."""

from __future__ import annotations
