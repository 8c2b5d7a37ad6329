"""Parse YAML from outside (codebooks, front matter, sidecars) without bombs, tags or traps."""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["MAX_YAML_DEPTH", "MAX_YAML_VALUES", "YamlProblem", "load_yaml"]

MAX_YAML_DEPTH = 32
# Values after following aliases: bounds what one &anchor used many times can expand to.
MAX_YAML_VALUES = 200_000
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in
                        ("str", "int", "float", "bool", "null", "seq", "map", "timestamp"))
_HINT = "write plain text, numbers, lists and mappings"
# The pure-Python loader, not libyaml's: its error marks point at the offending line (libyaml
# often points at the end of the input), and its parser is a state machine without recursion,
# so the depth check below sees every event before the composer recurses.
_Loader = yaml.SafeLoader


class YamlProblem(Exception):
    """Why a YAML text was refused; the caller names the file (line is 1-based, or None)."""

    def __init__(self, line: int | None, problem: str, hint: str) -> None:
        super().__init__(problem)
        self.line, self.problem, self.hint = line, problem, hint


def load_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """The composed root node (for line numbers) and the data of one YAML document.

    Refused: syntax errors, characters YAML forbids, nesting deeper than MAX_YAML_DEPTH,
    tags other than the plain ones (!!python/object …), aliases that refer to themselves or
    expand beyond MAX_YAML_VALUES (billion laughs), and duplicate keys, which PyYAML would
    resolve silently in favour of the last."""
    try:
        _check_events(text)
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            if root is not None:
                _check_nodes(root)
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise YamlProblem(mark.line + 1 if mark else None,
                          f"YAML syntax error: {error.problem or 'syntax error'}",
                          "check indentation, quoting and colons on that line") from None
    except yaml.reader.ReaderError as error:
        raise YamlProblem(text.count("\n", 0, error.position) + 1,
                          f"character U+{error.character:04X} is not allowed in YAML",
                          "remove it, or write it as an escape in double quotes") from None
    except yaml.YAMLError as error:
        raise YamlProblem(None, f"YAML error: {' '.join(str(error).split())}", _HINT) from None
    return root, data


def _check_events(text: str) -> None:
    """Deep nesting and non-plain tags, from the event stream: before anything recursive
    (composing nodes, validating) sees the document."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        line = event.start_mark.line + 1 if event.start_mark else None
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in _PLAIN_TAGS and not isinstance(
                event, yaml.DocumentStartEvent):
            raise YamlProblem(line, f"YAML tag {tag!r} is not allowed here",
                              f"remove the tag; {_HINT}")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise YamlProblem(line, f"YAML nested more than {MAX_YAML_DEPTH} levels deep",
                                  _HINT)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _check_nodes(root: yaml.Node) -> None:
    """Aliases and duplicate keys, walked iteratively so that no alias chain can recurse."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > MAX_YAML_VALUES:
                raise YamlProblem(None, f"the YAML expands to more than {MAX_YAML_VALUES:,} "
                                  "values through its aliases (&anchor … *anchor)",
                                  f"write the values out; {_HINT}")
            continue
        if key in sizes:
            continue
        if key in open_nodes:
            raise YamlProblem(node.start_mark.line + 1, "a YAML alias refers to the value it "
                              "is inside (a recursive alias)", _HINT)
        open_nodes.add(key)
        if isinstance(node, yaml.MappingNode):
            _check_duplicate_keys(node)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)


def _check_duplicate_keys(node: yaml.MappingNode) -> None:
    seen: dict[str, int] = {}
    for key_node, _ in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.value == "<<":
            continue
        line = key_node.start_mark.line + 1
        if key_node.value in seen:
            raise YamlProblem(line, f"duplicate key {key_node.value!r} (first on line "
                              f"{seen[key_node.value]})", "keep one of them")
        seen[key_node.value] = line
