"""The catalog: pydantic models of programs, degrees, pathways and dated figures.

``load_catalog(paths)`` reads YAML files (the bundled catalog first, then the
user's), validates each strictly (unknown keys are errors, amounts are exact
Decimals >= 0 with no more decimal places than their currency has, ids are
slugs), merges them by id (a later file replaces an earlier one's entry) and
checks the rules that span records (references to figures and degrees exist,
credit granted never exceeds what the degree requires). Every problem found is
reported at once, each with ``file:line:col``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from mmcost import model, yamlsrc
from mmcost.bundled import bundled_catalog
from mmcost.catalog.schema import SCHEMA_VERSION, CatalogFile, DatedValue, Slug, catalog_json_schema
from mmcost.errors import CatalogError, Issue
from mmcost.model import Catalog, Section, unknown

__all__ = [
    "SCHEMA_VERSION",
    "CatalogFile",
    "Slug",
    "catalog_json_schema",
    "check_references",
    "issues_from_validation",
    "load_catalog",
    "to_model",
    "validate_document",
]


def load_catalog(
    paths: Sequence[Path] | None = None, *, bundled: bool = True, texts: Mapping[Path, str] | None = None
) -> Catalog:
    """Load, validate and merge catalog files; raise CatalogError with every issue.

    ``texts`` stand in for the files at those paths (an edit checked before it is written).
    """
    files = ([bundled_catalog()] if bundled else []) + list(paths or [])
    issues: list[Issue] = []
    documents: list[tuple[yamlsrc.Document, CatalogFile]] = []
    for path in files:
        try:
            text = (texts or {}).get(path)
            document = yamlsrc.read_file(path) if text is None else yamlsrc.parse_text(text, str(path))
        except CatalogError as error:
            issues.extend(error.issues)
            continue
        parsed = validate_document(document, issues)
        if parsed is not None:
            documents.append((document, parsed))
    if issues:
        raise CatalogError(issues)
    catalog, located = _merge(documents)
    issues.extend(check_references(catalog, located))
    if issues:
        raise CatalogError(issues)
    return catalog


def validate_document(document: yamlsrc.Document, issues: list[Issue]) -> CatalogFile | None:
    """Validate one parsed file; append its issues and return None when it is bad."""
    if not isinstance(document.data, dict):
        kind = type(document.data).__name__ if document.data is not None else "nothing"
        issues.append(document.issue("", f"expected a mapping with `schema_version` at the top, found {_kind(kind)}"))
        return None
    try:
        return CatalogFile.model_validate(document.data)
    except ValidationError as error:
        issues.extend(issues_from_validation(document, error))
        return None


def _kind(name: str) -> str:
    return {"list": "a list", "str": "text", "int": "a number", "Decimal": "a number", "bool": "a boolean"}.get(
        name, name
    )


def issues_from_validation(document: yamlsrc.Document, error: ValidationError) -> list[Issue]:
    """pydantic's errors as located Issues, worded for people who edit YAML."""
    found = []
    for detail in error.errors(include_url=False):
        path, is_key = "", False
        loc = detail["loc"][:-1] if detail["type"] == "missing" else detail["loc"]
        for part in loc:
            if part == "[key]":
                is_key = True
                continue
            if isinstance(part, str) and part.endswith("]") and "[" in part:
                continue  # pydantic's union branch names
            path = yamlsrc.join_path(path, part)
        found.append(document.issue(path, _message(detail, is_key)))
    return found


def value_problems(value: Mapping[str, Any]) -> list[tuple[str, str]]:
    """What the schema finds wrong with one dated value, as (field, message), worded as for a catalog file;
    a problem of the value as a whole (more decimal places than its currency has) has the field ''."""
    try:
        DatedValue.model_validate(value)
    except ValidationError as error:
        details = error.errors(include_url=False)
        return [(str(detail["loc"][0]) if detail["loc"] else "", _message(detail, False)) for detail in details]
    return []


