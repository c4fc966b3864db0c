"""The actor network as GraphML and GEXF, for Gephi, Cytoscape, yEd, networkx, igraph.

The graph is exactly the one the web interface's network page draws
(``Store.network``, served at ``/api/network``): the same nodes (entities, the
busiest ``max_nodes`` by weight) and the same directed edges, one per (source,
target, kind), where kind is ``acts`` (events by source on target) or ``speaks``
(source's statements name target). Two actors can therefore be joined by two
edges, one of each kind: readers build a multigraph (networkx returns a
``MultiDiGraph``; the edge ids ``acts:0``... are the keys).

Attributes, in both formats:

- node: ``label`` (the actor's name), ``type``, ``country`` (ISO3, absent when
  unknown), ``weight`` (sum of the counts of the edges touching it);
- edge: ``kind``, ``weight`` (how many events or statements; GEXF's own ``weight``
  attribute, which Gephi uses for edge thickness), and in GEXF a ``label`` (the kind).

Written with :mod:`xml.etree.ElementTree` (no graph library needed); characters
XML 1.0 forbids (control characters) are dropped from names.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from claimgraph.browse import Network

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://www.gexf.net/1.2draft"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

#: (name, GraphML type) of node and edge attributes.
NODE_ATTRIBUTES = (
    ("label", "string"),
    ("type", "string"),
    ("country", "string"),
    ("weight", "int"),
)
EDGE_ATTRIBUTES = (("kind", "string"), ("weight", "int"))


def _text(value: object) -> str:
    return _NOT_XML.sub("", str(value))


def _edge_id(kind: str, n: int) -> str:
    return f"{kind}:{n}"


def graphml(net: Network) -> str:
    """The network as a GraphML document (UTF-8 text with its XML declaration)."""
    root = ET.Element(
        "graphml",
        {
            "xmlns": GRAPHML_NS,
            "xmlns:xsi": _XSI,
            "xsi:schemaLocation": f"{GRAPHML_NS} {GRAPHML_NS}/1.0/graphml.xsd",
        },
    )
    keys: dict[tuple[str, str], str] = {}
    for domain, attributes in (("node", NODE_ATTRIBUTES), ("edge", EDGE_ATTRIBUTES)):
        for name, type_ in attributes:
            key = f"{domain[0]}_{name}"
            keys[(domain, name)] = key
            ET.SubElement(
                root,
                "key",
                {"id": key, "for": domain, "attr.name": name, "attr.type": type_},
            )
    graph = ET.SubElement(root, "graph", {"id": "claimgraph", "edgedefault": "directed"})
    for node in net.nodes:
        el = ET.SubElement(graph, "node", {"id": _text(node.id)})
        values = {"label": node.name, "type": node.type, "country": node.country}
        values["weight"] = str(node.weight)
        for name, _ in NODE_ATTRIBUTES:
            if values[name] is not None:
                ET.SubElement(el, "data", {"key": keys[("node", name)]}).text = _text(values[name])
    for n, edge in enumerate(net.edges):
        el = ET.SubElement(
            graph,
            "edge",
            {
                "id": _edge_id(edge.kind, n),
                "source": _text(edge.source),
                "target": _text(edge.target),
            },
        )
        ET.SubElement(el, "data", {"key": keys[("edge", "kind")]}).text = edge.kind
        ET.SubElement(el, "data", {"key": keys[("edge", "weight")]}).text = str(edge.count)
    return _serialise(root)


def gexf(net: Network) -> str:
    """The network as a GEXF 1.2 document (what Gephi opens natively)."""
    root = ET.Element(
        "gexf",
        {
            "xmlns": GEXF_NS,
            "xmlns:xsi": _XSI,
            "xsi:schemaLocation": f"{GEXF_NS} {GEXF_NS}/gexf.xsd",
            "version": "1.2",
        },
    )
    meta = ET.SubElement(root, "meta")
    ET.SubElement(meta, "creator").text = "claimgraph"
    ET.SubElement(meta, "description").text = (
        "Actor network: acts = events by source on target, "
        "speaks = source's statements naming target"
    )
    graph = ET.SubElement(root, "graph", {"defaultedgetype": "directed", "mode": "static"})
    node_attrs = ET.SubElement(graph, "attributes", {"class": "node", "mode": "static"})
    node_ids: dict[str, str] = {}
    for n, (name, type_) in enumerate(a for a in NODE_ATTRIBUTES if a[0] != "label"):
        node_ids[name] = str(n)
        gexf_type = "integer" if type_ == "int" else type_
        ET.SubElement(node_attrs, "attribute", {"id": str(n), "title": name, "type": gexf_type})
    edge_attrs = ET.SubElement(graph, "attributes", {"class": "edge", "mode": "static"})
    ET.SubElement(edge_attrs, "attribute", {"id": "0", "title": "kind", "type": "string"})
    nodes = ET.SubElement(graph, "nodes")
    for node in net.nodes:
        el = ET.SubElement(nodes, "node", {"id": _text(node.id), "label": _text(node.name)})
        values = ET.SubElement(el, "attvalues")
        for name, value in (("type", node.type), ("country", node.country)):
            if value is not None:
                ET.SubElement(values, "attvalue", {"for": node_ids[name], "value": _text(value)})
        ET.SubElement(values, "attvalue", {"for": node_ids["weight"], "value": str(node.weight)})
    edges = ET.SubElement(graph, "edges")
    for n, edge in enumerate(net.edges):
        el = ET.SubElement(
            edges,
            "edge",
            {
                "id": _edge_id(edge.kind, n),
                "source": _text(edge.source),
                "target": _text(edge.target),
                "label": edge.kind,
                "weight": str(edge.count),
            },
        )
        values = ET.SubElement(el, "attvalues")
        ET.SubElement(values, "attvalue", {"for": "0", "value": edge.kind})
    return _serialise(root)


def _serialise(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


FORMATS = {"graphml": graphml, "gexf": gexf}

__all__ = ["FORMATS", "gexf", "graphml"]
