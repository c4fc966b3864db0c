"""One exception tree, so callers can catch ``ClaimgraphError`` and know it came from us.

Input errors carry the document they concern, because a batch reports them per
document and carries on; they must say *which* file was bad and *why*.
"""

from __future__ import annotations


class ClaimgraphError(Exception):
    """Base of every error claimgraph raises on purpose."""


class InputError(ClaimgraphError):
    """A document could not be read as an article; the batch skips it."""

    reason = "unreadable input"

    def __init__(self, document: str, detail: str | None = None) -> None:
        self.document = document
        self.detail = detail or self.reason
        super().__init__(f"{document}: {self.detail}")


class EmptyDocumentError(InputError):
    reason = "document is empty (no text after extraction)"


class BinaryDocumentError(InputError):
    reason = "document looks binary, not text"


class DocumentTooLargeError(InputError):
    reason = "document is too large"


class EncodingError(InputError):
    reason = "document is not valid UTF-8"


class MalformedRecordError(InputError):
    reason = "malformed record"


class UnsupportedInputError(InputError):
    reason = "unsupported input"


class NonEnglishError(InputError):
    reason = "document does not look like English text"


class ModelNotFoundError(ClaimgraphError):
    """The spaCy pipeline asked for is not installed (we never download one)."""


class StoreError(ClaimgraphError):
    """The database could not be opened, migrated or written."""


class EvaluationDataError(ClaimgraphError):
    """An evaluation directory or file is missing or not in the expected layout."""


class DocumentNotFoundError(InputError):
    """A path given to ingest does not exist; reported per path so a batch carries on."""

    reason = "no such file or folder"
