"""Helpers for analysts' own tests: the same compiler-like output as the pytest plugin.

    from essconv.testing import assert_plan_ok

    def test_plan_2010():
        assert_plan_ok(essconv.read_plan("plans/plan-2010.tsv"), convention=essconv.default())
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .convention import Convention
    from .findings import Report
    from .plan import Plan


def format_findings(report: "Report", *, show_info: bool = True, lang: str = "en",
                    plan: "Plan | None" = None, convention: "Convention | None" = None) -> str:
    """One line per finding, ``file:line:column: severity[code]: message``, with the fix of
    each suggestion on its own line: English by default, as ``essconv validate`` lists them;
    ``lang="fr"`` words each finding for the committee from its fields (``plan``, and the
    ``convention`` it was checked against, give the figures their unit and names).  A finding
    of a workbook's plan names its cell as Excel does after its code: ``plan 2010.xlsx:7:3:
    error[column-total]: Feuil1!C7: CDC: ...``."""
    from .messages import language, sheet_cell
    words = language(lang)
    sheet = getattr(plan, "sheet", None)
    lines = []
    for f in report:
        if f.severity == "info" and not show_info:
            continue
        # a workbook's cell named as Excel names it (Feuil1!C7) after the finding's code, the
        # compiler's file:line:column kept first: the analyst counted columns to find it
        cell = (sheet_cell(sheet, f.source_line, f.source_column) + words.colon
                if sheet and f.source_line and f.source_column else "")
        if words.code == "en":
            lines.append(f"{f.where()}: {words.severity(f.severity)}[{f.code}]: "
                         f"{cell}{f.message}")
        else:
            lines.append(f"{f.where()}: {words.severity(f.severity)}[{f.code}]{words.colon}"
                         f"{cell}{words.finding(f, plan, convention)}")
        if f.suggestion and f.code != "malformed-number":   # the fix in the listing's language
            lines.append(f"    suggestion{words.colon}{words.suggestion(f, plan)}")
    return "\n".join(lines)


def failure_headline(report: "Report", where: str, lang: str = "en", *, trailing: bool = False,
                     more_warnings: int = 0) -> str:
    """``plan-2010.tsv: 4 error(s), 0 warning(s)`` in ``lang`` (``trailing``: ``4 error(s), 0
    warning(s) in plan-2010.tsv``, as the pytest plugin titles a failed item); ``more_warnings``
    counts warnings besides the report's (the plugin's reading warnings)."""
    from .messages import language
    words = language(lang)
    warned = len(report.warnings) + more_warnings
    if words.code == "en":
        counts = f"{len(report.errors)} error(s), {warned} warning(s)"
        return f"{counts} in {where}" if trailing else f"{where}: {counts}"
    counts = (f"{words.count(len(report.errors), 'error')}, "
              f"{words.count(warned, 'warning')}")
    return f"{counts} dans {where}" if trailing else f"{where}{words.colon}{counts}"


def overflow_text(plan: "Plan", lang: str = "en") -> str:
    """Which sums of a plan pass int64 cents (the lines, the funders' columns, the grand
    total), named as a finding names its place, each with the end it leaves by: a plan that
    cannot be validated says where, in ``lang`` as the findings it stands for (it was English
    under a French listing)."""
    from .errors import MoneyOverflowError
    from .messages import french_spacing, language

    words = language(lang)

    def past(sum_of: Any, *args: Any) -> str | None:
        """The end of int64 cents the sum leaves by, in words ("beyond 92,…07 €", "below
        -92,…08 €"), or None when it fits: a sum under the floor said "±" read as a huge
        positive one."""
        try:
            sum_of(*args)
        except MoneyOverflowError as exc:
            return words.beyond_cents(exc.below)
        return None
    where = plan.path or "<plan>"
    lines = [(line, side) for i, line in enumerate(plan.lines)
             if (side := past(plan.line_sum_at, i)) is not None]
    funders = [(f, side) for j, f in enumerate(plan.funders)
               if (side := past(plan.funder_sum_at, j)) is not None]
    grand = past(plan.total)
    if lang == "en":
        places = ([f"line {line!r} ({side})" for line, side in lines]
                  + [f"column {f!r} ({side})" for f, side in funders]
                  + ([f"the grand total ({grand})"] if grand else []))
        return (f"{where}: error[overflow]: sums past int64 cents: "
                + ", ".join(places or ["the cells"]) + "; the plan cannot be checked")
    places = ([f"ligne {words.quote(line)} ({side})" for line, side in lines]
              + [f"colonne {words.quote(f)} ({side})" for f, side in funders]
              + ([f"le total général ({grand})"] if grand else []))
    said = french_spacing("des sommes dépassent ce qu'un montant en centimes peut tenir : "
                          + ", ".join(places or ["les cellules"])
                          + " ; le plan ne peut pas être vérifié")
    return f"{where}{words.colon}{words.severity('error')}[overflow]{words.colon}{said}"


def assert_plan_ok(plan: "Plan", convention: "Convention | None" = None, *,
                   strict: bool = False, lang: str = "en") -> "Report":
    """Fail (AssertionError) when validation finds an error -- or a warning, with strict --
    listing every finding like a compiler, in ``lang`` ('en' or 'fr').  Returns the report when
    the plan passes.  A plan whose sums pass int64 cents fails, naming them."""
    # pytest shows the failure at the analyst's call, the findings under it: without this its
    # report opened on this helper's source and its arguments' reprs
    __tracebackhide__ = True
    from .errors import ArgumentTypeError, MoneyOverflowError
    from .messages import language
    from .plan import Plan
    # checked before validating: a path given for the plan was a bare AttributeError from here,
    # strict="no" (a truthy string) failed a passing plan, and a language it cannot speak went
    # unnoticed until the day the plan failed
    if not isinstance(plan, Plan):
        raise ArgumentTypeError(f"plan must be a Plan, read with essconv.read_plan(path), not "
                                f"{type(plan).__name__} {plan!r:.80}")
    if not isinstance(strict, bool):
        raise ArgumentTypeError(f"strict must be True or False, not {type(strict).__name__} "
                                f"{strict!r:.40}")
    language(lang)   # InvalidValueError naming the languages it speaks
    try:
        report = plan.validate(convention)
    except MoneyOverflowError:
        raise AssertionError(overflow_text(plan, lang)) from None
    failing = report.errors + (report.warnings if strict else [])
    if failing:
        where = plan.path or "<plan>"
        raise AssertionError(failure_headline(report, where, lang) + "\n"
                             + format_findings(report, lang=lang, plan=plan, convention=convention))
    return report
