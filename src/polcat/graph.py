"""The catalogue as graphs: typed relations between entries, and the locality tree.

Both are a :class:`Graph` of nodes and typed edges, written as Graphviz DOT, Mermaid,
GraphML or JSON::

    from polcat.catalogue import load_catalogue
    from polcat import graph

    cat = load_catalogue()
    g = graph.relation_graph(cat, cat.entries(), connected=True)
    print(graph.render(g, "mermaid"))

A relation is one edge, whichever entry writes it and in whichever of its two
directions (A has-part B, or B part-of A): edges run one way per relation type
(:data:`polcat.relations.CANONICAL`), so arrows of one kind of link never point both
ways, and symmetric links (similar-to, same-name-as) are drawn without an arrowhead.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from polcat.catalogue import Catalogue
from polcat.escape import dot_string, mermaid_id, mermaid_label, xml_text
from polcat.model import Entry
from polcat.relations import SYMMETRIC, canonical

FORMATS = ("dot", "mermaid", "graphml", "json")
SUFFIXES = {
    ".dot": "dot",
    ".gv": "dot",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".graphml": "graphml",
    ".json": "json",
}


def format_for(path: Path | None) -> str | None:
    """The graph format a file name implies (``relations.mmd`` -> ``mermaid``), if any."""
    return SUFFIXES.get(path.suffix.lower()) if path is not None else None


@dataclass
class Node:
    id: str
    label: str
    kind: str  # an entry's kind (numeric-code …) or a locality's level
    data: dict[str, Any] = field(default_factory=dict)  # locality, entries, …


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    type: str
    stated_by: tuple[str, ...] = ()  # the entries whose files write this link (either way)
    directed: bool = True  # False for symmetric links: similar-to, same-name-as


@dataclass
class Graph:
    name: str
    nodes: list[Node]
    edges: list[Edge]


def relation_graph(cat: Catalogue, entries: list[Entry], *, connected: bool = False) -> Graph:
    """The entries and the relations among them (those leaving the selection are left out),
    each link once, in its type's one direction (:func:`polcat.relations.canonical`).

    ``connected`` drops entries without any relation.
    """
    selected = {e.id for e in entries}
    stated: dict[tuple[str, str, str], list[str]] = {}  # (source, type, target) -> writers
    for entry in entries:
        for rel in entry.relations:
            if rel.target in selected and rel.target != entry.id:
                writers = stated.setdefault(canonical(entry.id, rel.type, rel.target), [])
                if entry.id not in writers:
                    writers.append(entry.id)
    edges = [
        Edge(source, target, kind, tuple(writers), kind not in SYMMETRIC)
        for (source, kind, target), writers in stated.items()
    ]
    linked = {e.source for e in edges} | {e.target for e in edges}
    nodes = [
        Node(e.id, e.label, e.kind or "", {"locality": e.locality}) for e in entries if not connected or e.id in linked
    ]
    return Graph("relations", nodes, edges)


def locality_graph(cat: Catalogue, entries: list[Entry]) -> Graph:
    """The localities holding the entries, with their ancestors: parent -> child edges."""
    counts: dict[str, int] = {}
    for entry in entries:
        for place in cat.chain(entry.locality):
            counts[place.id] = counts.get(place.id, 0) + 1
    places = [p for p in cat.all_localities() if p.id in counts]  # registry order: parents first
    nodes = [Node(p.id, p.label, p.level, {"adcode": p.adcode, "entries": counts[p.id]}) for p in places]
    edges = [Edge(p.parent, p.id, "contains") for p in places if p.parent in counts]
    return Graph("localities", nodes, edges)


def render(graph: Graph, fmt: str) -> str:
    """The graph as text in one of :data:`FORMATS`."""
    writers = {"dot": to_dot, "mermaid": to_mermaid, "graphml": to_graphml, "json": to_json}
    if fmt not in writers:
        raise ValueError(f"unknown graph format '{fmt}' (choose from {', '.join(FORMATS)})")
    return writers[fmt](graph)


def to_dot(graph: Graph) -> str:
    """Graphviz DOT; symmetric links without an arrowhead. Render with ``dot -Tsvg``."""
    lines = [
        f"digraph {dot_string(graph.name)} {{",
        "  rankdir=LR;",
        '  node [shape=box, fontname="Noto Sans CJK SC,PingFang SC,Microsoft YaHei,sans-serif"];',
    ]
    lines.extend(
        f"  {dot_string(node.id)} [label={dot_string(node.label + chr(10) + node.id)}];" for node in graph.nodes
    )
    for edge in graph.edges:
        style = "" if edge.directed else ", dir=none"
        lines.append(
            f"  {dot_string(edge.source)} -> {dot_string(edge.target)} [label={dot_string(edge.type)}{style}];"
        )
    return "\n".join([*lines, "}"]) + "\n"


def to_mermaid(graph: Graph) -> str:
    """A Mermaid flowchart (GitHub and GitLab render it in Markdown); symmetric links
    without an arrowhead."""
    lines = ["flowchart LR"]
    lines += [f"  {mermaid_id(n.id)}[{mermaid_label(n.label)}]" for n in graph.nodes]
    for edge in graph.edges:
        arrow = "-->" if edge.directed else "---"
        lines.append(f"  {mermaid_id(edge.source)} {arrow}|{mermaid_label(edge.type)}| {mermaid_id(edge.target)}")
    return "\n".join(lines) + "\n"


GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


def to_graphml(graph: Graph) -> str:
    """GraphML for Gephi, yEd, Cytoscape or networkx.read_graphml. ElementTree escapes
    markup; characters XML forbids (NUL, most C0 controls) are replaced by visible
    escapes, so the file is always well-formed."""
    import xml.etree.ElementTree as ET

    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
    extra = sorted({k for n in graph.nodes for k, v in n.data.items() if v is not None})
    keys = [
        ("node", "label", "string"),
        ("node", "kind", "string"),
        *[("node", k, _graphml_type(graph, k)) for k in extra],
        ("edge", "type", "string"),
        ("edge", "stated_by", "string"),
        ("edge", "directed", "boolean"),
    ]
    for domain, name, kind in keys:
        ET.SubElement(
            root,
            f"{{{GRAPHML_NS}}}key",
            {"id": xml_text(f"{domain}_{name}"), "for": domain, "attr.name": xml_text(name), "attr.type": kind},
        )
    body = ET.SubElement(root, f"{{{GRAPHML_NS}}}graph", {"id": xml_text(graph.name), "edgedefault": "directed"})
    for node in graph.nodes:
        element = ET.SubElement(body, f"{{{GRAPHML_NS}}}node", {"id": xml_text(node.id)})
        values = {"label": node.label, "kind": node.kind, **node.data}
        for name, value in values.items():
            if value is not None:
                ET.SubElement(element, f"{{{GRAPHML_NS}}}data", {"key": f"node_{xml_text(name)}"}).text = xml_text(
                    value
                )
    for i, edge in enumerate(graph.edges):
        element = ET.SubElement(
            body,
            f"{{{GRAPHML_NS}}}edge",
            {"id": f"e{i}", "source": xml_text(edge.source), "target": xml_text(edge.target)},
        )
        ET.SubElement(element, f"{{{GRAPHML_NS}}}data", {"key": "edge_type"}).text = xml_text(edge.type)
        stated_by = " ".join(edge.stated_by)
        ET.SubElement(element, f"{{{GRAPHML_NS}}}data", {"key": "edge_stated_by"}).text = xml_text(stated_by)
        ET.SubElement(element, f"{{{GRAPHML_NS}}}data", {"key": "edge_directed"}).text = str(edge.directed).lower()
    ET.indent(root)
    # A raw CR in text would be read back as LF (XML normalises line ends): write it as
    # a character reference, so the text survives exactly.
    body_text = ET.tostring(root, encoding="unicode").replace("\r", "&#13;")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body_text + "\n"


def _graphml_type(graph: Graph, key: str) -> str:
    values = [n.data.get(key) for n in graph.nodes if n.data.get(key) is not None]
    return "int" if values and all(isinstance(v, int) for v in values) else "string"


def to_json(graph: Graph) -> str:
    """``{"graph", "nodes": [{id, label, kind, …}], "edges": [{source, target, type, stated_by, directed}]}``."""
    data = {
        "graph": graph.name,
        "nodes": [{"id": n.id, "label": n.label, "kind": n.kind, **n.data} for n in graph.nodes],
        "edges": [asdict(e) for e in graph.edges],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
