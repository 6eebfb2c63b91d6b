"""Fill the three survey templates (Markdown, LaTeX, BibTeX) from `SurveyData`."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from jinja2 import Template, TemplateNotFound
from jinja2.exceptions import SecurityError

from pipeline.render.bibtex import bib_entry
from pipeline.render.data import SurveyData
from pipeline.render.environment import make_environment
from pipeline.render.errors import RenderError
from pipeline.render.forest import taxonomy_trees
from pipeline.render.latex import bib_escape, latex_cite, latex_escape, latex_prose
from pipeline.render.markdown import md_citer, md_escape, md_prose
from pipeline.render.mermaid import mermaid_taxonomy
from pipeline.render.safe import Safe

TEMPLATES = {"markdown": "survey.md.j2", "latex": "survey.tex.j2", "bibtex": "references.bib.j2"}
OUTPUTS = {"markdown": "survey.md", "latex": "survey.tex", "bibtex": "references.bib"}
SPLIT_DIR = "survey"  # a large survey's Markdown pages, next to survey.md


def markdown_pages(data: SurveyData) -> dict[str | None, tuple[str, str]]:
    """{page: (file name, title)}: one survey.md, or (when large) a contents page and a file
    per level, the appendix and the references under survey/."""
    if not data.split:
        return {None: (OUTPUTS["markdown"], data.title)}
    pages: dict[str | None, tuple[str, str]] = {"index": (OUTPUTS["markdown"], data.title)}
    for level in data.levels:
        pages[level.id] = (f"{SPLIT_DIR}/{level.id}.md", f"{level.number}. {level.name}")
    if data.appendix:
        pages["appendix"] = (f"{SPLIT_DIR}/appendix.md", "Appendix")
    pages["references"] = (f"{SPLIT_DIR}/references.md", "References")
    return pages


def _relative(source: str, target: str) -> str:
    """The link from file ``source`` to file ``target`` ('' within one file)."""
    if source == target:
        return ""
    if "/" in source:
        return target.split("/", 1)[1] if "/" in target else f"../{target}"
    return target


def _markdown(data: SurveyData, templates_dir: Path | None, page: str | None = None) -> str:
    pages = markdown_pages(data)
    here = pages[page][0]

    def link(target: str) -> str:
        return _relative(here, pages.get(target, pages.get("index", (here, "")))[0])

    refs = data.ref_by_key
    cite = md_citer({k: r.anchor for k, r in refs.items()}, link("references"))
    env = make_environment(
        templates_dir,
        md_escape,
        "md",
        {
            "prose": lambda sentence: md_prose(sentence, refs, cite),
            "cite": lambda keys: Safe(cite(_known_keys(keys, data))),
        },
    )
    env.globals["link"] = lambda target: Safe(link(target))
    return _render(
        env.get_template(TEMPLATES["markdown"]),
        data=data,
        mermaid=mermaid_taxonomy(data),
        page=page,
        page_title=pages[page][1],
    )


def _latex(data: SurveyData, templates_dir: Path | None) -> str:
    refs = data.ref_by_key
    env = make_environment(
        templates_dir,
        latex_escape,
        "tex",
        {
            "prose": lambda sentence: latex_prose(sentence, refs),
            "cite": lambda keys: latex_cite(_known_keys(keys, data)),
        },
    )
    return _render(env.get_template(TEMPLATES["latex"]), data=data, trees=taxonomy_trees(data))


def _bibtex(data: SurveyData, templates_dir: Path | None) -> str:
    env = make_environment(templates_dir, bib_escape, "bib")
    entries = [bib_entry(ref.record) for ref in sorted(data.references, key=lambda r: r.key)]
    return _render(env.get_template(TEMPLATES["bibtex"]), data=data, entries=entries)


def _known_keys(keys: str | Iterable[str], data: SurveyData) -> tuple[str, ...]:
    """The keys a template's ``cite`` filter got, each checked against the references."""
    wanted = (keys,) if isinstance(keys, str) else tuple(keys)
    known = data.ref_by_key
    unknown = [key for key in wanted if key not in known]
    if unknown:
        raise RenderError(
            f"a template cites {', '.join(map(repr, unknown))}, which is not a relevant paper of "
            "the corpus: cite keys from `data.references` (e.g. `{{ ref.key|cite }}`)"
        )
    return wanted


def _render(template: Template, **context: object) -> str:
    text = template.render(**context)
    return text if text.endswith("\n") else text + "\n"


def render_documents(data: SurveyData, templates_dir: Path | None = None) -> dict[str, str]:
    """{file name: text} of survey.md, survey.tex and references.bib."""
    renderers = {"latex": _latex, "bibtex": _bibtex}
    out: dict[str, str] = {}
    try:
        for page, (name, _) in markdown_pages(data).items():
            out[name] = _markdown(data, templates_dir, page)
    except TemplateNotFound as exc:
        raise _missing(exc, templates_dir) from None
    except SecurityError as exc:
        raise _unsafe(exc) from None
    for fmt, render in renderers.items():
        try:
            out[OUTPUTS[fmt]] = render(data, templates_dir)
        except TemplateNotFound as exc:
            raise _missing(exc, templates_dir) from None
        except SecurityError as exc:
            raise _unsafe(exc) from None
    return out


def _unsafe(exc: SecurityError) -> RenderError:
    """The sandbox refused an attribute or a call."""
    return RenderError(
        f"a template tried an unsafe operation ({exc}); templates may print and loop "
        "over the survey data, not reach Python internals — remove that expression"
    )


def _missing(exc: TemplateNotFound, templates_dir: Path | None) -> RenderError:
    return RenderError(
        f"template {exc.name!r} not found in {templates_dir or 'the built-in templates'}"
        " or the built-in templates: name overrides exactly like the built-in files "
        f"({', '.join(TEMPLATES.values())})"
    )