def _message(detail: Any, is_key: bool) -> str:
    kind, ctx = detail["type"], detail.get("ctx") or {}
    loc = detail["loc"]
    if is_key:
        return "ids must be lowercase slugs like 'mit-scm' (letters, digits, single hyphens)"
    if kind in _KEY_MESSAGES:
        return _KEY_MESSAGES[kind].format(key=loc[-1])
    if kind in ("greater_than_equal", "less_than_equal"):
        sign = ">=" if kind == "greater_than_equal" else "<="
        bound = ctx.get("ge", ctx.get("le"))
        return f"must be {sign} {bound}"
    if kind == "string_pattern_mismatch":
        if str(loc[-1]) in ("source", "url"):
            return "must be an http(s) URL"
        return "must be a lowercase slug like 'mit-scm' (letters, digits, single hyphens)"
    if loc and loc[-1] == "schema_version":
        return f"unsupported schema version; this mmcost reads version {SCHEMA_VERSION}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}"
    if kind == "value_error":
        return str(ctx.get("error", detail["msg"]))
    if kind == "too_short":
        return "must not be empty"
    message = str(detail["msg"])
    return message[0].lower() + message[1:]


_KEY_MESSAGES = {
    "missing": "missing required key {key!r}",
    "extra_forbidden": "unknown key {key!r}; check the spelling (mmcost schema lists the keys)",
}


@dataclass
class _Located:
    """Where each merged entry came from, to locate cross-record issues."""

    documents: dict[tuple[Section, str], yamlsrc.Document] = field(default_factory=dict)

    def issue(self, section: Section, entry_id: str, subpath: str, message: str) -> Issue:
        document = self.documents[(section, entry_id)]
        path = yamlsrc.join_path(yamlsrc.join_path(section, entry_id), subpath) if subpath else f"{section}.{entry_id}"
        return document.issue(path, message)


