"""Placeholder: the sections stage (owned by the ingest/sections work)."""

from __future__ import annotations

from claimgraph.model import Section


def split_sections(text: str, title: str | None = None) -> list[Section]:
    return [Section("body", 0, len(text))] if text else []
