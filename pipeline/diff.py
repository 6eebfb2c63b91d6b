"""What changed in outputs/ between a git revision and the working tree (`taxonomist diff`)."""

from __future__ import annotations

import difflib
import json
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import TaxonomistError


@dataclass
class PaperChange:
    key: str
    title: str
    old: str
    new: str


@dataclass
class SectionChange:
    heading: str
    added: int
    removed: int


@dataclass
class OutputDiff:
    """Changes between two versions of outputs/ (papers.jsonl and survey.md)."""

    revision: str
    new_by_leaf: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    new_irrelevant: int = 0
    reclassified: list[PaperChange] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)
    sources_added: int = 0
    sections: list[SectionChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.new_by_leaf
            or self.new_irrelevant
            or self.reclassified
            or self.removed
            or self.sections
            or self.sources_added
        )


def git_show(revision: str, path: Path, repo: Path) -> str | None:
    """The file at a revision, or None when it did not exist there."""
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=repo,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        raise TaxonomistError(
            f"{repo} is not inside a git repository: `taxonomist diff` compares outputs with a "
            "git revision; commit your outputs first (git init && git add outputs && git commit)"
        ) from None
    relative = path.resolve().relative_to(Path(top).resolve()).as_posix()
    check = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    if check.returncode != 0:
        raise TaxonomistError(f"unknown git revision {revision!r}: pass a commit, branch or tag")
    shown = subprocess.run(
        ["git", "show", f"{revision}:{relative}"], cwd=repo, capture_output=True, text=True
    )
    return shown.stdout if shown.returncode == 0 else None


def _records(text: str | None) -> dict[str, dict[str, Any]]:
    if not text:
        return {}
    records = [json.loads(line) for line in text.splitlines() if line.strip()]
    return {r["id"]: r for r in records}


def _label(record: dict[str, Any]) -> str:
    if not record.get("relevant"):
        return "not relevant"
    leaves = record.get("leaves") or []
    primary = record.get("primary") or "unclassified"
    others = [leaf for leaf in leaves if leaf != primary]
    return primary + (f" (+{', '.join(others)})" if others else "")


def markdown_sections(text: str | None) -> dict[str, list[str]]:
    """survey.md split at headings: heading -> its lines."""
    sections: dict[str, list[str]] = {}
    current = "(top)"
    for line in (text or "").splitlines():
        if line.startswith("#"):
            current = line.lstrip("#").strip()
        sections.setdefault(current, []).append(line)
    return sections


def compare_outputs(out_dir: Path, revision: str = "HEAD") -> OutputDiff:
    """Compare out_dir's papers.jsonl and survey.md with their versions at ``revision``."""
    papers_path, survey_path = out_dir / "papers.jsonl", out_dir / "survey.md"
    if not papers_path.exists():
        raise TaxonomistError(f"{papers_path} not found: run `taxonomist build` first")
    old = _records(git_show(revision, papers_path, out_dir))
    new = _records(papers_path.read_text(encoding="utf-8"))
    diff = OutputDiff(revision=revision)
    for pid in sorted(new):
        record = new[pid]
        if pid not in old:
            if record.get("relevant") and record.get("primary"):
                diff.new_by_leaf.setdefault(record["primary"], []).append(
                    (record["key"], record["title"])
                )
            else:
                diff.new_irrelevant += 1
            continue
        before, after = _label(old[pid]), _label(record)
        if before != after:
            diff.reclassified.append(PaperChange(record["key"], record["title"], before, after))
        diff.sources_added += max(
            0, len(record.get("sources", [])) - len(old[pid].get("sources", []))
        )
    diff.removed = [(old[pid]["key"], old[pid]["title"]) for pid in sorted(old) if pid not in new]
    diff.new_by_leaf = dict(sorted(diff.new_by_leaf.items()))
    if survey_path.exists():
        before_sections = markdown_sections(git_show(revision, survey_path, out_dir))
        after_sections = markdown_sections(survey_path.read_text(encoding="utf-8"))
        for heading in [*after_sections, *(h for h in before_sections if h not in after_sections)]:
            a, b = before_sections.get(heading, []), after_sections.get(heading, [])
            added = removed = 0
            for line in difflib.unified_diff(a, b, lineterm="", n=0):
                if line.startswith("+") and not line.startswith("+++"):
                    added += 1
                elif line.startswith("-") and not line.startswith("---"):
                    removed += 1
            if added or removed:
                diff.sections.append(SectionChange(heading, added, removed))
    return diff


def format_markdown(diff: OutputDiff) -> str:
    """The diff as Markdown for a pull request description."""
    from pipeline.render.markdown import md_escape as md_inline

    lines = [f"## Survey changes since `{diff.revision}`", ""]
    if diff.empty:
        return "\n".join([*lines, "No changes.", ""])
    total_new = sum(len(v) for v in diff.new_by_leaf.values())
    lines.append(
        f"- {total_new} new relevant papers, {diff.new_irrelevant} new out-of-scope papers, "
        f"{len(diff.reclassified)} reclassified, {len(diff.removed)} removed, "
        f"{diff.sources_added} new sources of known papers"
    )
    if diff.new_by_leaf:
        lines += ["", "### New papers by leaf", "", "| leaf | papers |", "|---|---|"]
        for leaf, papers in diff.new_by_leaf.items():
            listed = "<br>".join(f"`{key}` {md_inline(title)}" for key, title in papers)
            lines.append(f"| `{leaf}` ({len(papers)}) | {listed} |")
    if diff.reclassified:
        lines += ["", "### Reclassified", "", "| paper | before | after |", "|---|---|---|"]
        for change in diff.reclassified:
            lines.append(
                f"| `{change.key}` {md_inline(change.title)} | {change.old} | {change.new} |"
            )
    if diff.removed:
        lines += ["", "### Removed", ""]
        lines += [f"- `{key}` {md_inline(title)}" for key, title in diff.removed]
    if diff.sections:
        lines += [
            "",
            "### survey.md sections changed",
            "",
            "| section | + | − |",
            "|---|---:|---:|",
        ]
        for section in diff.sections:
            lines.append(f"| {md_inline(section.heading)} | {section.added} | {section.removed} |")
    return "\n".join(lines) + "\n"