def to_model(value: Any) -> Any:
    """A validated pydantic entry as the plain record of the same name (model.py)."""
    if isinstance(value, BaseModel):
        target = getattr(model, type(value).__name__)
        return target(**{name: to_model(getattr(value, name)) for name in type(value).model_fields})
    if isinstance(value, dict):
        return {key: to_model(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return tuple(to_model(item) for item in value)
    return value


def _merge(documents: list[tuple[yamlsrc.Document, CatalogFile]]) -> tuple[Catalog, _Located]:
    figures: dict[str, model.Figure] = {}
    programs: dict[str, model.Program] = {}
    degrees: dict[str, model.Degree] = {}
    origins: dict[tuple[Section, str], str] = {}
    located = _Located()

    def remember(section: Section, entry_id: str, document: yamlsrc.Document) -> None:
        origins[(section, entry_id)] = document.file
        located.documents[(section, entry_id)] = document

    for document, parsed in documents:
        figures.update({key: to_model(value) for key, value in parsed.figures.items()})
        programs.update({key: to_model(value) for key, value in parsed.programs.items()})
        degrees.update({key: to_model(value) for key, value in parsed.degrees.items()})
        for figure_id in parsed.figures:
            remember("figures", figure_id, document)
        for program_id in parsed.programs:
            remember("programs", program_id, document)
        for degree_id in parsed.degrees:
            remember("degrees", degree_id, document)
    files = tuple(document.file for document, _ in documents)
    return Catalog(figures, programs, degrees, origins, files), located


def check_references(catalog: Catalog, located: _Located) -> list[Issue]:
    """Rules across records: every reference resolves, credit fits the degree."""
    return [*_program_references(catalog, located), *_degree_references(catalog, located)]


_CHARGE_KINDS = ("tuition", "application_fee", "fee", "subsidy")


def _figure_reference(
    catalog: Catalog, located: _Located, where: tuple[Section, str, str], figure_id: str, kinds: tuple[str, ...]
) -> list[Issue]:
    """An issue when figure_id, referred to at where (section, id, subpath), is unknown or of another kind."""
    figure = catalog.figures.get(figure_id)
    if figure is None:
        return [located.issue(*where, unknown("figure", figure_id, catalog.figures, "define it under `figures`"))]
    if figure.kind not in kinds:
        return [located.issue(*where, f"figure {figure_id!r} is a {figure.kind}, expected {' or '.join(kinds)}")]
    return []


def _program_references(catalog: Catalog, located: _Located) -> list[Issue]:
    issues: list[Issue] = []
    for program_id, program in catalog.programs.items():
        here: tuple[Section, str] = ("programs", program_id)
        if program.course_fee is not None:
            issues += _figure_reference(catalog, located, (*here, "course_fee"), program.course_fee, ("course_fee",))
        if program.program_price is not None:
            where = (*here, "program_price")
            issues += _figure_reference(catalog, located, where, program.program_price, ("program_price",))
        for index, exam in enumerate(program.exams):
            issues += _figure_reference(catalog, located, (*here, f"exams[{index}].fee"), exam.fee, ("exam_fee",))
        for pathway_id, pathway in program.pathways.items():
            base = f"pathways.{pathway_id}"
            for index, charge in enumerate(pathway.charges):
                where = (*here, f"{base}.charges[{index}].figure")
                issues += _figure_reference(catalog, located, where, charge.figure, _CHARGE_KINDS)
            degree = catalog.degrees.get(pathway.degree)
            if degree is None:
                message = unknown("degree", pathway.degree, catalog.degrees, "define it under `degrees`")
                issues.append(located.issue(*here, f"{base}.degree", message))
                continue
            issues.extend(_credit_issues(located, program_id, base, pathway, degree))
    return issues


def _degree_references(catalog: Catalog, located: _Located) -> list[Issue]:
    issues: list[Issue] = []
    for degree_id, degree in catalog.degrees.items():
        for index, figure_id in enumerate(degree.living.figures if degree.living else ()):
            where_row: tuple[Section, str, str] = ("degrees", degree_id, f"living.figures[{index}]")
            issues += _figure_reference(catalog, located, where_row, figure_id, ("living",))
        for index, charge in enumerate(degree.direct.charges if degree.direct else ()):
            subpath = f"direct.charges[{index}]"
            where: tuple[Section, str, str] = ("degrees", degree_id, f"{subpath}.figure")
            issues += _figure_reference(catalog, located, where, charge.figure, _CHARGE_KINDS)
            needed = {
                "course": ("courses_required", degree.courses_required),
                "credit": ("credits_required", degree.credits_required),
            }
            if charge.per in needed and needed[charge.per][1] is None:
                message = f"charged per {charge.per}, so `{needed[charge.per][0]}` is needed"
                issues.append(located.issue("degrees", degree_id, subpath, message))
    return issues


def _credit_issues(
    located: _Located, program_id: str, base: str, pathway: model.Pathway, degree: model.Degree
) -> list[Issue]:
    issues = []
    if pathway.courses_credited is not None:
        if degree.courses_required is None:
            issues.append(
                located.issue(
                    "programs",
                    program_id,
                    f"{base}.courses_credited",
                    f"degree {pathway.degree!r} has no `courses_required` to credit against",
                )
            )
        elif pathway.courses_credited > degree.courses_required:
            message = (
                f"credits {pathway.courses_credited} courses but degree {pathway.degree!r}"
                f" requires only {degree.courses_required}"
            )
            issues.append(located.issue("programs", program_id, f"{base}.courses_credited", message))
    if (
        pathway.credits_credited is not None
        and degree.credits_required is not None
        and pathway.credits_credited > degree.credits_required
    ):
        message = (
            f"credits {pathway.credits_credited} credits but degree {pathway.degree!r}"
            f" requires only {degree.credits_required}"
        )
        issues.append(located.issue("programs", program_id, f"{base}.credits_credited", message))
    for index, charge in enumerate(pathway.charges):
        if charge.per == "course" and pathway.courses_credited is None:
            issues.append(
                located.issue(
                    "programs",
                    program_id,
                    f"{base}.charges[{index}]",
                    "charged per course, so the pathway needs `courses_credited`",
                )
            )
        unknown_credit = pathway.credits_credited is None or degree.credits_required is None
        if charge.per == "credit" and unknown_credit and pathway.credit_gap is None:
            issues.append(
                located.issue(
                    "programs",
                    program_id,
                    f"{base}.charges[{index}]",
                    "charged per credit, so `credits_credited` and the degree's `credits_required` are needed "
                    "(or a `credit_gap` saying what is unknown)",
                )
            )
    return issues
