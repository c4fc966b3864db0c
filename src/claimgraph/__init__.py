"""claimgraph: a ledger of who said what, about whom, through whom, from news articles."""

from claimgraph.errors import ClaimgraphError, InputError
from claimgraph.model import Actor, Attribution, Document, Extraction, Section, TextSpan

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Attribution",
    "ClaimgraphError",
    "Document",
    "Extraction",
    "InputError",
    "Section",
    "TextSpan",
    "__version__",
]
