"""The codebook tree with coding counts for this document and for the whole project."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from kasus.model import Code


def code_label(code: Code, here: int, total: int) -> Text:
    """A swatch in the code's colour, the counts "this document/all", and the label."""
    text = Text.assemble(("■ ", code.colour))
    if total:
        text.append(f"{here}/{total} ", style="bold")
    text.append(code.label_nb, style="" if code.status == "active" else "strike dim")
    return text


class CodeTree(Tree[str]):
    """Goals and themes with their codes; Enter asks for the code view of a code."""

    @dataclass
    class CodeChosen(Message):
        """The user chose a code in the tree (Enter)."""

        code_id: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Kodebok", id=id)
        self.show_root = False
        self.guide_depth = 2
        self.codes: dict[str, Code] = {}
        self._code_nodes: dict[str, TreeNode[str]] = {}
        self._counts: dict[str, tuple[int, int]] = {}

    def set_codes(self, codes: list[Code]) -> None:
        """Build the tree from the codebook (codebook order, parents before children)."""
        self.clear()
        self.codes = {code.id: code for code in codes}
        self._code_nodes = {}
        self._counts = {}
        for code in codes:
            parent = self._code_nodes.get(code.parent_id or "", self.root)
            has_children = any(other.parent_id == code.id for other in codes)
            label = code_label(code, 0, 0)
            node = (parent.add(label, data=code.id, expand=True) if has_children
                    else parent.add_leaf(label, data=code.id))
            self._code_nodes[code.id] = node

    def set_counts(self, here: dict[str, int], total: dict[str, int]) -> None:
        """Show how often each code is used in this document and in the project."""
        for code_id, node in self._code_nodes.items():
            counts = (here.get(code_id, 0), total.get(code_id, 0))
            if self._counts.get(code_id, (0, 0)) != counts:
                node.set_label(code_label(self.codes[code_id], *counts))
        self._counts = {code_id: (here.get(code_id, 0), total.get(code_id, 0))
                        for code_id in self._code_nodes}

    def label_of(self, code_id: str) -> str:
        """The plain label text shown for a code (tests read counts from it)."""
        node = self._code_nodes[code_id]
        label = node.label
        return label.plain if isinstance(label, Text) else str(label)

    def select_code(self, code_id: str) -> None:
        node = self._code_nodes.get(code_id)
        if node is not None:
            self.move_cursor(node)

    @property
    def highlighted_code(self) -> str | None:
        node = self.cursor_node
        return node.data if node is not None else None

    @on(Tree.NodeSelected)
    def _node_selected(self, event: Tree.NodeSelected[str]) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(self.CodeChosen(event.node.data))
