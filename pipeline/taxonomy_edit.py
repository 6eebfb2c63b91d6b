"""Write taxonomy changes into the user's YAML text, keeping its comments and layout, so the
unified diff shows only the change. The edited text is checked: loaded again it must equal
``apply_changes`` of the taxonomy; otherwise the whole file is written out afresh."""

from __future__ import annotations

import difflib
import json
import re

import yaml

from schemas.propose import Change, apply_changes
from schemas.taxonomy import Leaf, Taxonomy, families_from_names

_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .*\-]*$")


def edited_text(text: str, taxonomy: Taxonomy, changes: list[Change]) -> str:
    """The YAML text with ``changes`` made; the taxonomy it loads to is checked."""
    expected = apply_changes(taxonomy, changes)
    lines = text.splitlines(keepends=True)
    for change in changes:
        for edit in change.edits:
            for field in ("title_cues", "cues", "negative_cues"):
                leaf = taxonomy.leaf(edit.leaf)
                phrases = [p for p in getattr(edit, field) if p not in getattr(leaf, field)]
                if phrases:
                    lines = _add_to_list(lines, edit.leaf, field, phrases)
        for new in change.new_leaves:
            leaf = Leaf(
                id=new.id, name=new.name, description=new.scope, title_cues=list(new.title_cues),
                cues=list(new.cues), families=families_from_names(list(new.families)),
            )  # fmt: skip
            lines = _append_leaf(lines, new.id.split(".", 1)[0], leaf)
        if change.kind in ("retire", "merge"):
            lines = _remove_leaf(lines, change.leaf)
    result = "".join(lines)
    try:
        loaded = Taxonomy.model_validate(yaml.safe_load(result))
    except Exception:  # noqa: BLE001 - any failure means: write the file afresh
        loaded = None
    if loaded is None or loaded.model_dump() != expected.model_dump():
        from pipeline.taxonomy_jobs import taxonomy_yaml

        return taxonomy_yaml(expected)
    return result


def unified_diff(old: str, new: str, name: str) -> str:
    return "".join(
        difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{name}", f"b/{name}"
        )
    )


def _block(lines: list[str], ident: str) -> tuple[int, int, str] | None:
    """Start, end (exclusive) and indentation of the list item ``- id: ident``."""
    pattern = re.compile(rf"^(\s*)- id: ['\"]?{re.escape(ident)}['\"]?\s*$")
    for start, line in enumerate(lines):
        match = pattern.match(line)
        if match is None:
            continue
        indent = match.group(1)
        end = start + 1
        while end < len(lines):
            current = lines[end]
            stripped = current.strip()
            if stripped and not stripped.startswith("#"):
                width = len(current) - len(current.lstrip())
                if width < len(indent) or (width == len(indent) and stripped.startswith("- ")):
                    break
            end += 1
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        return start, end, indent
    return None


def _flow(phrases: list[str]) -> str:
    return ", ".join(p if _PLAIN.match(p) else json.dumps(p) for p in phrases)


def _add_to_list(lines: list[str], leaf: str, field: str, phrases: list[str]) -> list[str]:
    found = _block(lines, leaf)
    if found is None:
        return lines
    start, end, indent = found
    key = re.compile(rf"^(\s+){field}: \[")
    for i in range(start + 1, end):
        match = key.match(lines[i])
        if match is not None:
            head = match.group(0)
            lines = list(lines)
            lines[i] = head + _flow(phrases) + ", " + lines[i][len(head) :]
            return lines
    new = f"{indent}  {field}: [{_flow(phrases)}]\n"
    return [*lines[: start + 1], new, *lines[start + 1 :]]


def _append_leaf(lines: list[str], level: str, leaf: Leaf) -> list[str]:
    found = _block(lines, level)
    if found is None:
        return lines
    _, end, indent = found
    data = {k: v for k, v in leaf.model_dump(mode="json").items() if v != []}
    body = yaml.safe_dump([data], sort_keys=False, allow_unicode=True, width=100)
    pad = indent + "    "
    block = "".join(pad + line if line.strip() else line for line in body.splitlines(True))
    return [*lines[:end], block, *lines[end:]]


def _remove_leaf(lines: list[str], leaf: str) -> list[str]:
    found = _block(lines, leaf)
    if found is None:
        return lines
    start, end, _ = found
    return [*lines[:start], *lines[end:]]
