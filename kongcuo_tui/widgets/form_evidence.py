"""The evidence checklist of a classification form: what the chosen code needs on file.

The items come from the code table (required groups, then expected documents) and are
rebuilt whenever the code changes; ticks on documents that stay in the list are kept.
"""

from __future__ import annotations

from textual.widgets import SelectionList
from textual.widgets.selection_list import Selection

from ..domain.codes import EVIDENCE, Code


def evidence_items(code: Code | None, on_file: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(key, label) pairs for `code`, marked 必需 / 任选其一 / 应有 and 已存档."""
    if code is None:
        return []
    items: list[tuple[str, str]] = []
    for group in code.required_evidence:
        tag = "必需" if len(group) == 1 else "必需·任选其一"
        items += [(k, f"【{tag}】{EVIDENCE[k]}") for k in group]
    seen = {k for k, _ in items}
    items += [(k, f"【应有】{EVIDENCE[k]}") for k in code.expected_evidence if k not in seen]
    return [(k, label + ("（已存档）" if k in on_file else "")) for k, label in items]


class EvidenceChecklist(SelectionList[str]):
    """Space (or Enter) ticks a document as received; `checked` is the set of ticked keys."""

    DEFAULT_CSS = """
    EvidenceChecklist { height: auto; max-height: 6; border: none; padding: 0; }
    """

    def __init__(self, on_file: frozenset[str] = frozenset(), id: str | None = None) -> None:
        super().__init__(id=id)
        self.on_file = on_file
        self.code: Code | None = None

    @property
    def checked(self) -> frozenset[str]:
        return frozenset(self.selected)

    def show_code(self, code: Code | None) -> None:
        keep = self.checked | self.on_file
        self.code = code
        self.clear_options()
        items = evidence_items(code, self.on_file)
        self.add_options([Selection(label, key, key in keep) for key, label in items])
        self.display = bool(items)
        if items:
            self.highlighted = 0  # so Space ticks the first document straight away
