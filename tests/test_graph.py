"""`polcat graph`: the relation graph and the locality tree in DOT, Mermaid, GraphML, JSON."""

from __future__ import annotations

import itertools
import json
import re
import xml.etree.ElementTree as ET

import pytest
from support import FIXTURE, invoke, run_polcat

from polcat import graph, query
from polcat.catalogue import load_catalogue
from polcat.graph import Edge, Graph, Node
from polcat.relations import CANONICAL, INVERSE, SYMMETRIC, canonical

NS = {"g": graph.GRAPHML_NS}


@pytest.fixture(scope="module")
def shipped():
    return load_catalogue()


def drawn(*args: str) -> str:
    result = invoke("graph", *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def written_edges(cat, ids: set[str]) -> set[tuple[str, str, str]]:
    """The relations as the YAML files write them, between entries of ``ids``."""
    return {
        (entry.id, rel["target"], rel["type"])
        for entry in cat.entries()
        if entry.id in ids
        for rel in entry.data.get("relations") or []
        if rel["target"] in ids
    }


def one_way(edges: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """Each written relation as the graph draws it: once, in its type's direction."""
    return {canonical(s, kind, t) for s, t, kind in edges}


def as_triples(edges) -> set[tuple[str, str, str]]:
    return {(s, kind, t) for s, t, kind, *_ in edges}


# --- DOT ------------------------------------------------------------------------------------

DOT_NODE = re.compile(r'^  "((?:[^"\\]|\\.)*)" \[label=".*"\];$')
DOT_EDGE = re.compile(r'^  "((?:[^"\\]|\\.)*)" -> "((?:[^"\\]|\\.)*)" \[label="([^"]*)"(, dir=none)?\];$')


def parse_dot(text: str) -> tuple[list[str], list[tuple[str, str, str, bool]]]:
    lines = text.splitlines()
    assert lines[0].startswith("digraph ") and lines[0].endswith("{") and lines[-1] == "}"
    nodes, edges = [], []
    for line in lines[1:-1]:
        if m := DOT_EDGE.match(line):
            edges.append((m[1], m[2], m[3], bool(m[4])))
        elif m := DOT_NODE.match(line):
            nodes.append(m[1])
        else:
            assert line.strip().endswith(";"), line  # graph and node defaults
    return nodes, edges


def test_dot_declares_every_endpoint_and_every_relation_once(shipped):
    nodes, edges = parse_dot(drawn("-f", "dot"))
    assert sorted(nodes) == sorted(r.id for r in shipped.entries())
    assert all(source in nodes and target in nodes for source, target, _, _ in edges)
    ids = set(nodes)
    assert as_triples(edges) == one_way(written_edges(shipped, ids))
    assert len(edges) == len(as_triples(edges))  # no link twice
    for _, _, kind, undirected in edges:
        assert kind in CANONICAL and undirected == (kind in SYMMETRIC)


def test_no_kind_of_link_points_both_ways(shipped):
    """part-of and has-part (and every inverse pair) are drawn as one type, one way: the
    shipped catalogue writes both has-part and part-of, and no pair of entries gets two
    arrows, nor an arrow of a type whose inverse is drawn elsewhere."""
    written_kinds = {kind for _, _, kind in written_edges(shipped, {e.id for e in shipped.entries()})}
    assert {"part-of", "has-part"} <= written_kinds  # the catalogue writes both sides
    data = json.loads(drawn("-f", "json", "--connected"))
    kinds = {e["type"] for e in data["edges"]}
    assert "has-part" not in kinds and not any(INVERSE[k] in kinds and INVERSE[k] != k for k in kinds)
    pairs = [frozenset((e["source"], e["target"])) for e in data["edges"]]
    assert len(pairs) == len(set(pairs))
    has_part = [
        (entry.id, rel.target) for entry in shipped.entries() for rel in entry.relations if rel.type == "has-part"
    ]
    drawn_edges = {(e["source"], e["type"], e["target"]): e for e in data["edges"]}
    for whole, part in has_part:  # drawn from the part to the whole, stated by the whole
        assert whole in drawn_edges[(part, "part-of", whole)]["stated_by"]
    linked = {e["source"] for e in data["edges"]} | {e["target"] for e in data["edges"]}
    assert {n["id"] for n in data["nodes"]} == linked  # --connected


def test_a_link_written_on_both_sides_is_one_edge(mini):
    whole = mini / "mechanisms" / "alpha" / "chishui-sanding.yaml"  # has-part chishui-wubicha-wuchoucha
    part = mini / "mechanisms" / "alpha" / "chishui-wubicha-wuchoucha.yaml"
    part.write_text(
        part.read_text(encoding="utf-8") + "relations:\n  - {type: part-of, target: chishui-sanding}\n",
        encoding="utf-8",
    )
    other = mini / "mechanisms" / "beta" / "taijiang-1plusx.yaml"  # same-name-as chishui-1plusx
    twin = mini / "mechanisms" / "alpha" / "chishui-1plusx.yaml"
    assert "relations:" not in twin.read_text(encoding="utf-8")
    twin.write_text(
        twin.read_text(encoding="utf-8") + "relations:\n  - {type: same-name-as, target: taijiang-1plusx}\n",
        encoding="utf-8",
    )
    assert "has-part" in whole.read_text(encoding="utf-8") and "same-name-as" in other.read_text(encoding="utf-8")
    data = json.loads(drawn("-f", "json", "--catalogue", str(mini)))
    assert data["edges"] == [
        {
            "source": "chishui-1plusx",
            "target": "taijiang-1plusx",
            "type": "same-name-as",
            "stated_by": ["chishui-1plusx", "taijiang-1plusx"],
            "directed": False,
        },
        {
            "source": "chishui-wubicha-wuchoucha",
            "target": "chishui-sanding",
            "type": "part-of",
            "stated_by": ["chishui-sanding", "chishui-wubicha-wuchoucha"],
            "directed": True,
        },
    ]  # in the order of the entries that write them, each writer named
    mermaid = drawn("-f", "mermaid", "--catalogue", str(mini)).splitlines()
    assert mermaid[-2:] == [
        '  n_chishui_1plusx ---|"same-name-as"| n_taijiang_1plusx',
        '  n_chishui_wubicha_wuchoucha -->|"part-of"| n_chishui_sanding',
    ]
    _, dot_edges = parse_dot(drawn("-f", "dot", "--catalogue", str(mini)))
    assert sorted(dot_edges) == [
        ("chishui-1plusx", "taijiang-1plusx", "same-name-as", True),
        ("chishui-wubicha-wuchoucha", "chishui-sanding", "part-of", False),
    ]
    root = ET.fromstring(drawn("-f", "graphml", "--catalogue", str(mini)).encode("utf-8"))
    found = {
        (e.get("source"), e.find("g:data[@key='edge_type']", NS).text, e.get("target")): (
            e.find("g:data[@key='edge_directed']", NS).text
        )
        for e in root.findall("g:graph/g:edge", NS)
    }
    assert found == {
        ("chishui-1plusx", "same-name-as", "taijiang-1plusx"): "false",
        ("chishui-wubicha-wuchoucha", "part-of", "chishui-sanding"): "true",
    }


def test_derived_is_accepted_and_changes_nothing():
    plain = run_polcat("graph", "-f", "dot", "--connected")
    derived = run_polcat("graph", "-f", "dot", "--connected", "--derived")
    assert derived.returncode == 0 and derived.stdout == plain.stdout
    assert "--derived has no effect" in derived.stderr and "--derived" not in plain.stderr


def test_dot_escapes_quotes_and_backslashes():
    g = Graph("g", [Node('a"1', 'say "hi" \\ bye', "model"), Node("b", "b", "model")], [Edge('a"1', "b", "part-of")])
    nodes, edges = parse_dot(graph.to_dot(g))
    assert nodes == ['a\\"1', "b"] and edges == [('a\\"1', "b", "part-of", False)]
    assert '\\"hi\\" \\\\ bye' in graph.to_dot(g)


# --- Mermaid ------------------------------------------------------------------------------------


def test_mermaid_has_one_line_per_link_between_declared_nodes(shipped):
    text = drawn("-f", "mermaid")
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    declared = {m[1] for line in lines if (m := re.match(r"^  (n_\w+)\[\".*\"\]$", line))}
    edge_lines = [line for line in lines if "-->" in line or "---" in line]
    ids = {r.id for r in shipped.entries()}
    assert len(edge_lines) == len(one_way(written_edges(shipped, ids)))
    for line in edge_lines:
        m = re.match(r'^  (n_\w+) (-->|---)\|"([a-z-]+)"\| (n_\w+)$', line)
        assert m and m[1] in declared and m[4] in declared, line
        assert m[3] in CANONICAL and (m[2] == "---") == (m[3] in SYMMETRIC), line
    assert len(declared) == len(ids)


def test_mermaid_ids_are_safe_and_labels_escaped():
    g = Graph("g", [Node("end", 'a "quoted" name', "model")], [])
    assert graph.to_mermaid(g).splitlines()[1] == '  n_end["a #quot;quoted#quot; name"]'


# --- GraphML ------------------------------------------------------------------------------------


def test_graphml_is_valid_xml_with_the_right_counts(shipped):
    root = ET.fromstring(drawn("-f", "graphml", "--locality", "赤水").encode("utf-8"))
    selected = query.filter_entries(shipped, query.Filters(localities=["赤水"]))
    nodes = root.findall("g:graph/g:node", NS)
    edges = root.findall("g:graph/g:edge", NS)
    assert len(nodes) == len(selected)
    ids = {n.get("id") for n in nodes}
    assert ids == {r.id for r in selected}
    assert {(e.get("source"), e.get("target")) for e in edges} == {
        (s, t) for s, _, t in one_way(written_edges(shipped, ids))
    }
    keys = {k.get("id") for k in root.findall("g:key", NS)}
    used = {d.get("key") for d in root.iter(f"{{{graph.GRAPHML_NS}}}data")}
    assert used <= keys
    labels = {n.get("id"): n.find("g:data[@key='node_label']", NS).text for n in nodes}
    assert labels == {e.id: e.name.zh for e in selected}


def test_graphml_survives_markup_characters():
    g = Graph("g", [Node("a", "<b> & </b>", "model", {"entries": 3})], [])
    node = ET.fromstring(graph.to_graphml(g)).find("g:graph/g:node", NS)
    assert node.find("g:data[@key='node_label']", NS).text == "<b> & </b>"
    assert node.find("g:data[@key='node_entries']", NS).text == "3"


# --- JSON and the locality tree -------------------------------------------------------------------


def test_json_lists_nodes_and_typed_edges():
    data = json.loads(drawn("-f", "json", "--catalogue", str(FIXTURE)))
    cat = load_catalogue(FIXTURE)
    assert [n["id"] for n in data["nodes"]] == [r.id for r in query.filter_entries(cat, query.Filters())]
    edges = {(e["source"], e["type"], e["target"]) for e in data["edges"]}
    written = written_edges(cat, {n["id"] for n in data["nodes"]})
    assert edges == one_way(written) and len(edges) == len(data["edges"])
    assert ("chishui-wubicha-wuchoucha", "part-of", "chishui-sanding") in edges  # written as has-part
    assert all(e["directed"] == (e["type"] not in SYMMETRIC) and e["stated_by"] for e in data["edges"])


def test_a_relation_leaving_the_selection_is_left_out():
    data = json.loads(drawn("-f", "json", "--catalogue", str(FIXTURE), "--locality", "台江"))
    assert {n["id"] for n in data["nodes"]} == {"taijiang-1plusx", "taijiang-shihu-yiti"}
    assert data["edges"] == []  # taijiang-1plusx's same-name-as points into Chishui


def test_locality_tree_is_a_tree_with_entry_counts(shipped):
    data = json.loads(drawn("--view", "localities", "-f", "json"))
    parents = {e["target"]: e["source"] for e in data["edges"]}
    ids = [n["id"] for n in data["nodes"]]
    roots = [i for i in ids if i not in parents]
    assert roots == ["national"] and len(parents) == len(ids) - 1
    assert all(shipped.localities[child].get("parent") == parent for child, parent in parents.items())
    counts = {n["id"]: n["entries"] for n in data["nodes"]}
    assert counts["national"] == len(shipped.entries())
    for place in ids:
        expected = query.filter_entries(shipped, query.Filters(localities=[place]))
        assert counts[place] == len(expected)


def test_locality_tree_follows_the_filters(shipped):
    nodes, edges = parse_dot(drawn("--view", "localities", "--locality", "赤水"))
    assert nodes == [r.id for r in reversed(shipped.ancestors("chishui"))]
    assert [(s, t) for s, t, _, _ in edges] == list(itertools.pairwise(nodes))


def test_format_from_suffix_and_no_clobber(tmp_path):
    out = tmp_path / "g.graphml"
    assert run_polcat("graph", "-o", str(out)).returncode == 0
    ET.parse(out)
    again = run_polcat("graph", "-o", str(out))
    assert again.returncode == 2 and "exists" in again.stderr
