"""What the funding committee reads, in its language: the words of the text report and the
dashboard, the way amounts, percentages and dates are printed, and the findings' messages.

French is the default (the committee's language); English on request (``lang="en"``).  One
output speaks one language: every string the report, the dashboard or a plan's display prints
comes from here, through one :class:`Language`.

The findings' messages are written in English by the C core (``Finding.message``, what the Python
API and compiler-style listings show, unchanged).  What the report and the dashboard print is not
a translation of those strings: it is built here, in either language, from the finding's
structured fields (code, line, funder, expected, actual, target) and the plan they are about, one
entry per finding code in ``_FINDINGS``, so its amounts are printed the output's way.

Amounts are printed by the money formatter from exact cents, never through a float.  French
typography: a narrow no-break space (U+202F) groups thousands and precedes ``%``, a no-break space
(U+00A0) sits between an amount and its unit — ``8 105 k€``, ``12,5 %``; English: ``8,105 k€``,
``12.5%``.

    >>> from decimal import Decimal
    >>> language("fr").amount(Decimal("8105"), "k€") == "8\\u202f105\\u00a0k€"
    True
    >>> language("en").amount(Decimal("8105"), "k€") == "8,105\\u00a0k€"
    True
    >>> language("fr").share(Decimal(1), Decimal(8)), language("en").share(Decimal(1), Decimal(8))
    ('12,5\\u202f%', '12.5%')
"""
from __future__ import annotations

import datetime as _dt
import errno
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from .errors import AmountError, InvalidValueError, close_name
from .money import (INT64_CENTS_EN, INT64_CENTS_FR, INT64_FLOOR_CENTS_EN, INT64_FLOOR_CENTS_FR,
                    format_amount, parse_amount, percent_of)

# The words floor: this module imports no model (plan, convention) and no findings; the
# findings, plans and conventions it words are passed in and only read (their annotations are
# strings, never imported).  The labels below are words every table shares; findings.py, plan.py
# and the views take them from here.
TOTAL = "Total"   # the label findings use for a Total row or column
#: the line marked_cells names for an axis row's printed sub-total (the finding's ``group``)
SUBTOTAL = "Sous-total"
#: a ledger pivot's missing key, as its API (by_line()...) says it
PIVOT_MISSING_TEXT = "(missing)"

LANGUAGES = ("fr", "en")
NNBSP, NBSP = "\u202f", "\u00a0"

# key -> (French, English); {name} fields are filled by Language.text
_TEXTS: dict[str, tuple[str, str]] = {
    # the text report
    "territory": ("Territoire : {territory}. Durée : du {start} au {end} ({span}). "
                  "Signée à {at} le {on}.",
                  "Territory: {territory}.  Term: {start} – {end} ({span}).  "
                  "Signed at {at} on {on}."),
    # signed_on without signed_at: the place unsaid ("Signée à None" before)
    "territory_no_place": ("Territoire : {territory}. Durée : du {start} au {end} ({span}). "
                           "Signée le {on}.",
                           "Territory: {territory}.  Term: {start} – {end} ({span}).  "
                           "Signed on {on}."),
    # no signed_on: the territory said all the same (the report dropped it with the signature)
    "territory_unsigned": ("Territoire : {territory}. Durée : du {start} au {end} ({span}).",
                           "Territory: {territory}.  Term: {start} – {end} ({span})."),
    "in_force": ("En vigueur aujourd'hui ({today}) : {answer}.", "In force today ({today}): {answer}."),
    "yes": ("oui", "yes"),
    "no": ("non", "no"),
    "parties": ("Parties", "Parties"),
    "signatory_role": ("signataire", "signatory"),
    "service_of": ("service de {parent}", "service of {parent}"),
    # {where}: " (article 3)" when the description's sources place them in one article
    # (report.cited_article), else nothing: another convention's axes are not in article 3
    "axes": ("Axes stratégiques{where}", "Strategic axes{where}"),
    # the term's length (Convention.term_length): whole years, else months, else days
    "span_year": ("{count} ans", "{count} years"),
    "span_year_one": ("{count} an", "{count} year"),
    "span_month": ("{count} mois", "{count} months"),
    "span_month_one": ("{count} mois", "{count} month"),
    "span_day": ("{count} jours", "{count} days"),
    "span_day_one": ("{count} jour", "{count} day"),
    "means": ("{count} moyens d'action", "{count} means of action"),
    "means_one": ("{count} moyen d'action", "{count} means of action"),
    "governance": ("Gouvernance{where}", "Governance{where}"),
    "meetings_a_year": ("{count} réunions par an", "{count} meetings a year"),
    # a body that meets once a year ("1 réunions par an" before)
    "meetings_a_year_one": ("{count} réunion par an", "{count} meeting a year"),
    "secretariat": ("secrétariat : {who}", "secretariat: {who}"),
    "milestones": ("Jalons", "Milestones"),
    "milestones_past": ("Jalons (tous passés : la convention est arrivée à son terme)",
                        "Milestones (all past: the term has ended)"),
    "next": ("prochain →", "next →"),
    "by_funder": ("Totaux par financeur ({unit}) : calculés à partir des cellules / indiqués "
                  "dans la ligne Total",
                  "Totals by funder ({unit}): computed from the cells / stated in the Total row"),
    "differs": ("← diffère", "← differs"),
    "by_party": ("Totaux par partie ({unit} ; services de l'État regroupés avec l'État)",
                 "Totals by party ({unit}; State services rolled up to the State)"),
    "co_financer": ("cofinanceur", "co-financer"),
    "not_a_party": ("hors parties", "not a party"),
    "by_axis": ("Totaux par axe ({unit})", "Totals by axis ({unit})"),
    # a plan of no line has nothing to break down: its section says so rather than stay empty
    "by_axis_none": ("aucune ligne : rien à répartir par axe",
                     "no line: nothing to break down by axis"),
    # the legend of the dash a share of a zero total prints (no share of nothing)
    "share_of_zero_legend": ("— en part : le total du plan est nul",
                             "— as a share: the plan's total is zero"),
    # the legend of the dash the stated column (« indiqués ») prints for a funder whose Total
    # row gives no figure to compare: no Total row, or its cell blank or unreadable
    "stated_none_legend": ("— en indiqué : pas de total lisible dans la ligne Total (absente, "
                           "vide ou illisible)",
                           "— as stated: no readable total in the Total row (none, blank or "
                           "unreadable)"),
    # under a table whose shares, each rounded on its own (equal amounts, equal shares), do
    # not add up to exactly 100 %: the committee otherwise looks for the missing tenth
    # (100 % as every percentage of the language prints it: a narrow no-break space in French)
    "shares_rounded_alone": ("Parts arrondies une à une : leur somme peut différer de 100\u202f%.",
                             "Shares rounded one by one: they may not add up to 100%."),
    "findings": ("Constats : {errors}, {warnings}, {suggestions}",
                 "Findings: {errors}, {warnings}, {suggestions}"),
    "no_finding": ("aucun : tous les totaux sont cohérents", "none: every total holds"),
    # a plan whose table is a header and no line: no total to hold, and no figure either
    "plan_empty": ("le plan est vide : un en-tête sans aucune ligne",
                   "the plan is empty: a header and no line"),
    "pivot_empty": ("aucun enregistrement à croiser", "no record to pivot"),
    "place": ("ligne {line}, colonne {column}", "line {line}, column {column}"),
    # a plan's table
    "plan": ("Plan {year}", "Plan {year}"),
    "pivot": ("Tableau croisé — {rows} × {columns}", "Pivot — {rows} × {columns}"),
    "margins": ("sous-totaux à chaque niveau", "subtotals at every level"),
    "amounts_in": ("montants en {unit}", "amounts in {unit}"),
    "in_unit": ("en {unit}", "in {unit}"),
    "cells": ("(cellules)", "(cells)"),
    # a plan's size, each count said by Language.counted: "1 ligne × 200 financeurs"
    "plan_size": ("{lines} × {funders}", "{lines} x {funders}"),
    "size_lines": ("{count} lignes", "{count} lines"),
    "size_lines_one": ("{count} ligne", "{count} line"),
    "size_funders": ("{count} financeurs", "{count} funders"),
    "size_funders_one": ("{count} financeur", "{count} funder"),
    # a table shown in part: what is left out, and that its sums count it all the same
    "hidden_lines": ("{count} lignes", "{count} lines"),
    "hidden_lines_one": ("{count} ligne", "{count} line"),
    "hidden_funders": ("{count} financeurs", "{count} funders"),
    "hidden_funders_one": ("{count} financeur", "{count} funder"),
    "hidden_columns": ("{count} colonnes", "{count} columns"),
    "hidden_columns_one": ("{count} colonne", "{count} column"),
    "ledger_hidden_columns": ("{count} colonnes non affichées (…)", "{count} columns not shown (…)"),
    "ledger_hidden_columns_one": ("{count} colonne non affichée (…)", "{count} column not shown (…)"),
    "and": ("et", "and"),
    "no_axis": ("hors axe", "under no axis"),
    "hidden_note": ("non affichés (…) : {what} ; les sous-totaux et totaux comptent tout le tableau",
                    "not shown (…): {what}; subtotals and totals count the whole table"),
    "more_findings": ("… et {count} autres constats", "… {count} more findings"),
    "more_findings_one": ("… et {count} autre constat", "… {count} more finding"),
    # an SCDL report's findings past max_findings of their code: counted, not listed
    "not_kept_findings": ("{count} constats comptés mais non gardés (max_findings={limit} par "
                          "code)", "{count} findings counted but not kept (max_findings={limit} "
                          "per code)"),
    "not_kept_findings_one": ("{count} constat compté mais non gardé (max_findings={limit} par "
                              "code)", "{count} finding counted but not kept (max_findings="
                              "{limit} per code)"),
    "subtotal": ("sous-total", "subtotal"),
    "total_stated": ("Total (indiqué)", "Total (stated)"),
    "total_cells": ("Total (cellules)", "Total (cells)"),
    "legend_wrong": ("! un chiffre faux ou illisible", "! a figure that is wrong or unreadable"),
    "legend_fix": ("* la correction probable (voir les constats)", "* the likely fix (see findings)"),
    "consistent": ("totaux cohérents", "totals consistent"),
    "totals_unchecked": ("totaux non vérifiés : leurs sommes dépassent les montants que "
                         "compte essconv ({limit})",
                         "totals not checked: their sums pass the amounts essconv counts "
                         "({limit})"),
    # a plan stating no Total row, column or grand total: nothing checks its cells
    "totals_unstated": ("totaux non vérifiés : le tableau n'indique aucun total",
                        "totals not checked: the table states no total"),
    "inconsistencies": ("incohérences : {count}", "inconsistencies: {count}"),
    "axis": ("Axe", "Axis"),
    "line": ("Ligne", "Line"),
    "cells_give": ("les cellules donnent {amount}", "cells give {amount}"),
    "printed": ("imprimé {amount}", "printed {amount}"),
    "move_to": ("à déplacer sous {funder}", "move to {funder}"),
    "no_finding_html": ("Aucun constat : tous les totaux sont cohérents.",
                        "No finding: every total holds."),
    # the dashboard
    "dashboard": ("tableau de bord", "dashboard"),
    "dashboard_term": ("{territory} — du {start} au {end}", "{territory} — {start} to {end}"),
    "dashboard_signed": (", signée à {at} le {on}", ", signed at {at} on {on}"),
    "dashboard_signed_on": (", signée le {on}", ", signed on {on}"),
    "at_a_glance": ("La convention en un coup d'œil", "The convention at a glance"),
    "signatories": ("Signataires", "Signatories"),
    "axes_short": ("Axes", "Axes"),
    "governance_short": ("Gouvernance", "Governance"),
    "key_figures": ("Chiffres clés", "Key figures"),
    "key_figures_line": ("Chiffres clés{where} : {establishments} établissements, {jobs} emplois "
                         "en {year}",
                         "Key figures{where}: {establishments} establishments, {jobs} jobs in {year}"),
    "meetings_from": ("Réunions dues à compter du {day} (les instances existent depuis la signature ; "
                      "la convention court depuis le {start})",
                      "Meetings owed from {day} (the bodies exist from the signature; the term starts "
                      "{start})"),
    "meetings_from_signed": ("Réunions dues à compter du {day} : les instances sont créées par la "
                             "convention signée ce jour-là ; la convention court depuis le {start}, "
                             "mais aucune réunion n'est due avant.",
                             "Meetings owed from {day}: the bodies are created by the convention "
                             "signed that day; the term runs from {start}, but no meeting is owed "
                             "before."),
    "meetings_from_day": ("Réunions dues à compter du {day}.", "Meetings owed from {day}."),
    "instrument_funders": ("Financeurs des dispositifs : selon le texte / selon les plans",
                           "Instruments' funders: as the text says / as the plans show"),
    "text_names_none": ("(le texte n'en nomme aucun)", "(the text names none)"),
    "no_plan_line": ("(aucune ligne de plan)", "(no plan line)"),
    "document_faults": ("Défauts du texte lui-même : {errors}, {warnings}",
                        "The document's own faults: {errors}, {warnings}"),
    "document_faults_heading": ("Défauts du texte", "The document's own faults"),
    "document_no_fault": ("Aucun : le texte est cohérent avec lui-même.",
                          "None: the text agrees with itself."),
    "probably": ("probablement {code}, signataire sans colonne",
                 "probably {code}, a signatory without a column"),
    "key_figures_text": ("{establishments} établissements ({establishments_share}), {jobs} emplois "
                         "en {year} ({jobs_share})",
                         "{establishments} establishments ({establishments_share}), {jobs} jobs "
                         "in {year} ({jobs_share})"),
    "chart_by_axis": ("{plan} : contribution de chaque financeur par axe ({unit})",
                      "{plan}: each funder's contribution by axis ({unit})"),
    "chart_years": ("Plans de financement sur la durée de la convention, par partie ({unit})",
                    "Financing plans across the term, by party ({unit})"),
    "no_plan": ("{year} (pas de plan)", "{year} (no plan)"),
    "across_the_term": ("Sur la durée de la convention", "Across the term"),
    "execution": ("Exécution {year}", "Execution {year}"),
    "chart_execution": ("Prévu et versé {year}, par {dim} ({unit})",
                        "Planned versus paid {year}, by {dim} ({unit})"),
    "planned": ("prévu", "planned"),
    "execution_table": ("Exécution {year} (€) : prévu / versé / taux", "Execution {year} (€): planned / paid / rate"),
    "by_dim": ("par {dim} :", "by {dim}:"),
    "execution_by": ("Exécution {year} par {dim} (€)", "Execution {year} by {dim} (€)"),
    # what a table by party or axis cannot place (a party's records on no line of the plan):
    # its own row, so that the rows add up to the Total row below them.  Said as what it is:
    # "sans axe" beside "hors axe" (the plan's lines printed under no axis) read as one thing
    "exec_unplaced": ("sur aucune ligne du plan", "on no line of the plan"),
    # a rate with nothing planned (undefined: never blank, 0 % or 100 %), and its legend
    "rate_undefined": ("n.d.", "n/a"),
    "rate_undefined_legend": ("n.d. : taux non défini, rien n'était prévu",
                              "n/a: rate undefined, nothing was planned"),
    "rate_undefined_long": ("taux non défini, rien de prévu", "rate undefined, nothing planned"),
    # a rate against a negative planned amount (a reimbursement expected): no verdict
    "rate_not_significant": ("n.s.", "n.s."),
    "rate_not_significant_legend": ("n.s. : non significatif, le prévu est négatif",
                                    "n.s.: not significant, the planned amount is negative"),
    "rate_not_significant_long": ("taux non significatif, prévu négatif",
                                  "rate not significant, planned negative"),
    # paid and rates by line and axis when no column of the ledger places the records on lines
    "not_computed": ("non calculé", "not computed"),
    "paid_not_computed": ("versé non calculé", "paid not computed"),
    "exec_no_line_column": ("Aucune colonne du registre ne place les versements sur les lignes du "
                            "plan (colonne {column} absente) : versé et taux par ligne et par axe "
                            "non calculés ; par financeur et par partie, ils le sont.",
                            "No column of the ledger places the payments on the plan's lines "
                            "(no column {column}): paid and rates by line and by axis are not "
                            "computed; by funder and by party, they are."),
    "exec_no_line_column_asked": ("Aucune colonne du registre ne place les versements sur les "
                                  "lignes du plan (line=None) : versé et taux par ligne et par axe "
                                  "non calculés ; par financeur et par partie, ils le sont.",
                                  "No column of the ledger places the payments on the plan's "
                                  "lines (line=None): paid and rates by line and by axis are not "
                                  "computed; by funder and by party, they are."),
    "why_no-party": ("le financeur ne correspond à aucune partie de la convention",
                     "the funder maps to no party of the convention"),
    "why_no-line": ("l'enregistrement ne correspond à aucune ligne du plan",
                    "the record maps to no line of the plan"),
    "acc_records": ("Enregistrements : {count} ({amount})", "Records: {count} ({amount})"),
    "acc_matched": ("rapprochés du plan : {count} ({amount})", "matched: {count} ({amount})"),
    "acc_matched_party": ("rapprochés d'une partie, sans ligne (aucune colonne de ligne) : "
                          "{count} ({amount})",
                          "matched to a party, on no line (no line column): {count} ({amount})"),
    "acc_outside": ("hors {year} : {count} ({amount})", "outside {year}: {count} ({amount})"),
    "acc_dated": ("datés {years}", "dated {years}"),
    "acc_undated": ("dont {count} sans date", "{count} without a date"),
    "acc_unmapped": ("non rattachés à une partie : {count} ({amount})",
                     "unmapped to a party: {count} ({amount})"),
    "acc_no_line": ("d'une partie, sur aucune ligne du plan : {count} ({amount}) — comptés dans le versé "
                    "de la partie, dans aucune ligne ni aucun axe",
                    "a party's, on no line of the plan: {count} ({amount}) — counted in the party's "
                    "paid amount, in no line or axis"),
    "acc_line_who": ("{who} : {count} enregistrements, {amount}", "{who}: {count} records, {amount}"),
    "acc_line_who_one": ("{who} : {count} enregistrement, {amount}", "{who}: {count} record, {amount}"),
    "acc_plan_column": ("colonne du plan qu'aucune partie ne porte", "a column of the plan that no party bears"),
    "acc_could_be": ("nomme plusieurs parties : {codes} ; dites laquelle avec funders=",
                     "names several parties: {codes}; say which with funders="),
    "acc_probably": ("probablement {code}", "probably {code}"),
    "nm_no_line": ("{count} sont d'une partie mais sur aucune ligne du plan",
                   "{count} are a party's but on no line of the plan"),
    "nm_no_line_one": ("{count} est d'une partie mais sur aucune ligne du plan",
                       "{count} is a party's but on no line of the plan"),
    "acc_set_aside": ("écartés à la lecture (illisibles) : {count}",
                      "set aside by the reader (unreadable): {count}"),
    "acc_who": ("{who} : {count} enregistrements, {amount}", "{who}: {count} records, {amount}"),
    "acc_who_one": ("{who} : {count} enregistrement, {amount}", "{who}: {count} record, {amount}"),
    "acc_more": ("… et {count} autres", "… and {count} more"),
    "acc_more_one": ("… et {count} autre", "… and {count} more"),
    "nothing_matched": ("Aucun enregistrement rapproché du plan {year}", "No record matched the plan of {year}"),
    "nm_outside": ("{count} sont datés hors {year}", "{count} are dated outside {year}"),
    "nm_unmapped": ("{count} viennent d'un financeur qui n'est pas une partie ({who})",
                    "{count} have a funder that is no party of the convention ({who})"),
    "nm_outside_one": ("{count} est daté hors {year}", "{count} is dated outside {year}"),
    "nm_unmapped_one": ("{count} vient d'un financeur qui n'est pas une partie ({who})",
                        "{count} has a funder that is no party of the convention ({who})"),
    "paid": ("versé", "paid"),
    "rate": ("taux", "rate"),
    "dim_party": ("partie", "party"),
    "dim_funder": ("financeur", "funder"),
    "dim_line": ("ligne", "line"),
    "dim_axis": ("axe", "axis"),
    # "ou", not "ni": a party's group on no line of the plan has its funder (and is in its
    # paid amount); "à aucun financeur ni à aucune ligne" said it had neither
    "unmapped": ("{count} groupes d'enregistrements ne correspondent à aucun financeur ou à "
                 "aucune ligne ({amount}) : listés, pas perdus.",
                 "{count} groups of records map to no funder or line ({amount}): listed, "
                 "not lost."),
    "unmapped_one": ("{count} groupe d'enregistrements ne correspond à aucun financeur ou à "
                     "aucune ligne ({amount}) : listé, pas perdu.",
                     "{count} group of records maps to no funder or line ({amount}): listed, "
                     "not lost."),
    "unmapped_more": ("… et {count} autres groupes ({amount})", "… and {count} more groups ({amount})"),
    "unmapped_more_one": ("… et {count} autre groupe ({amount})", "… and {count} more group ({amount})"),
    "records_count": ("{count} enregistrements", "{count} records"),
    "records_count_one": ("{count} enregistrement", "{count} record"),
    # the command line's total under an aggregate, and the rows it set aside
    "cli_total_over": ("total : {total} sur {count} enregistrements",
                       "total: {total} over {count} records"),
    "cli_total_over_one": ("total : {total} sur {count} enregistrement",
                           "total: {total} over {count} record"),
    "cli_set_aside": ("écartées : {count} lignes illisibles (hors des sommes) :",
                      "set aside: {count} rows that could not be read (not in the sums):"),
    "cli_set_aside_one": ("écartée : {count} ligne illisible (hors des sommes) :",
                          "set aside: {count} row that could not be read (not in the sums):"),
    "calendar": ("Calendrier de la gouvernance", "Governance calendar"),
    "year_outside_term": ("{year} est hors de la durée de la convention ({start}–{end}) : aucune "
                          "réunion n'y est due", "{year} is outside the term ({start}–{end}): "
                          "no meeting is due in it"),
    "meetings_not_yet": ("aucune réunion n'est due avant le {day}, quand les instances "
                         "commencent à se réunir", "no meeting is due before {day}, when the "
                         "bodies start meeting"),
    "when": ("Quand", "When"),
    "what": ("Quoi", "What"),
    "meeting_of": ("{body} (réunion {number} sur {count})", "{body} (meeting {number} of {count})"),
    # an aggregate read as a report (display, CSV, xlsx): its caption, columns and merged lines
    "agg_caption": ("{measure} par {dims} : {count} groupes", "{measure} by {dims}: {count} groups"),
    "agg_caption_one": ("{measure} par {dims} : {count} groupe", "{measure} by {dims}: {count} group"),
    "agg_caption_zero": ("{measure} par {dims} : aucun groupe", "{measure} by {dims}: {count} groups"),
    "agg_more": ("… {count} autres groupes", "… {count} more groups"),
    "agg_more_counted": ("… {count} autres groupes, non affichés, comptés dans le total",
                         "… {count} more groups, not shown, counted in the total"),
    "agg_more_one": ("… {count} autre groupe", "… {count} more group"),
    "agg_more_counted_one": ("… {count} autre groupe, non affiché, compté dans le total",
                             "… {count} more group, not shown, counted in the total"),
    "agg_sum": ("montant", "amount"),
    "agg_count": ("nombre", "count"),
    "agg_mean": ("moyenne", "mean"),
    "agg_min": ("minimum", "minimum"),
    "agg_max": ("maximum", "maximum"),
    "agg_share": ("part", "share"),
    "agg_cumulative": ("cumul", "cumulative"),
    "agg_others": ("Autres", "Others"),
    "agg_total": ("Total", "Total"),
    # the same, when a group of the report is itself named "Autres" or "Total"
    "agg_others_of": ("Autres ({groups})", "Others ({groups})"),
    "agg_total_of": ("Total ({groups})", "Total ({groups})"),
    "agg_groups": ("{count} groupes", "{count} groups"),
    "agg_groups_one": ("{count} groupe", "{count} group"),
    "agg_groups_zero": ("aucun groupe", "{count} groups"),
    "agg_one_group": ("1 groupe", "1 group"),
    # groups of probably-same labels (ledger.similar_labels), each count in its number
    "similar_head": ("Libellés de {column} qui désignent probablement une même entité : "
                     "{count} groupes",
                     "{count} groups of labels of {column} that are probably one entity"),
    "similar_head_one": ("Libellés de {column} qui désignent probablement une même entité : "
                         "{count} groupe",
                         "{count} group of labels of {column} that are probably one entity"),
    "similar_head_zero": ("Libellés de {column} qui désignent probablement une même entité : "
                          "aucun groupe",
                          "{count} groups of labels of {column} that are probably one entity"),
    "similar_labels": ("{count} libellés", "{count} labels"),
    "similar_labels_one": ("{count} libellé", "{count} label"),
    # a pivot's Total row and column, when a row or a column beside them is itself "Total"
    "total_of": ("Total ({what})", "Total ({what})"),
    "total_lines": ("{count} lignes", "{count} lines"),
    "total_one_line": ("1 ligne", "1 line"),
    "total_columns": ("{count} colonnes", "{count} columns"),
    "total_one_column": ("1 colonne", "1 column"),
    "agg_blank": ("(vide)", "(blank)"),
    # a missing key, when a label shown is itself "(vide)" ("(blank)")
    "agg_missing_key": ("(clé manquante)", "(missing key)"),
    "agg_sheet": ("Synthèse", "Summary"),
    # a plan written as .xlsx: the findings' sheet and its columns
    "xlsx_findings": ("Constats", "Findings"),
    # the plan's column of notes, after its figures: a header read back as notes again
    "xlsx_notes": ("Remarques", "Remarks"),
    "xlsx_columns": ("gravité|code|ligne|financeur|attendu|constaté|ligne source|colonne source|message",
                     "severity|code|line|funder|expected|actual|source line|source column|message"),
}

# a party's kind as the convention's description spells it (convention.KINDS) -> French
_KINDS_FR = {"state": "État", "state service": "service de l'État", "region": "région",
             "department": "département",
             "public financial institution": "établissement public financier",
             "co-financer": "cofinanceur", "network": "réseau", "other": "autre"}

# severity -> (French singular, French plural, English singular, English plural)
_SEVERITIES = {"error": ("erreur", "erreurs", "error", "errors"),
               "warning": ("avertissement", "avertissements", "warning", "warnings"),
               "info": ("suggestion", "suggestions", "suggestion", "suggestions")}


def sheet_cell(sheet: str, line: int, column: int) -> str:
    """A workbook's cell as Excel's formula bar names it, its sheet first: ``Feuil1!C7``, a
    sheet name that is not one word quoted as Excel quotes it (``'Plan 2010'!C7``, a quote
    doubled).  A workbook holds several sheets, and « C7 » alone left the analyst looking.

    Example: ``sheet_cell("Plan 2010", 7, 3)`` -> ``"'Plan 2010'!C7"``"""
    letters = ""
    n = column
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    name = sheet if re.fullmatch(r"[^\W\d]\w*", sheet) else "'" + sheet.replace("'", "''") + "'"
    return f"{name}!{letters}{line}"


def _listed_problems(error: Any) -> list:
    """A plan's problems to list under its refusal: all but one that only repeats the head."""
    listed = getattr(error, "listed_problems", None)
    return listed() if listed is not None else list(error.problems)


#: the characters of a label a view shows (a table's text, the CLI's terminal table, a
#: report, an HTML cell): a beneficiary's name pasted with its whole address (10 000
#: characters) pushed every figure off the screen.  Views only: the exports, ``to_dict``,
#: Arrow and the files keep every label whole.
VIEW_LABEL_LIMIT = 80


def view_label(label: str, limit: int = VIEW_LABEL_LIMIT) -> str:
    """``label`` as a view shows it: whole up to ``limit`` characters, else its first
    ``limit - 1`` and « … » -- cut between characters, never inside a combining sequence (an
    accent written after its letter, a joined emoji): the letter goes with its marks.  Two
    labels that differ past the cut both end in « … »; an HTML view keeps the whole label in
    the cell's ``title``.

    Example: ``view_label("x" * 100) == "x" * 79 + "…"`` -> ``True``"""
    if len(label) <= limit:
        return label
    cut = limit - 1
    while cut > 0 and (_joins_previous(label[cut]) or label[cut - 1] == "\u200d"):
        cut -= 1
    return label[:cut] + "…"


def indented_view_label(label: str) -> str:
    """A table's label cell as a view shows it: the indent a pivot puts before a line under
    its group ("  Lot") kept, the label after it cut as :func:`view_label` cuts it."""
    label = str(label)
    rest = label.lstrip(" ")
    return label[:len(label) - len(rest)] + view_label(rest)


def _joins_previous(char: str) -> bool:
    """Whether ``char`` belongs with the character before it: a combining mark, a zero-width
    joiner, a variation selector or an emoji skin tone."""
    import unicodedata
    return (unicodedata.category(char) in ("Mn", "Mc", "Me") or char == "\u200d"
            or "\ufe00" <= char <= "\ufe0f" or "\U0001f3fb" <= char <= "\U0001f3ff"
            or "\U000e0100" <= char <= "\U000e01ef")


# what a terminal obeys rather than shows: C0 and C1 controls, DEL, and the bidi embeddings,
# overrides and isolates that reorder what follows them
_TERMINAL_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_SHOWN_CONTROLS = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown(line: str) -> str:
    """One line of a text output (the CLI's listings, the text report, the agenda) as a
    terminal or a plain-text reader shows it: each control character as its escape (\\n,
    \\x1b, \\u202e).  A label's line break split its group, or a milestone, over two lines,
    and an escape sequence in a label ("\\x1b[2J") cleared the screen over the rows above it."""
    return _TERMINAL_CONTROLS.sub(
        lambda m: _SHOWN_CONTROLS.get(m.group(), f"\\x{ord(m.group()):02x}"
                                      if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"),
        line)


# a line break inside a text (a quoted CSV cell "Ligne\nsuite", Alt+Enter in Excel), with the
# spaces and tabs around it: one space, as the plan reader already reads a label typed so
_LINE_BREAK = re.compile(r"[ \t]*[\r\n][\r\n \t]*")


def _cells_shown(message: str, reason: Any) -> str:
    """An English message (the core's words) with the cell its row's ``reason`` quotes shown as
    :meth:`Language.quote` shows it in French: a cell's line break as "\\n", so that the
    message stays one line ("'1\\n2' is not an amount", as « 1\\n2 » in French), where it
    was cut in two at the cell's line break."""
    # a row's reason (kind, column, the cell's text, ...): only its cell, never another text a
    # reason carries (a producer's traceback keeps its lines)
    if not (isinstance(reason, tuple) and len(reason) > 2 and reason[0] in _BAD_ROW_TEXTS):
        return message
    value = reason[2]
    if isinstance(value, str) and _LINE_BREAK.search(value):
        message = message.replace(f"'{value}", f"'{shown(value)}")
    return message


def read_line(line: str) -> str:
    """One line of what a committee reads (the text report, a plan's, a pivot's and an
    execution's text views, the dashboard and every HTML view): a label's line break read as
    one space ("Ligne\nsuite" reads "Ligne suite": its "\n" escape read as a typing error),
    then every other control shown as its escape (:func:`shown`).  A text quoted as a cell's
    or a label's exact content (:meth:`Language.quote`, « … » / '…') keeps its "\n" escape: it
    shows the bytes, in French and in English alike."""
    return shown(_LINE_BREAK.sub(" ", line))


#: a date dimension's name as the API writes it (essconv.conditions): "year(dateConvention)"
_DIMENSION = re.compile(r"\s*(year|quarter|month|period_start|period_end)\((.+)\)\s*")
_DIMENSION_WORDS = {"year": ("année de", "year of"), "quarter": ("trimestre de", "quarter of"),
                    "month": ("mois de", "month of"),
                    "period_start": ("début de période de", "period start of"),
                    "period_end": ("fin de période de", "period end of")}


@dataclass(frozen=True)
class Language:
    """How one output speaks: its words and the way it prints numbers and dates.

    Example: ``language("fr").text("no")`` -> ``'non'``
    """

    code: str
    group: str          # between thousands
    decimal: str        # before the decimals
    unit_space: str     # between an amount and its unit
    percent_space: str  # between a number and %
    colon: str          # after a label, before what it introduces

    def text(self, key: str, **fields: Any) -> str:
        """A phrase of the report or the dashboard: ``language("en").text("no")`` -> ``'no'``;
        a phrase counting one thing takes its singular (``KEY_one``) where there is one: "… 1
        autre groupe", not "… 1 autres groupes"; one counting none its ``KEY_zero`` ("aucun
        groupe", not "0 groupes"), else, in French, its singular ("0 réunion par an")."""
        french, english = _TEXTS[self._counted_key(key, fields.get("count"))]
        return french_spacing(french).format(**fields) if self.code == "fr" else english.format(**fields)

    def _counted_key(self, key: str, count: Any) -> str:
        """The phrase ``key`` takes for ``count`` (see :meth:`text`)."""
        if count == 1 and f"{key}_one" in _TEXTS:
            return f"{key}_one"
        if count == 0 and f"{key}_zero" in _TEXTS:
            return f"{key}_zero"   # French counts none in words: "aucun groupe", not "0 groupes"
        if count == 0 and self.code == "fr" and f"{key}_one" in _TEXTS:
            return f"{key}_one"    # French counts 0 in the singular, as ``count`` does; English "0 groups"
        return key

    def counted(self, key: str, count: int, **fields: Any) -> str:
        """:meth:`text` with its count grouped as this language groups figures, for a count
        that may run to millions: "… 12 345 678 autres groupes" (narrow no-break spaces),
        "… 12,345,678 more groups" -- "12345678" was read digit by digit.

        Example: ``language("en").counted("agg_more", 12345)`` -> ``'… 12,345 more groups'``
        """
        french, english = _TEXTS[self._counted_key(key, count)]
        fields["count"] = self.grouped(count)
        return french_spacing(french).format(**fields) if self.code == "fr" else english.format(**fields)

    def noun(self, count: int, one: str, many: str) -> str:
        """``count`` things in their number, the count grouped: the singular for 1, and for 0 in
        French, which counts none in the singular (``counted`` keeps the same rule):
        ``language("fr").noun(0, "ligne", "lignes")`` -> ``'0 ligne'``, in English ``'0 lines'``."""
        singular = count <= 1 if self.code == "fr" else count == 1
        return f"{self.grouped(count)} {one if singular else many}"

    def grouped(self, count: int) -> str:
        """A count with its thousands grouped: ``language("fr").grouped(12345)`` ->
        ``'12\u202f345'``; ``language("en").grouped(12345)`` -> ``'12,345'``."""
        return f"{count:,}".replace(",", self.group)

    def say(self, french: str, english: str) -> str:
        """One of two wordings, for what a fixed phrase cannot say: ``language("en").say("oui", "yes")``"""
        return french_spacing(french) if self.code == "fr" else english

    def beyond_cents(self, below: bool = False) -> str:
        """A sum past int64 cents as a page shows it in place of its figure, in words and with
        the limit as this language prints amounts: "au-delà de 92 233 720 368 547 758,07 €",
        "beyond 92,233,720,368,547,758.07 €" (a committee read "> int64", the C type's name);
        ``below`` (a :class:`MoneyOverflowError`'s, a sum under the floor): "en deçà de
        -92 233 720 368 547 758,08 €", "below -92,233,720,368,547,758.08 €" (a huge negative
        total read as a huge positive one).

        Example: ``language("en").beyond_cents()`` -> ``'beyond 92,233,720,368,547,758.07\xa0€'``
        """
        if below:
            return (f"en deçà de {INT64_FLOOR_CENTS_FR}{self.unit_space}€" if self.code == "fr"
                    else f"below {INT64_FLOOR_CENTS_EN}{self.unit_space}€")
        return (f"au-delà de {INT64_CENTS_FR}{self.unit_space}€" if self.code == "fr"
                else f"beyond {INT64_CENTS_EN}{self.unit_space}€")

    def past_cents(self, value: str, below: bool = False) -> str:
        """An amount ``value`` past int64 cents, its side and the limit written out, as a reader
        says it of a cell (the core's "does not fit an amount in cents" and the limit every sum
        past them names): "'1E+25' does not fit an amount in cents (beyond
        92,233,720,368,547,758.07 €)", "« -1E+25 » dépasse ce qu'un montant en centimes peut
        tenir (-92 233 720 368 547 758,08 € au moins)" when ``below``.

        Example: ``language("en").past_cents("1E+25")`` -> ``"'1E+25' does not fit an amount in
        cents (beyond 92,233,720,368,547,758.07\xa0€)"``"""
        if self.code == "fr":
            return french_spacing(_PLAN_CELL_FAULTS["too-large"].format(
                value=self.quote(value), limit=_past_cents_limit(below)))
        return f"{value!r} does not fit an amount in cents ({self.beyond_cents(below)})"

    def problem(self, problem: Any) -> str:
        """A row set aside, its reason in this language: the reader's ``reason`` worded from
        its kind and values (never from the English message's words); the message itself in
        English, or when the reason is not one of the kinds known (a row set aside by SQL or
        Dask says why in the message alone).

        Example: ``language("fr").problem(ledger.bad_rows[0])`` -> ``"colonne « montant » :
        « 12a » n'est pas un montant"``"""
        reason = getattr(problem, "reason", ())
        if self.code != "en" and reason and reason[0] == "amount-ambiguous":
            # a plan's amount the table leaves undecided ("12.500"), as a reader's refusal
            return self._ambiguous(problem.message, reason) or problem.message
        if self.code != "en" and reason and reason[0] == "xlsx-formula-unsaved-cell":
            # a workbook's formula with no saved value: its sheet!cell and its formula
            return french_spacing(_XLSX_FORMULA_UNSAVED_CELL.format(cell=reason[1],
                                                                    formula=reason[2]))
        if self.code != "en" and reason and reason[0] == "plan-bad-amount":
            return self._plan_cell(reason)
        if self.code != "en" and reason and reason[0] == "plan-typed-cell" and len(reason) > 3:
            # a spreadsheet's date or TRUE/FALSE cell where an amount is expected
            line, _, funder = str(reason[3]).partition("\x1f")
            value = _typed_value(reason[1], reason[2])
            text = _PLAN_TYPED_CELL[reason[1]].format(value=self.quote(self.typed(value)))
            return french_spacing(_PLAN_CELL.format(line=line, funder=funder) + text)
        if self.code != "en" and reason and reason[0] in _PLAN_PROBLEM_SPECIAL:
            return self._plan_special(reason)
        if (self.code != "en" and reason and reason[0] == "plan-tax-mix" and len(reason) > 2
                and reason[1]):
            # a title's basis against a column's: the title's cell named by line and column
            text = _PLAN_TAX_MIX_TITLE.format(line=reason[1], column=reason[2],
                                              text=self.quote(reason[3]),
                                              other=self.quote(reason[4]))
            return french_spacing(text.replace("« ", "«" + NBSP).replace(" »", NBSP + "»"))
        if self.code != "en" and reason and reason[0] == "plan-merged-cell" and len(reason) > 7:
            # an .xlsx amount merged over other cells of the plan (xlsx._merged_amount_problems)
            text = _PLAN_MERGED_CELL.format(ref=reason[5], sheet=self.quote(reason[3]),
                                            value=self.quote(reason[6]), cell=reason[4],
                                            others=reason[7])
            return french_spacing(text.replace("« ", "«" + NBSP).replace(" »", NBSP + "»"))
        if (self.code != "en" and reason and reason[0] == "plan-note-column" and len(reason) > 6
                and reason[6]):
            # a column of notes printing figures: each named by its cell, kept as a note
            figures = list(reason[6])
            cells = ", ".join(f"{self.quote(text[:30])} ({label[:40]}, ligne {line}, colonne "
                              f"{column})" for text, line, column, label in figures[:5])
            more = f" et {len(figures) - 5} autres" if len(figures) > 5 else ""
            one = len(figures) == 1
            text = (_PLAN_PROBLEM_TEXTS["plan-note-column"].format(text=self.quote(reason[3]))
                    + f" ; {cells}{more} "
                    + ("est un nombre : il est gardé comme remarque, hors de toute somme" if one
                       else "sont des nombres : ils sont gardés comme remarques, hors de toute "
                            "somme"))
            return french_spacing(text.replace("« ", "«" + NBSP).replace(" »", NBSP + "»"))
        if self.code != "en" and reason and reason[0] == "plan-unit-again" and len(reason) > 3:
            # a units line under the header printed again, in another unit than the plan's
            # (n); m the line of the cell printing the plan's unit (the header's or the
            # title's), 0 when given or assumed; k (ESS_UNIT_FROM_*) where the unit came from.
            # Named as the core's English names it: the French said nothing when no cell did
            source = reason[5] if len(reason) > 5 else 0
            whence = _PLAN_UNIT_WHENCE.get(source, "")
            if reason[2] and len(reason) > 4 and reason[4]:
                whence = (f"le titre {self.quote(reason[4])}, ligne {reason[2]}"
                          if source == _UNIT_FROM_TITLE
                          else f"{self.quote(reason[4])}, ligne {reason[2]}")
            whence = f" ({whence})" if whence else ""
            text = _PLAN_UNIT_AGAIN.format(text=self.quote(reason[3]),
                                           unit=_UNIT_OF_CENTS.get(reason[1], "€"),
                                           whence=whence)
            return french_spacing(text.replace("« ", "«" + NBSP).replace(" »", NBSP + "»"))
        if self.code != "en" and reason and reason[0] in _PLAN_PROBLEM_TEXTS:
            # a plan's table broken in structure (a ragged row, a second Total row...): the
            # core's kind, numbers and texts (name, n, m, text, other, k)
            n, m, said, other = tuple(reason[1:5]) + (0, 0, "", "")[len(reason[1:5]):]
            text = _PLAN_PROBLEM_TEXTS[reason[0]].format(
                n=n, m=m, text=self.quote(said), other=self.quote(other),
                k=reason[5] if len(reason) > 5 else "",
                instead=f" au lieu de {self.quote(other)}" if other else "",
                s="s" if n > 1 else "", m_plural="ent" if isinstance(m, int) and m > 1 else "e",
                u1=_UNIT_OF_CENTS.get(n, "€"),
                u2=_UNIT_OF_CENTS.get(m, "€"), where="l'en-tête" if n == 1 else "le titre",
                # plan-unit-given: other set when a title above the table is contradicted
                place="le titre au-dessus du tableau" if other else "l'en-tête du tableau",
                of_place="du titre" if other else "de l'en-tête")
            return french_spacing(text.replace("« ", "«" + NBSP).replace(" »", NBSP + "»"))
        if self.code != "en" and reason and reason[0] in _FILE_TEXTS:   # a quote never closed
            return self._file_refused(problem.message, reason) or problem.message
        if self.code == "en" or not reason or reason[0] not in _BAD_ROW_TEXTS:
            return _cells_shown(problem.message, reason)
        kind, column, value, count, expected, amount = reason[:6]
        detail = reason[6] if len(reason) > 6 else ""
        template = _BAD_ROW_TEXTS[kind]
        if detail == "group-after-separator" and count > 3:   # the parser stops at a 4th digit
            detail = "group-too-long"
        if kind == "amount" and detail in _AMOUNT_DETAIL_TEXTS:
            # the parser's finding, as precise as the English message: count is its number,
            # expected its character in the cell
            text = _AMOUNT_DETAIL_TEXTS[detail].format(
                value=self.quote(value), at=expected, n=count,
                char=self.quote(chr(count)) if 0x20 <= count < 0x110000 and chr(count).isprintable()
                else f"U+{count:04X}" + (_DOS_END if count == 0x1A else ""),
                digits="chiffre" if count == 1 else "chiffres",
                unit=_UNIT_OF_DECIMALS.get(count, "€"),
                said="la virgule (decimal=',')" if count == ord(".") else "le point (decimal='.')",
                other="un point" if count == ord(".") else "une virgule",
                currency=self._currency_named(detail, count, value))
        elif kind == "date-order":
            day_first = expected == ord("d")
            text = template.format(value=self.quote(value), said="jour" if day_first else "mois",
                                   other="mois" if day_first else "jour",
                                   code="dmy" if day_first else "mdy")
        elif kind in ("total-sum", "total-sum-below"):
            label = (_BAD_ROW_TEXTS["total-sum-label"].format(value=self.quote(value)) if value
                     else _BAD_ROW_TEXTS["total-sum-no-label"])
            # records: the summaries and sub-totals between are not counted (count, the core's)
            text = template.format(amount=amount, count=count, label=label,
                                   rows="enregistrement" if count == 1 else "enregistrements")
        elif kind in ("total-summary", "total-summary-above"):
            # column, when set: the column left out of the read (dims) that names it
            head = (_BAD_ROW_TEXTS["total-summary-unkept"].format(
                        value=self.quote(value), column=self.quote(column), amount=amount)
                    if value and column
                    else _BAD_ROW_TEXTS["total-summary-named"].format(value=self.quote(value),
                                                                      amount=amount) if value
                    else _BAD_ROW_TEXTS["total-summary-blank"].format(amount=amount))
            text = template.format(head=head, count=count)
        elif kind == "report-total":
            # the amount comes as Decimal text ("303.75"): said as a French page says money
            try:
                said = self.amount(Decimal(amount), "€")
            except ArithmeticError:   # a text the reader could not read as one: as it came
                said = amount
            text = template.format(value=self.quote(value), amount=said)
        elif kind == "field-count":   # "1 champ", "0 champ" (French counts none in the singular)
            text = template.format(fields=self.noun(count, "champ", "champs"), expected=expected)
        elif kind == "amount-too-large":
            # a number past int64 cents: the limit of its side (count, the core's side: negative
            # under the floor), as every sum past them says it -- never "too large" of a
            # negative amount
            text = template.format(value=self.quote(value), limit=_past_cents_limit(count < 0))
        elif kind == "unit-column":   # a row's unit beside the amount's: units as cents
            text = template.format(value=self.quote(value), said=_UNIT_OF_CENTS.get(count, "?"),
                                   read=_UNIT_OF_CENTS.get(expected, "€"),
                                   amount=self.quote(amount),
                                   header=self.quote(
                                       f"{amount} ({_UNIT_OF_CENTS.get(count, '?')})"),
                                   factor=self.number(max(count, expected)
                                                      // max(1, min(count, expected)), ""),
                                   way="petit" if count > expected else "grand")
        elif kind == "header-reordered":   # the amount's column and the name it has there
            text = template.format(column=self.quote(column), value=self.quote(value),
                                   count=count, expected=expected)
        else:
            text = template.format(value=self.quote(value), count=count, expected=expected,
                                   amount=amount)
        more = reason[7] if len(reason) > 7 and kind.startswith("total-") else 0
        if more:   # a refusal stops at the first total row: the others are said, counted
            text += _BAD_ROW_TEXTS["total-more"].format(
                others=self.noun(more, "autre ligne", "autres lignes"))
        if kind == "field-count" and count < expected:   # why a short row is, and the remedy
            if SHORT_ROW_HINT in problem.message:
                text += _BAD_ROW_TEXTS["field-count-short"]
            elif SCDL_SHORT_ROW_HINT in problem.message:
                text += _BAD_ROW_TEXTS["field-count-short-scdl"]
        if kind.startswith("total-") and expected:   # not placed by a line: its rank says
            text = _BAD_ROW_TEXTS["record-rank"].format(rank=expected) + text
        elif column and len(reason) > 8 and reason[8]:
            # converted outside a file (from_columns): no line, so its column and its row, as
            # the English "the amount column 'm', row 1:" says them
            text = (_AMBIGUOUS_COLUMN.format(column=self.quote(column))
                    + _AMBIGUOUS_ROW.format(row=reason[8]) + " : " + text)
        elif column and kind not in ("header-repeated", "header-reordered", "total-summary",
                                     "total-summary-above"):
            # the whole row (a summary's head names its column already: said once)
            text = _BAD_ROW_TEXTS["in-column"].format(column=self.quote(column)) + text
        return french_spacing(text)

    def _plan_cell(self, reason: tuple) -> str:
        """A plan's unreadable cell in French: its line and funder, then what is wrong with its
        text, worded as a ledger's unreadable amount."""
        detail, count, value, where, at = (tuple(reason[1:6]) + ("", 0, "", "", 0)[
            len(reason[1:6]):])
        line, _, funder = where.partition("\x1f")
        return french_spacing(_PLAN_CELL.format(line=line, funder=funder)
                              + self._amount_fault(detail, count, value, at))

    def _amount_fault(self, detail: str, count: int, value: str, at: int) -> str:
        """What the amount parser found wrong in ``value``, in French ("« 1 2008 » n'est pas un
        montant : un groupe de plus de trois chiffres après un séparateur de milliers
        (caractère 3)"): its detail, number and character, as the core gives them."""
        if detail == "group-after-separator" and count > 3:   # the parser stops at a 4th digit
            detail = "group-too-long"
        template = _AMOUNT_DETAIL_TEXTS.get(detail) or _PLAN_CELL_FAULTS.get(
            detail, _PLAN_CELL_FAULTS[""])
        return template.format(
            value=self.quote(value), at=at, n=count, limit=_past_cents_limit(count < 0),
            char=self.quote(chr(count)) if 0x20 <= count < 0x110000 and chr(count).isprintable()
            else f"U+{count:04X}",
            digits="chiffre" if count == 1 else "chiffres",
            unit=_UNIT_OF_DECIMALS.get(count, "€"),
            said="la virgule (decimal=',')" if count == ord(".") else "le point (decimal='.')",
            other="un point" if count == ord(".") else "une virgule",
            currency=self._currency_named(detail, count, value))

    def _currency_named(self, detail: str, count: int, value: str) -> str:
        """The currency an amount cell names, quoted and followed by a comma ("« USD », "), as
        the English message names it; "" for another detail.  The core gives its length in
        characters, negative when it comes before the number: taken from the cell's start or
        end, the cell trimmed, so spaces before it never shift which currency is said."""
        if detail != "currency" or not count or not isinstance(value, str):
            return ""
        text = value.strip(" \t\u00a0\u202f\u2009\u2007")   # the spaces the core trims (text.c)
        named = text[:-count] if count < 0 else text[-count:]
        return f"{self.quote(named)}, " if named.strip() else ""

    def _plan_special(self, reason: tuple) -> str:
        """A plan's problem in French whose text packs several values ('\x1f' between them): a
        note's mark in a cell (its line and funder), an axis row's sub-total that differs from
        its lines (the figure, its column, the lines' sum, a heading or not)."""
        name, n, m, said, other = tuple(reason[:5]) + (0, 0, "", "")[len(reason[1:5]):]
        parts = other.split("\x1f")
        if name == "plan-cell-unit":
            # the cell's line, funder and the cents read, joined by '\x1f' (plan.c)
            line, funder, cents = (parts + ["", "", "0"])[:3]
            unit = _UNIT_OF_CENTS.get(m, "€")
            read = self.amount(Decimal(int(cents or 0)) / Decimal(m), unit) if m else cents
            text = _PLAN_PROBLEM_SPECIAL[name][0].format(
                line=line, funder=funder, value=self.quote(said), read=read,
                u1=_UNIT_OF_CENTS.get(n, "€"), u2=unit)
        elif name == "plan-note-mark-cell":
            line, _, funder = other.partition("\x1f")
            text = _PLAN_PROBLEM_SPECIAL[name][bool(m)].format(
                line=line, funder=funder, value=self.quote(said), n=n)
        else:   # plan-subtotal-mismatch
            printed, column, total, heading = (parts + ["", "", "", "0"])[:4]
            span = (f"sa ligne (ligne {n}) donne" if n == m
                    else f"ses lignes (lignes {n} à {m}) donnent")
            # the lines' sum past int64 cents is its side alone ("+", "-"): said past the
            # limit on that side, a huge negative sum never read as a huge positive one
            total = (self.beyond_cents(below=total == "-") if total in ("", "+", "-")
                     else total.replace(" ", NNBSP))
            text = _PLAN_PROBLEM_SPECIAL[name][heading == "1"].format(
                text=self.quote(said), printed=self.quote(printed), column=self.quote(column),
                span=span, total=total)
        return french_spacing(text.replace("« ", "«" + NBSP).replace(" »", NBSP + "»"))

    def refusal(self, error: Any) -> str:
        """An error as ``str(error)`` prints it (``file:line:column: message``), its message
        worded in this language when its ``reason`` is one of the kinds known (an amount such
        as "12.500" the column leaves undecided); the English message otherwise.

        Example: ``language("fr").refusal(exc)`` -> ``"l.csv:2:3: le montant « 12.500 » peut
        valoir 12 500 ou 12,5, et aucun autre montant ne dit lequel ; ..."``"""
        reason = getattr(error, "reason", ())
        message = Exception.__str__(error)
        if self.code == "en":
            return _cells_shown(str(error), reason)
        place = error.where() if hasattr(error, "where") else ""
        if (reason and (reason[0] in _PLAN_PROBLEM_TEXTS or reason[0] == "plan-unit-again")
                and hasattr(error, "problems")):
            # a plan refused for one problem the core stops at (two units in the header): its
            # words, then the problem listed, as str(error) prints it
            head = self.problem(error)
            where = error.path or "<table>"
            lines = [f"{place}: {head}" if place else head]
            lines += [f"  {where}:{p.line}:{p.column}: {self.problem(p)}"
                      for p in _listed_problems(error)]
            return "\n".join(lines)
        if reason and reason[0] == "xlsx-formula-unsaved" and hasattr(error, "problems"):
            # a workbook's formulas with no value saved beside them: the head and each cell
            # (sheet!cell, its formula) in this language -- it was English under French
            head = french_spacing(_XLSX_FORMULA_UNSAVED.format(
                cells=", ".join(reason[2]), sheet=self.quote(reason[1]),
                s="s" if len(reason[2]) > 1 else "",
                their="leurs" if len(reason[2]) > 1 else "sa",
                be="soient" if len(reason[2]) > 1 else "soit"))
            where = error.path or "<table>"
            lines = [f"{place}: {head}" if place else head]
            lines += [f"  {where}:{p.line}:{p.column}: {self.problem(p)}"
                      for p in _listed_problems(error)]
            return "\n".join(lines)
        if reason and reason[0] == "plan-broken" and hasattr(error, "problems"):
            # a plan's table broken in structure: the head and each problem in this language
            count = reason[1] if len(reason) > 1 else len(error.problems)
            head = _PLAN_BROKEN.format(count=count, s="s" if count > 1 else "")
            where = error.path or "<table>"
            lines = [f"{place}: {head}" if place else head]
            lines += [f"  {where}:{p.line}:{p.column}: {self.problem(p)}"
                      for p in _listed_problems(error)]
            return "\n".join(lines)
        if getattr(error, "key", ""):   # a description's: the TOML key path after the place
            place = f"{place} [{error.key}]" if place else f"[{error.key}]"
        text = (self._refused_row(message, reason)
                if reason and reason[0] in _BAD_ROW_TEXTS and len(reason) >= 6
                else self._description(reason) if reason and reason[0] in _DESCRIPTION_TEXTS
                else self._no_column(message, reason) if reason and reason[0] == "no-column"
                else self._aggregate_refusal(reason) if reason and reason[0] in (
                    "no-order", "no-measure", "share-of-zero")
                else self._date_key(message, reason) if reason and reason[0] == "date-key"
                else self._date_range(message, reason) if reason and reason[0] == "date-range"
                else self._overflow(message, reason, getattr(error, "below", False))
                if reason and reason[0] == "overflow"
                else self._argument(reason) if reason and reason[0] in _ARGUMENT_TEXTS
                else self._producer_failed(reason) if reason and reason[0] == "producer-failed"
                else self._file_refused(message, reason) if reason and reason[0] in _FILE_TEXTS
                else self._ambiguous(message, reason) if reason else None)
        if text is None:
            return str(error)
        return f"{place}: {text}" if place else text

    def _refused_row(self, message: str, reason: tuple) -> str:
        """A row a reader refused (``bad_rows="raise"``) in this language: its reason is the
        one the same row set aside carries, so it is worded as :meth:`problem` words that row
        (the English message read only for the hint it ends with)."""
        from types import SimpleNamespace
        return self.problem(SimpleNamespace(message=message, reason=reason))

    def warning(self, warning: Any, path: "str | None" = None) -> str:
        """A reader's warning as a listing says it: ``file:line:column: what`` (the first place
        it names), worded in this language from its ``reason`` (a file mixing UTF-8 and CP1252,
        over-long rows put back); its English message otherwise.  ``path`` names the file when
        the warning has none (standard input, read as bytes, is ``-``).

        Example: ``language("fr").warning(w.message)`` -> ``"f.csv:3:5 : surtout en UTF-8, mais
        1 octet n'est pas de l'UTF-8 et a été lu en CP1252 : 0xE9 en 3:5 lu « é » ; ..."``"""
        reason = getattr(warning, "reason", ())
        name = getattr(warning, "path", None) or path
        place = ":".join([name or ""] + [str(n) for n in (getattr(warning, "line", 0),
                                                          getattr(warning, "column", 0)) if n])
        text = self._warning_text(reason) if reason else None
        if text is None:   # the message alone says it; "<bytes>" is the file named here
            text = str(warning)
            for unnamed in ("<bytes>: ", "<scdl>: "):
                if text.startswith(unnamed):
                    text = text[len(unnamed):]
            if name and text.startswith(f"{name}: "):
                text = text[len(name) + 2:]
        return f"{place}{self.colon}{text}" if place.strip(":") else text

    def filter_said(self, reason: tuple) -> str:
        """What a filter's NothingMatchedWarning says in this language, from its ``reason``
        (``"filter-no-row-holds"``, ``"filter-empty-set"``): its English message is this
        one's, so that the ledger and a listing cannot word it two ways.

        Example: ``language("en").filter_said(("filter-empty-set", "annee"))`` ->
        ``'annee: an empty set of values selects no row'``"""
        if reason[0] not in ("filter-no-row-holds", "filter-empty-set"):
            raise InvalidValueError(f"no filter's warning has the reason {reason[0]!r}")
        return str(self._warning_text(reason))

    def _warning_text(self, reason: tuple) -> "str | None":
        kind = reason[0]
        if kind in ("mixed-cp1252", "mixed-utf8"):
            count, places = reason[1], reason[2]
            more = count - len(places)
            # counts grouped as this language groups figures ("1 500 octets"), places as written
            counted, more_counted = self.grouped(count), self.grouped(more)
            if kind == "mixed-cp1252":
                shown = ", ".join(self.say(f"0x{b:02X} en {line}:{col} lu {self.quote(_cp1252(b))}",
                                           f"0x{b:02X} at {line}:{col} read as "
                                           f"{_cp1252(b)!r}") for line, col, b in places)
                what = self.say(
                    f"surtout en UTF-8, mais {counted} octet{'s' if count > 1 else ''} "
                    + ("ne sont" if count > 1 else "n'est") + " pas de l'UTF-8 et "
                    f"{'ont été lus' if count > 1 else 'a été lu'} en CP1252",
                    f"mostly UTF-8, but {counted} byte{'s are' if count > 1 else ' is'} not UTF-8 "
                    f"and {'were' if count > 1 else 'was'} read as CP1252")
            else:
                shown = ", ".join(self.say(f"0x{b:02X}… en {line}:{col}",
                                           f"0x{b:02X}... at {line}:{col}")
                                  for line, col, b in places)
                what = self.say(
                    f"surtout en CP1252, mais {counted} séquence{'s' if count > 1 else ''} UTF-8 "
                    f"valide{'s' if count > 1 else ''} {'ont été lues' if count > 1 else 'a été lue'}"
                    f" en UTF-8",
                    f"mostly CP1252, but {counted} valid UTF-8 sequence"
                    f"{'s were' if count > 1 else ' was'} read as UTF-8")
            tail = self.say(f" (et {more_counted} autre{'s' if more > 1 else ''})" if more > 0
                            else "", f" (and {more_counted} more)" if more > 0 else "")
            return what + self.colon + shown + tail + self.say(
                " ; vérifiez ces caractères, ou enregistrez le fichier dans un seul encodage",
                "; check these characters, or save the file in one encoding")
        if kind == "mixed-lines":
            utf8_from, cp1252_from = reason[1], reason[2]
            return self.say(
                f"UTF-8 et CP1252 dans un même fichier : les lignes à partir de la {utf8_from} "
                f"sont en UTF-8, celles à partir de la {cp1252_from} en CP1252 (chaque séquence "
                f"UTF-8 valide est lue en UTF-8, tout autre octet en CP1252) ; vérifiez ces "
                f"lignes, ou enregistrez le fichier dans un seul encodage",
                f"UTF-8 and CP1252 in one file: the lines from {utf8_from} are UTF-8, those from "
                f"{cp1252_from} CP1252 (each valid UTF-8 sequence is read as UTF-8, every other "
                f"byte as CP1252); check these lines, or save the file in one encoding")
        if kind == "half-period":
            count, line, given, text, other = reason[1:6]
            return self.say(
                f"{self.grouped(count)} enregistrement{'s' if count > 1 else ''} "
                f"{'donnent' if count > 1 else 'donne'} une seule borne de la période de "
                f"versement (le premier : ligne {line}, {given} = {self.quote(text)}, {other} "
                f"vide) : une date seule est un jour de versement, ce qu'elle n'est pas ici, "
                f"donc leur datesPeriodeVersement est laissée manquante ; donnez les deux bornes",
                f"{self.grouped(count)} {'record gives' if count == 1 else 'records give'} one "
                f"end of the payment period alone "
                f"(first: line {line}, {given} = {text!r}, {other} blank): a date alone is one "
                f"payment day, which these are not, so their datesPeriodeVersement is left "
                f"missing; give both ends")
        if kind == "filter-empty-set":   # Ledger.filter(col=[]): no value asked for
            ranged = reason[2:3] == ("range",)   # col=range(0): a range, said so
            return reason[1] + self.colon + self.say(
                f"un {'intervalle' if ranged else 'ensemble'} vide de valeurs ne retient aucun "
                f"enregistrement", f"an empty {'range' if ranged else 'set'} of values selects "
                f"no row")
        if kind == "filter-no-row-holds":
            # a filter's int, date or amount no row holds (Ledger.filter): its bounds and the
            # column's range in this language's figures and dates
            column, lo, hi, held = reason[1:5]

            def value(v: Any) -> str:
                if isinstance(v, Decimal):
                    return self.amount(v, "€")
                return self.typed(v)
            if lo is not None and lo == hi:
                bounds = self.say(f"ne porte {value(lo)}", f"holds {value(lo)}")
            elif lo is not None and hi is not None:
                bounds = self.say(f"n'a de valeur de {value(lo)} à {value(hi)}",
                                  f"holds a value from {value(lo)} to {value(hi)}")
            elif lo is not None:
                bounds = self.say(f"n'a de valeur à partir de {value(lo)}",
                                  f"holds a value from {value(lo)} on")
            else:
                bounds = self.say(f"n'a de valeur jusqu'à {value(hi)}",
                                  f"holds a value up to {value(hi)}")
            shown = (self.say("la colonne n'a aucune valeur", "the column holds no value")
                     if held is None else
                     # one value is said as one: "2009–2009" read as a range typed twice
                     self.say(f"la colonne ne porte que {value(held[0])}",
                              f"the column holds only {value(held[0])}")
                     if held[0] == held[1] else
                     self.say(f"la colonne va de {value(held[0])} à {value(held[1])}",
                              f"the column holds {value(held[0])}–{value(held[1])}"))
            return column + self.colon + self.say(
                f"aucun enregistrement {bounds} ({shown}) ; ce test ne retient aucun "
                f"enregistrement", f"no row {bounds} ({shown}); it selects no row")
        if kind == "short-rows-blank":
            english, french = short_rows_blank_said(*reason[1:3])
            return self.say(french, english)
        if kind == "blank-past-header":
            english, french = blank_past_header_said(*reason[1:4])
            return self.say(french, english)
        if kind == "short-rows":
            count, line, columns = reason[1:4]
            english, french = short_rows_said(count, line, list(columns))
            return self.say(french, english)
        if kind == "repaired-rows":
            count, width, delim, line, column, cells = reason[1:7]
            joined, listed = delim.join(cells), ", ".join(self.quote(c) for c in cells)
            return self.say(
                f"{self.grouped(count)} ligne{'s' if count > 1 else ''} "
                f"{'avaient' if count > 1 else 'avait'} "
                f"plus de cellules que les {width} de l'en-tête : le séparateur "
                f"{self.quote(delim)} apparaît sans guillemets dans des valeurs, et chacune de ces "
                f"lignes ne s'accorde à l'en-tête que d'une seule façon : leurs cellules ont été "
                f"remises en place (la première : ligne {line}, colonne {column} = "
                f"{self.quote(joined)}, des cellules {listed}) ; mettez les cellules entre "
                f"guillemets ou publiez le fichier avec « ; »",
                f"{self.grouped(count)} {'row' if count == 1 else 'rows'} had more cells than "
                f"the header's {width}: the "
                f"delimiter {delim!r} appears unquoted inside values, and each such row fits the header one "
                f"way alone, so their cells were put back (first: line {line}, column {column} = "
                f"{joined!r} from the cells {', '.join(map(repr, cells))}); quote the cells or use "
                f"';' to publish it cleanly")
        return None

    def os_refusal(self, error: OSError) -> str:
        """A file the system would not give, as a listing names it in this language: ``p.csv :
        fichier ou dossier introuvable`` / ``p.csv: No such file or directory`` (Python's own
        words, ``[Errno 2] No such file or directory: 'p.csv'``, were English in French).

        Example: ``language("fr").os_refusal(FileNotFoundError(2, "No such file", "p.csv"))``
        -> ``'p.csv\xa0: fichier ou dossier introuvable'``"""
        said = _OS_ERRORS.get(error.errno or 0)
        if self.code == "en":   # the system's own words ("No such file or directory")
            what = error.strerror or str(error)
        else:
            what = said or f"lecture ou écriture impossible ({error.strerror or error})"
        if error.filename is None:
            return what
        return f"{error.filename}{self.colon}{what}"

    def _description(self, reason: tuple) -> str:
        """The French wording of a convention description refused (``reason`` a kind of
        ``_DESCRIPTION_TEXTS`` and its values: description.py's refusals), the key path being
        the error's ``key``."""
        kind, values = reason[0], tuple(reason[1:])
        if kind == "desc-type":
            expected, found, value = (values + ("", "", ""))[:3]
            said = _DESCRIPTION_EXPECTED.get(expected)
            if said is None and expected.startswith("an array of tables"):
                said = "un tableau de tables " + expected[len("an array of tables"):].strip()
            text = _DESCRIPTION_TEXTS[kind].format(
                expected=said or expected, found=_TOML_TYPES_FR.get(found, found), value=value)
        elif kind == "desc-unknown-key":
            key, table, near, asked = (values + ("", "", "", ()))[:4]
            text = _DESCRIPTION_TEXTS[kind].format(
                key=self.quote(key), table=f"[{table}]" if table else "le premier niveau")
            if near:
                text += f" : vouliez-vous dire {self.quote(near)} ?"
            elif asked:
                text += " : les clés connues à cet endroit sont " + ", ".join(asked)
        elif kind == "desc-not-one-of":
            text = _DESCRIPTION_TEXTS[kind].format(value=self.quote(values[0]),
                                                   choices=", ".join(values[1]))
        elif kind == "desc-not-utf8":
            ansi = values[1] if len(values) > 1 else ""
            text = _DESCRIPTION_TEXTS[kind].format(
                byte=f"0x{values[0]:02X}",
                ansi=f"{self.quote(ansi)} en CP1252, l'ANSI de Windows ; " if ansi else "")
        elif kind in ("desc-not-party", "desc-code-twice"):
            text = _DESCRIPTION_TEXTS[kind].format(code=self.quote(values[0]))
            if kind == "desc-code-twice" and len(values) > 2:   # the entry that has it
                text += (f" (parties[{values[2]}] l'a)" if values[1] == values[0] else
                         f" (parties[{values[2]}] a {self.quote(values[1])} : les codes se "
                         f"comparent sans la casse, les espaces, les tirets, les points ni "
                         f"les soulignés)")
        elif kind == "desc-parent-not-before":
            text = _DESCRIPTION_TEXTS[kind].format(parent=self.quote(values[0]),
                                                   code=self.quote(values[1]))
        elif kind == "desc-alias-taken":
            alias, code, is_code, owner = values[:4]
            text = _DESCRIPTION_TEXTS[kind].format(
                alias=self.quote(alias), code=self.quote(code), owner=self.quote(owner),
                what="le code" if is_code else "un alias")
        elif kind == "desc-too-deep":
            text = ("des valeurs imbriquées sur plus de 100 niveaux"
                    + (f" (depuis la ligne {values[0]})" if values and values[0] else "")
                    + " : une description n'est pas si profonde")
        elif kind == "desc-missing":
            text = _DESCRIPTION_TEXTS[kind].format(key=self.quote(values[0]))
        elif kind == "desc-blank":
            text = {"title": "le titre", "territory": "le territoire", "short_name": "le nom court",
                    "label": "l'intitulé", "text": "le texte"}.get(values[0], "le nom")
            text += f" ({values[0]}) est vide"
        elif kind == "desc-plan-file-missing":
            text = _DESCRIPTION_TEXTS[kind].format(file=self.quote(values[0]))
        elif kind == "desc-term-backwards":
            text = _DESCRIPTION_TEXTS[kind].format(end=self.date(values[0]),
                                                   start=self.date(values[1]))
        elif kind == "desc-key-twice":   # a key given twice in one table
            key, table, first = values[:3]
            text = _DESCRIPTION_TEXTS[kind].format(key=self.quote(key), first=first,
                                                   table=table or "le premier niveau")
        elif kind == "desc-amount-number":
            found, value, key, written = values[:4]
            text = _DESCRIPTION_TEXTS[kind].format(_TOML_TYPES_FR.get(found, found), value, key,
                                                   written)
        elif kind == "desc-integer-written":   # "2015" or 2015.0 where an integer is expected
            found, value, written = (values + ("", "", ""))[:3]
            text = _DESCRIPTION_TEXTS[kind].format(found=_TOML_TYPES_FR.get(found, found),
                                                   value=value, written=written)
        elif kind == "desc-one-string":   # one string where an array is expected
            expected, value, written = values[:3]
            text = _DESCRIPTION_TEXTS[kind].format(
                expected=_DESCRIPTION_EXPECTED.get(expected, expected), value=value,
                written=written)
        elif kind == "desc-toml":
            text = _DESCRIPTION_TEXTS[kind].format(said=self.quote(values[0]))
            if len(values) > 2:   # what to write, for a common mistake (description._toml_hint)
                written = values[2].rsplit("write ", 1)[-1] if "write " in values[2] else ""
                text += " : " + _TOML_HINTS[values[1]].format(written=written)
        elif kind == "desc-not-body":
            text = _DESCRIPTION_TEXTS[kind].format(self.quote(values[0]))
            if len(values) > 1 and values[1]:
                text += f" : vouliez-vous dire {self.quote(values[1])} ?"
        elif kind in ("desc-until-before", "desc-precision-first", "desc-meetings-from"):
            text = _DESCRIPTION_TEXTS[kind].format(
                *(self.date(v) if isinstance(v, _dt.date) else v for v in values))
        elif kind == "desc-source-keys":   # its count: the keys listed, or as the reader gives it
            count = values[1] if len(values) > 1 else len(str(values[0]).split(", "))
            text = _DESCRIPTION_TEXTS[kind].format(
                values[0], keys="clé inconnue" if count <= 1 else "clés inconnues")
        elif kind == "desc-english-count":   # said in its number: "1 élément", "3 éléments"
            text = _DESCRIPTION_TEXTS[kind].format(
                *values, items=f"{values[1]} élément" + ("s" if values[1] > 1 else ""))
        elif kind in ("desc-two-plans", "desc-plan-source"):
            text = _DESCRIPTION_TEXTS[kind].format(year=values[0] if values else "")
        else:   # the values in order, as the template places them
            text = _DESCRIPTION_TEXTS[kind].format(*values)
        return french_spacing(text)

    def _aggregate_refusal(self, reason: tuple) -> str:
        """The French wording of an aggregate's report refused: ordered by a column its groups
        do not have (``("no-order", name, columns)``; "montant", the heading of the sums, is
        ``sum``), shown as a measure it does not hold (``("no-measure", name, measures)``), or
        shares of groups adding up to zero (``("share-of-zero",)``)."""
        if reason[0] == "share-of-zero":
            return french_spacing("les groupes totalisent 0 : une part d'un total nul n'a pas "
                                  "de sens")
        asked, names = reason[1], reason[2]
        if reason[0] == "no-measure":   # a mean asked by another name: the one it has said
            mean = ("mean" in names and str(asked).casefold() in ("avg", "average", "moyenne")
                    and f" (la moyenne est {self.quote('mean')})")
            return french_spacing(
                f"la mesure {self.quote(asked)} n'est pas de cet agrégat : il a "
                f"{self.listed([self.quote(n) for n in names])}" + (mean or ""))
        return french_spacing(
            f"impossible de trier par {self.quote(asked)} : les groupes ont "
            f"{self.listed([self.quote(n) for n in names])}"
            + (" (un cumul suit l'ordre des lignes)" if asked == "cumulative" else
               f" (la colonne des montants se trie par {self.quote('sum')})"
               if "sum" in names and asked.casefold() in ("montant", "montants", "amount")
               else ""))

    def _date_key(self, message: str, reason: tuple) -> str | None:
        """The French wording of a date key (``year(COLUMN)``...) a label gives none of
        (``reason`` ``("date-key", why, row)``, why: ``not-a-date``, ``a-period``, ``backward``:
        derive.c's ESS_DERIVE_*), the column and the label taken from the core's message ("row
        3 of 'col': 'label' is ...")."""
        if len(reason) > 1 and reason[1] == "mixed-orders":
            mixed = re.match(r"row \d+ of '(.*?)': '(.*?)' can only be (day|month) first, and "
                             r"'(.*?)' \(row (\d+)\)", message, re.S)
            if mixed is None:
                return None
            column, value, kind, other, other_row = mixed.groups()
            return french_spacing(_DATE_KEY_MIXED_ORDERS.format(
                row=reason[2] if len(reason) > 2 else "?", column=self.quote(column),
                value=self.quote(value), other=self.quote(other), other_row=other_row,
                kind="le mois" if kind == "month" else "le jour",
                other_kind="le jour" if kind == "month" else "le mois"))
        said = re.match(r"row \d+ of '(.*?)': (?:the period )?'(.*?)' (?:is neither|is a period|"
                        r"ends before)", message, re.S)
        template = _DATE_KEY_TEXTS.get(reason[1] if len(reason) > 1 else "")
        if said is None or template is None:
            return None
        column, value = said.groups()
        return french_spacing(template.format(row=reason[2] if len(reason) > 2 else "?",
                                              column=self.quote(column), value=self.quote(value)))

    def _date_range(self, message: str, reason: tuple) -> str | None:
        """The French wording of a date column's day outside the years 1 to 9999 refused at
        import (``reason`` ``("date-range", row)``: ledger.c's ESS_DATE_OUT_OF_RANGE), the
        column and the day taken from the core's message."""
        said = re.match(r"the date column '(.*?)', row \d+, holds the day (-?\d+) ", message,
                        re.S)
        if said is None:
            return None
        column, day = said.groups()
        return french_spacing(_DATE_RANGE_TEXT.format(
            column=self.quote(column), row=reason[1] if len(reason) > 1 else "?", day=day))

    def _file_refused(self, message: str, reason: tuple) -> str | None:
        """The French wording of a file a reader refuses whole (``reason`` ``("file-empty",)``,
        ``("column-twice",)``, ``("quote-unclosed",)``: the reader's ESS_FILE_EMPTY,
        ESS_HEADER_TWICE, ESS_QUOTE_UNCLOSED), the column and places taken from its message."""
        if reason[0] == "column-twice":
            said = re.match(r"the column '(.*)' appears twice in the header \(fields (\d+) and "
                            r"(\d+)\)", message, re.S)
            if said is None:
                return None
            column, first, second = said.groups()
            return french_spacing(_FILE_TEXTS["column-twice"].format(
                column=self.quote(column), first=first, second=second))
        if reason[0] == "quote-unclosed":
            said = re.match(r"the quote opened at line (\d+), column (\d+)", message)
            if said is None:
                return None
            return french_spacing(_FILE_TEXTS["quote-unclosed"].format(
                line=said.group(1), column=said.group(2)))
        if reason[0] == "unit-below":   # the column, the cell, both units: the core's words
            said = re.match(r"the amount column '(.*)' has its unit \('(.*)'\) on the line under "
                            r"it: .* read as (\S+), not (\S+); say the unit in the header "
                            r"\('(.*)'\)$", message, re.S)
            if said is None:
                return None
            column, cell, read, unit, header = said.groups()
            text = _FILE_TEXTS["unit-below"].format(
                column=self.quote(column), cell=self.quote(cell), read=read, unit=unit,
                header=self.quote(header))
            return french_spacing(text.replace("« ", "«" + NBSP).replace(" »", NBSP + "»"))
        if reason[0] in _AMOUNT_HEADER_WORDS:
            # the column's name may hold quotes: the word (a unit, a currency) is the last
            # quoted text, in brackets
            said = re.match(_AMOUNT_HEADER_WORDS[reason[0]], message, re.S)
            if said is None:
                return None
            column, word = said.groups()
            text = _FILE_TEXTS[reason[0]].format(column=self.quote(column), word=self.quote(word))
            return french_spacing(text.replace("« ", "«" + NBSP).replace(" »", NBSP + "»"))
        if reason[0] == "byte-not-text" and len(reason) > 3:   # its value and place carried
            return french_spacing(_FILE_TEXTS["byte-not-text"].format(
                byte=reason[1], line=reason[2], column=reason[3]))
        if reason[0] == "nul-byte" and len(reason) > 2:
            return french_spacing(_FILE_TEXTS["nul-byte"].format(line=reason[1], column=reason[2]))
        if reason[0] == "not-text-file":   # which kind, by name: its own words
            said = _FILE_TEXTS.get(f"not-text-file-{reason[1] if len(reason) > 1 else ''}")
            return french_spacing(said) if said else None
        if reason[0] == "xlsx-unusable" and len(reason) > 2:
            # the exception's name and words are the library's: quoted as they are
            return french_spacing(_FILE_TEXTS["xlsx-unusable"].format(kind=reason[1], why=reason[2]))
        if reason[0] == "no-header-row" and len(reason) > 2:
            # an .xlsx sheet with no header: the sheet read and the workbook's others
            others = list(reason[2])
            return french_spacing(_FILE_TEXTS["no-header-row"] + _NO_HEADER_IN_SHEET.format(
                sheet=self.quote(reason[1]), others=self.listed(map(self.quote, others)),
                first=repr(others[0])))
        return french_spacing(_FILE_TEXTS[reason[0]])

    def _producer_failed(self, reason: tuple) -> str:
        """A data producer failing partway (ProducerError's reason: the batch that failed, None
        when the stream gave no schema, the rows read before it, the producer's own words, quoted
        as they are: they are the producer's, in its language)."""
        batch, rows, said = reason[1:4]
        if batch is None:
            head = self.say("le flux Arrow n'a donné aucun schéma", "the Arrow stream gave no schema")
        else:
            counted = self.grouped(rows)
            head = self.say(
                f"le flux Arrow a échoué au lot {batch} (numéroté à partir de 0), après "
                f"{counted} ligne{'s' if rows > 1 else ''} lue{'s' if rows > 1 else ''}, dont "
                f"aucune n'est gardée",
                f"the Arrow stream failed at batch {batch} (0-based), after {counted} "
                f"row{'s were' if rows != 1 else ' was'} read")
        return f"{head}{self.colon}{said}"   # the producer's words as it said them

    def _argument(self, reason: tuple) -> str:
        """The French wording of an argument refused (``reason`` a kind of ``_ARGUMENT_TEXTS``
        and its values): a date key of a column of no dates, a group by amounts, a value its
        column cannot hold, a year outside the term."""
        kind, values = reason[0], (tuple(reason[1:]) + (None,) * 4)[:4]
        if kind == "not-dates":
            dim, column, held = values[:3]
            text = _ARGUMENT_TEXTS[kind].format(dim=dim, column=self.quote(column),
                                                kinds=_KIND_NAMES_FR.get(held, (held, held))[0])
        elif kind == "group-by-amount":
            text = _ARGUMENT_TEXTS[kind].format(
                column=self.quote(values[0]), columns=", ".join(self.quote(c) for c in values[1]))
        elif kind == "group-key-twice":   # a group-by's key given twice, and its places
            text = _ARGUMENT_TEXTS[kind].format(key=self.quote(values[0]), first=values[1],
                                                second=values[2])
        elif kind == "not-of-kind":
            column, held, value = values[:3]
            plural, one = _KIND_NAMES_FR.get(held, (held, held))
            text = _ARGUMENT_TEXTS[kind].format(column=self.quote(column), kinds=plural,
                                                value=self.quote(value), one=one)
            why = values[3]   # the reader's reason for a date it refuses, as its bad rows say it
            if held == "date" and why in ("date", "date-impossible"):
                text += f" ({_BAD_ROW_TEXTS[why].format(value=self.quote(value))})"
            elif held == "amount" and why in _BAD_ROW_TEXTS:
                # an amount's: what exactly is wrong with it, worded as the reader's bad row
                said = self.problem(_Said(reason[4:]))
                if said:
                    text += f" ({said})"
        elif kind in ("filter-date-year", "filter-date-ambiguous", "filter-date-impossible"):
            column, value, one, other = values
            text = _ARGUMENT_TEXTS[kind].format(column=self.quote(column), value=self.quote(value),
                                                one=one, other=other)
        elif kind == "year-type":
            text = _ARGUMENT_TEXTS[kind].format(argument=values[0], value=values[2])
        elif kind == "year-range":
            text = _ARGUMENT_TEXTS[kind].format(argument=values[0], year=values[1])
        elif kind == "no-plan":
            text = _ARGUMENT_TEXTS[kind].format(year=values[0],
                                                have=", ".join(map(str, values[1])) or "aucun")
        elif kind == "plan-year":
            text = _ARGUMENT_TEXTS[kind].format(year=values[0],
                                                years=", ".join(map(str, values[1])))
        elif kind == "plan-there":
            text = _ARGUMENT_TEXTS[kind].format(
                year=values[0], named=f" ({values[1]})" if values[1] else "")
        elif kind in ("plan-elsewhere", "plan-own-year"):
            text = _ARGUMENT_TEXTS[kind].format(year=values[0], other=values[1])
        elif kind == "plan-dash-group":
            text = _ARGUMENT_TEXTS[kind].format(year=values[0], lines=values[1])
        elif kind == "same-years":
            text = _ARGUMENT_TEXTS[kind].format(year=values[0])
        elif kind == "no-sheet":
            text = _ARGUMENT_TEXTS[kind].format(sheet=self.quote(values[0]),
                                                sheets=self.listed(map(self.quote, values[1])))
        elif kind == "not-scdl":
            required, found, missing = values[:3]
            text = _ARGUMENT_TEXTS[kind].format(
                required=required, count=len(found),
                found=f" ({', '.join(found)})" if found else "", missing=missing)
        else:   # outside-term
            text = _ARGUMENT_TEXTS[kind].format(year=values[0], start=values[1], end=values[2])
        return french_spacing(text)

    def _overflow(self, message: str, reason: tuple, below: bool = False) -> str | None:
        """The French wording of a sum past int64 cents (``reason`` ``("overflow", which)``:
        derive.c, group.c, rank.c, ledger.c and plan.c's ESS_OVERFLOW_*, the binding's sums); a
        plan's names its largest figure and its cell, taken from the core's message.  A sum
        ``below`` the floor says the floor ("… € au moins"), not the ceiling."""
        which = reason[1] if len(reason) > 1 else "sum"
        limit = _OVERFLOW_FLOOR if below else _OVERFLOW_LIMIT
        if which == "plan":
            said = re.search(r"its largest figure(?:, '(.*?)'| is (.*?)) \((.*) x (.*?)\)"
                             r"(?:, is wrong: an overflowing sum of these (\d+) figures holds "
                             r"one of (.*?) or more)?", message, re.S)
            if said is None:
                return french_spacing(_OVERFLOW_TEXTS["plan"] + " (" + limit + ")")
            typed, summed, line, funder, figures, floor = said.groups()
            # the core prints its figures the English way ("18,446,744,073,709 k€"), as its
            # words: said here the French way, and the limit of the side the sum left by
            floor, summed = (None if text is None else
                             text.replace(",", "\x00").replace(".", ",").replace("\x00", self.group)
                             for text in (floor, summed))
            return french_spacing(
                _OVERFLOW_TEXTS["plan"] + " (" + limit + ") : "
                + (_OVERFLOW_PLAN_TYPED.format(figure=self.quote(typed), line=line, funder=funder,
                                               figures=figures, floor=floor)
                   if typed is not None and figures is not None else
                   _OVERFLOW_PLAN_SUMMED.format(figure=summed or self.quote(typed), line=line,
                                                funder=funder)))
        if which == "group-sum" and len(reason) > 3:
            # the group named by its key (reason: "overflow", "group-sum", key, others): a
            # committee must know which line of the table to look at
            key, more = reason[2], reason[3]
            others = "" if not more else (
                f" (et celle de {more} autre{'s' if more > 1 else ''} "
                f"groupe{'s' if more > 1 else ''})")
            named = _OVERFLOW_GROUP_NAMED.format(group=self.group_in_words(key), others=others)
            return french_spacing(f"{_OVERFLOW_TEXTS[which]} ({limit}) : {named}")
        what = _OVERFLOW_TEXTS.get(which)
        return None if what is None else french_spacing(f"{what} ({limit})")

    def group_in_words(self, key: tuple) -> str:
        """A group of an aggregate named by its key in words: each label quoted, a number as
        is, a date this language's way, a missing key said so, parts joined by ", " --
        ``« Région », « Axe 1 »`` / ``'Région', 'Axe 1'``, never a Python tuple's repr.

        Example: ``language("en").group_in_words(("Région", 2010))`` -> ``"'Région', 2010"``"""
        return ", ".join(self._key_part(part) for part in key)

    def listed(self, items: "list[str]") -> str:
        """Items a sentence of this language lists, already worded: "a, b et c" / "a, b and c"
        (commas alone read as a list cut short in running text).

        Example: ``language("fr").listed(["« A »", "« B »", "« C »"])`` -> ``'« A », « B » et « C »'``"""
        items = list(items)
        if len(items) < 2:
            return "".join(items)
        return ", ".join(items[:-1]) + self.say(" et ", " and ") + items[-1]

    def _key_part(self, value: Any) -> str:
        """One part of a group's key as a listing prints it: a label quoted, a number as is, a
        date as this language writes one, a missing key as the listing of groups says it,
        "(vide)" / "(blank)"."""
        if value is None:
            return self.text("agg_blank")
        if isinstance(value, str):
            return self.quote(value)
        if isinstance(value, _dt.date):
            return self.date(value)
        return str(value)

    def _no_column(self, message: str, reason: tuple) -> str | None:
        """The French wording of a column asked for that is not there: a ledger's
        (``reason`` ``("no-column", name, columns)``) or a file header's (``("no-column",)``,
        the name, the one it may be and the header's columns taken from the reader's message,
        "the header has no column 'x' (did you mean 'y'?); its columns: 'a', 'b'")."""
        if len(reason) > 2:
            names = ", ".join(self.quote(c) for c in reason[2])
            near = close_name(reason[1], reason[2])
            return french_spacing(f"aucune colonne {self.quote(reason[1])}"
                                  + (f" (vouliez-vous dire {self.quote(near)} ?)" if near else "")
                                  + f" ; colonnes du registre : {names}")
        said = re.fullmatch(r"the header has no column '(.*?)'(?: \(did you mean '(.*?)'\?\))?; "
                            r"its columns: (.*)", message, re.S)
        if said is None:
            return None
        asked, offered, listed = said.groups()
        names = [self.quote(c) for c in re.findall(r"'(.*?)'(?=, |$)", listed)]
        if listed.endswith("..."):   # the reader lists as many as its message holds
            names.append("…")
        return french_spacing(f"l'en-tête n'a pas de colonne {self.quote(asked)}"
                              + (f" (vouliez-vous dire {self.quote(offered)} ?)" if offered else "")
                              + f" ; ses colonnes : {', '.join(names)}")

    def _ambiguous(self, message: str, reason: tuple) -> str | None:
        """The French wording of an amount such as "12.500" the column leaves undecided
        (``reason`` ``("amount-ambiguous", why)``), the amount and its two readings taken from
        the core's ``message`` ("the amount '12.500' could be 12500 or 12.5, and ...", or "...;
        say which"), which money.c's ess_point_readings made, the decimal one with a point;
        None for another reason."""
        if reason[0] != "amount-ambiguous":
            return None
        said = re.search(r"the amount '(.*)' could be (.*?) or (.*?)[,;] ", message, re.S)
        why = _AMBIGUOUS_TEXTS.get(reason[1] if len(reason) > 1 else -1)
        if said is None or why is None:
            return None
        value, grouped, decimal = said.groups()
        # the core prints its readings ungrouped ("12500 or 12.5") so that each means one
        # number to an English reader; the French one groups its thousands ("12 500 ou 12,5"),
        # unmistakable beside the decimal comma.  The digits before any point are a whole
        # number (the grouped reading has no mark left, the decimal one its point)
        def whole(digits: re.Match) -> str:   # "0500" kept as printed, its zero said
            said = digits.group()
            return self.grouped(int(said)) if said[0] != "0" else said
        grouped = re.sub(r"(?<![\d.])\d+", whole, grouped)
        decimal = re.sub(r"(?<![\d.])\d+", whole, decimal).replace(".", self.decimal)
        text = why.format(value=self.quote(value), grouped=grouped, decimal=decimal)
        if len(reason) > 2 and reason[2]:   # converted outside a file: its column, its row
            text = _AMBIGUOUS_COLUMN.format(column=self.quote(reason[2])) + (
                _AMBIGUOUS_ROW.format(row=reason[3]) if len(reason) > 3 and reason[3] else ""
            ) + " : " + text
        return french_spacing(text)

    def quote(self, text: str) -> str:
        """Quoted words: ``« Total »`` in French, ``'Total'`` in English; a quoted text's
        control characters shown as their escapes (:func:`shown`: "« 1\\n2 »", "'1\\n2'"), so
        that a quote shows the cell's exact characters wherever it is printed, a line break in it
        never splitting the message nor read as a space."""
        text = shown(str(text))
        return self.say(f"«{NBSP}{text}{NBSP}»", f"'{text}'")

    def when(self, m: Any) -> str:
        """A milestone's date as precise as the text: the words it prints ("début 2011") when it
        gives less than a day, else the day (and the last day of a period) this language's way."""
        if m.printed or m.precision == "year":
            english = self.code == "en" and getattr(m, "printed_en", None)
            return english or m.when
        if m.precision == "month":   # "03/2011" read as French in an English listing
            return f"{m.date:%m/%Y}" if self.code == "fr" else f"{m.date:%Y-%m}"
        return self.span(m.date, m.until or m.date)

    def figure(self, value: Decimal | int, qualifier: str | None = None) -> str:
        """A figure of the text with the qualifier it gives it, never dropped ("plus de 25 600"
        is not 25 600): ``language("en").figure(25600, "plus de")`` -> ``'more than 25,600'``"""
        shown = self.number(value)
        if not qualifier:
            return shown
        if self.code == "en":
            qualifier = _QUALIFIERS_EN.get(qualifier.casefold(), qualifier)
        return f"{qualifier} {shown}"

    def number(self, value: Decimal | int, unit: str = "€") -> str:
        """An amount without its unit: ``language("en").number(Decimal("1250"))`` -> ``'1,250'``"""
        # euros with cents show both digits ("-1 000,50", not "-1 000,5"); k€ and M€ keep
        # the decimals the plan prints ("12,5 k€")
        cents = unit == "€" and Decimal(value) != Decimal(value).to_integral_value()
        return format_amount(value, unit=unit, group=self.group, decimal=self.decimal,
                             decimals=2 if cents else -1)

    def amount(self, value: Decimal | int, unit: str) -> str:
        """An amount with its unit: ``language("en").amount(Decimal("12.5"), "k€")`` -> ``'12.5 k€'``"""
        return f"{self.number(value, unit)}{self.unit_space}{unit}"

    def column(self, values: "list[Decimal | int]", unit: str = "€", *,
               with_unit: bool = True) -> list[str]:
        """The amounts of one column of a table (with their unit, unless ``with_unit=False``):
        in euros all with one number of decimals, two as soon as one of them has cents (a
        committee compares them digit under digit: ``-5,00 €`` under ``1 000,50 €``, not
        ``-5 €``); in k€ or M€ each as the plan prints it ("12,5" beside "197"), as the plan's
        display does.

        Example: ``language("en").column([Decimal("1000.5"), -5])`` ->
        ``['1,000.50\xa0€', '-5.00\xa0€']``"""
        cents = unit == "€" and any(Decimal(v) != Decimal(v).to_integral_value() for v in values)
        shown = [format_amount(v, unit=unit, group=self.group, decimal=self.decimal,
                               decimals=2 if cents else -1) for v in values]
        return [f"{t}{self.unit_space}{unit}" for t in shown] if with_unit else shown

    def suggestion(self, f: "Finding", plan: "Plan | None" = None) -> str | None:
        """The fix a suggestion carries, worded in this language from its fields (``plan``
        gives the figures their unit): ``Observatoire CRESS × CDC = 10``, ``L2 : déplacer 12 de
        A vers B``; None when the finding carries no fix.  English is ``Finding.suggestion``.

        Example: ``language("fr").suggestion(report.suggestions[0], plan)`` ->
        ``'Observatoire CRESS × CDC = 10'``
        """
        if f.suggestion is None or self.code == "en":
            return f.suggestion
        c = _Context(self, f, plan, None)
        return _edits(c, f.corrections if f.code == "correction-set" else (f,))

    def percent(self, value: Decimal) -> str:
        """A percentage as given: ``language("en").percent(Decimal("5.4"))`` -> ``'5.4%'``"""
        if value == 0:   # a small refund rounds to zero: "0,0 %", not "-0,0 %"
            value = abs(value)
        return f"{str(value).replace('.', self.decimal)}{self.percent_space}%"

    def share(self, part: Decimal, whole: Decimal) -> str:
        """``part`` as a percentage of ``whole`` to one decimal (exact Decimal division, rounded
        half-even), or a dash when the whole is zero: ``language("en").share(1, 8)`` -> ``'12.5%'``"""
        if whole == 0:
            return "—"
        return self.percent(percent_of(part, whole, Decimal("0.1")))

    def shares(self, parts: "list[Decimal]", whole: Decimal) -> list[str]:
        """Each part as a percentage of ``whole`` to one decimal, each rounded on its own (half
        away from zero: :func:`essconv.money.shares_of`), so that equal parts show equal shares,
        or dashes when the whole is zero: ``language("en").shares([1, 1, 1], 3)`` ->
        ``['33.3%', '33.3%', '33.3%']``; :meth:`shares_footnote` says when they do not add up
        to 100."""
        from .money import shares_of
        values = shares_of(parts, whole)
        return ["—"] * len(parts) if values is None else [self.percent(v) for v in values]

    def shares_footnote(self, parts: "list[Decimal]", whole: Decimal) -> str | None:
        """The footnote of a table whose shares (:meth:`shares`), rounded one by one, do not add
        up to exactly 100 % (33,3 + 33,3 + 33,3), as INSEE's tables say it; None when they do or
        when there is no share (a zero whole: its dashes have their own legend)."""
        from .money import shares_add_up, shares_of
        return None if shares_add_up(shares_of(parts, whole)) else self.text("shares_rounded_alone")

    def date(self, day: _dt.date) -> str:
        """``02/12/2009`` in French, ``2009-12-02`` in English (never ambiguous)."""
        # the year on four digits: %Y wrote the year 1 (a database's "no date", 0001-01-01)
        # as "01/01/1", which a spreadsheet reads as the 1st of January 2001
        return f"{day.day:02d}/{day.month:02d}/{day.year:04d}" if self.code == "fr" \
            else day.isoformat()

    def dimension(self, name: str) -> str:
        """A group-by or pivot dimension as a caption says it: a column as it is named, a date
        dimension ("year(dateConvention)", the API's expression, as ``--by`` takes it) in
        words, "année de dateConvention" ("year of dateConvention"); nested, "année de fin de
        période de datesPeriodeVersement"."""
        match = _DIMENSION.fullmatch(name)
        if match is None:
            return name
        french, english = _DIMENSION_WORDS[match.group(1)]
        return f"{self.say(french, english)} {self.dimension(match.group(2))}"

    def typed(self, value: Any) -> str:
        """A spreadsheet's date, time or TRUE/FALSE cell as this language writes it: 04/03/2010
        and VRAI/FAUX in French, 2010-03-04 and TRUE/FALSE in English (never Python's
        '2010-03-04 00:00:00' or 'True')."""
        if isinstance(value, bool):
            return self.say("VRAI" if value else "FAUX", "TRUE" if value else "FALSE")
        if isinstance(value, _dt.datetime):
            day = self.date(value.date())
            if value.time() == _dt.time(0):
                return day
            return f"{day} {value.time().isoformat(timespec='minutes' if not value.second else 'seconds')}"
        if isinstance(value, _dt.date):
            return self.date(value)
        if isinstance(value, _dt.time):
            return value.isoformat(timespec="minutes" if not value.second else "seconds")
        return str(value)

    def span(self, start: _dt.date, end: _dt.date) -> str:
        """A period from ``start`` to ``end`` this language's way; a period of one day is that
        day, said once ("15/03/2020", not "15/03/2020 – 15/03/2020")."""
        return self.date(start) if start == end else f"{self.date(start)} – {self.date(end)}"

    def kind(self, kind: str) -> str:
        """A party's kind: ``language("fr").kind("region")`` -> ``'région'``"""
        return _KINDS_FR.get(kind, kind) if self.code == "fr" else kind

    def severity(self, severity: str) -> str:
        """``language("fr").severity("warning")`` -> ``'avertissement'``"""
        names = _SEVERITIES.get(severity)
        return severity if names is None else names[0 if self.code == "fr" else 2]

    def count(self, items: int, severity: str) -> str:
        """``language("fr").count(2, "error")`` -> ``'2 erreurs'``; a large count grouped as
        this language groups figures ("2 248 avertissements", "2,248 warnings")."""
        fr1, fr2, en1, en2 = _SEVERITIES[severity]
        if self.code == "fr":   # French counts 0 in the singular: "0 erreur"
            return f"{self.grouped(items)} {fr1 if items <= 1 else fr2}"
        return f"{self.grouped(items)} {en1 if items == 1 else en2}"

    def finding(self, f: "Finding", plan: "Plan | None" = None,
                convention: "Convention | None" = None) -> str:
        """The finding's message in this language, its amounts printed this language's way,
        built from the finding's fields and the plan it is about (whose stated totals and
        printed cells it quotes); the convention names the parties it mentions.  Without the
        plan: the core's English message.

        Example: ``language("fr").finding(report[0], plan)``
        """
        build = _FINDINGS.get(f.code)
        if build is None or plan is None:
            return (getattr(f, "wording", None) or {}).get(self.code, f.message)
        return build(_Context(self, f, plan, convention))


def french_spacing(text: str) -> str:
    """French typography: a no-break space before ':' and a narrow one before ';' and '?', so a
    line never breaks between a word and its punctuation."""
    return text.replace(" :", NBSP + ":").replace(" ;", NNBSP + ";").replace(" ?", NNBSP + "?")


# the parts of a convention's text a source names, as a French description names them, and
# their English names; a part's own title ("Article 1 – Les chiffres clés") is the text's name
# for it and stays as printed, quoted
_TEXT_PARTS_EN = {"sommaire": "Table of contents", "corps du texte": "Body of the text",
                  "préambule": "Preamble", "titre": "Title", "signatures": "Signatures",
                  "parties": "Parties"}
_NUMBERED_PART = re.compile(r"(Article|Annexe|Annex)\s+(\d+)\s*(.*)", re.I | re.S)


def place_in_english(article: str) -> str:
    """Where in the text a fact stands, said in English: the parts a description names in
    French ("Sommaire", "Annexe 1 (colonne CDC)", "Article 3 – axe 2") by their English names,
    a part's own title quoted as the text prints it.  An English output cited "Sommaire" and
    "Corps du texte" among English words.

    Example: ``place_in_english("Article 1 – Les chiffres clés ; Annexe 1 (colonne CDC)")``
    -> ``"Article 1 ('Les chiffres clés'); Annex 1 (column CDC)"``
    """
    said = []
    for part in (p.strip() for p in re.split(r"\s*;\s*", article)):
        if not part:
            continue
        if part.casefold() in _TEXT_PARTS_EN:
            said.append(_TEXT_PARTS_EN[part.casefold()])
            continue
        numbered = _NUMBERED_PART.fullmatch(part)
        if numbered is None:   # a part essconv does not know: the text's own name for it,
            said.append(f"'{part}'")   # quoted as English messages quote (never “ ”)
            continue
        kind = "Article" if numbered[1].casefold() == "article" else "Annex"
        rest = numbered[3].lstrip("–-:— ").strip()
        column = re.fullmatch(r"\((?:colonne|column)\s+(.+)\)", rest, re.I)
        axis = re.fullmatch(r"(?:axe|axis)\s+(\d+)", rest, re.I)
        if column:
            said.append(f"{kind} {numbered[2]} (column {column[1]})")
        elif axis:
            said.append(f"{kind} {numbered[2]}, axis {axis[1]}")
        elif rest:
            said.append(f"{kind} {numbered[2]} ('{rest}')")
        else:
            said.append(f"{kind} {numbered[2]}")
    return "; ".join(said)


# the reasons a ledger's reader sets a row aside (Problem.reason's kind), in French: the
# English wording is the reader's own message
_BAD_ROW_TEXTS = {
    "in-column": "colonne {column} : ",
    "record-rank": "enregistrement {rank} du fichier : ",
    "field-count": "cette ligne a {fields} là où l'en-tête en a {expected}",
    "field-count-short": (" ; ses dernières cellules sont sans doute des cellules vides "
                          "qu'Excel a omises (il n'écrit pas de séparateur pour les cellules "
                          "vides qui terminent une ligne au-delà de la 16e ligne d'une "
                          "feuille) : short_rows=\"blank\" lit ces lignes avec ces cellules "
                          "vides"),
    "field-count-short-scdl": (" ; elle s'arrête avant une colonne que le schéma ne dit pas "
                               "facultative, ses cellules ont donc pu se décaler"),
    "amount": "{value} n'est pas un montant",
    "amount-blank": "le montant est vide",
    "amount-null": "le montant est NULL (la base n'en a pas)",
    "amount-float-stored": ("la base tient ici un nombre à virgule flottante (un REAL parmi "
                            "des textes, que le pilote de SQLite rend {value}) : un montant "
                            "n'est jamais un flottant ; enregistrez-le en texte ('1250.50'), "
                            "comme les autres montants de la colonne"),
    "label-float-stored": ("la base tient ici un nombre à virgule flottante (un REAL parmi "
                           "des textes, que le pilote de SQLite rend {value}) : un flottant "
                           "n'est pas un libellé ; enregistrez-le en texte, comme les autres "
                           "libellés de la colonne"),
    "nul-cell": ("{value} contient un octet NUL au caractère {expected} : aucune valeur ne "
                 "s'écrit ainsi, la cellule n'est pas du texte"),
    "amount-dash": ("{value} est un tiret là où un montant est attendu (dash_is_zero=True lit "
                    "un tiret comme zéro)"),
    "amount-too-large": "{value} dépasse ce qu'un montant en centimes peut tenir ({limit})",
    "date": "{value} n'est pas une date (attendu : 2017-09-08, 2017/09/08 ou 08/09/2017)",
    "date-impossible": "{value} est une date impossible",
    "date-order": ("{value} ne se lit que {other} d'abord, mais les dates ont été dites {said} "
                   "d'abord (date_order='{code}')"),
    "int": "{value} n'est pas un nombre entier",
    # as the English "does not fit int64": "trop grand" was said of -99999999999999999999 too
    "int-too-large": "{value} ne tient pas dans un entier de 64 bits",
    "int-missing-marker": ("{value} est la valeur qu'une colonne d'entiers garde pour une valeur "
                           "manquante : aucun entier du registre ne la vaut"),
    "total-says": ("cette ligne dit {value} : un total, pas un enregistrement (son montant "
                   "{amount} n'est pas la somme des lignes au-dessus : un total d'autres "
                   "lignes ?) ; supprimez-la du fichier, ou renommez le libellé s'il s'agit "
                   "vraiment d'une subvention"),
    "total-sum": ("cette ligne est un total, pas un enregistrement : son montant {amount} est "
                  "la somme des {count} {rows} au-dessus {label} ; supprimez-la du fichier, "
                  "sinon chaque total les compte deux fois"),
    "total-sum-below": ("cette ligne est un total, pas un enregistrement : son montant {amount} "
                        "est la somme des {count} {rows} en dessous {label} ; supprimez-la du "
                        "fichier, sinon chaque total les compte deux fois"),
    "total-sum-label": "et elle dit {value}",
    # a summary row beside the SUM row at the bottom, after it or just before it: {head} says
    # the row, by its name when it has one ("Moyenne", and its column when the read leaves that
    # column out), else blank but for its amount
    "total-summary": ("{head} suit la ligne de total (ligne {count}) : un résumé des lignes "
                      "au-dessus (une moyenne, un décompte ?), pas un enregistrement ; "
                      "supprimez-la du fichier, sinon chaque total la compte"),
    "total-summary-above": ("{head} précède juste la ligne de total (ligne {count}) : un résumé "
                            "des lignes au-dessus (une moyenne, un décompte ?), pas un "
                            "enregistrement ; supprimez-la du fichier, sinon chaque total la "
                            "compte"),
    "total-summary-blank": "cette ligne, vide hormis son montant {amount},",
    "total-summary-named": "cette ligne dit {value} (son montant {amount}) et",
    # its name in a column the read leaves out (dims=[...]): the row is not blank
    "total-summary-unkept": ("cette ligne dit {value} dans la colonne {column}, que la lecture "
                             "laisse de côté (son montant {amount}), et"),
    "unit-column": ("{value} dit que le montant de cette ligne est en {said}, mais la colonne "
                    "des montants {amount} est lue en {read} : il serait {factor} fois trop "
                    "{way}, sans un mot ; dites l'unité dans l'en-tête de la colonne des "
                    "montants ({header}) si toutes les lignes l'ont, ou séparez le fichier par "
                    "unité"),
    "currency-column": ("{value} dit que le montant de cette ligne est dans une autre monnaie "
                        "que l'euro, mais les montants sont lus en euros : il serait compté en "
                        "euros, sans un mot ; convertissez-le en euros, ou mettez la ligne de "
                        "côté avec bad_rows=\"collect\""),
    "report-total": ("cette ligne est la ligne Total d'un rapport (report_line vaut {value}) : "
                     "son montant {amount} est la somme des autres lignes, pas un "
                     "enregistrement, et lue comme tel chaque total les compte deux fois ; "
                     "choisissez les lignes WHERE report_line <> 'total'"),
    "total-sum-no-label": "et elle n'a pas de libellé",
    "header-repeated": ("cette ligne est de nouveau l'en-tête ({value} dans sa colonne) : des "
                        "fichiers mis bout à bout ? Ce n'est pas un enregistrement, rien n'en est "
                        "compté"),
    "header-reordered": ("cette ligne est de nouveau l'en-tête, dans un autre ordre : là où le "
                         "premier en-tête a le montant {column} (champ {count}), elle a {value} "
                         "(champ {expected} du premier en-tête) : les enregistrements qui la "
                         "suivent sont dans d'autres colonnes ; coupez le fichier à cette ligne, "
                         "ou mettez ses colonnes dans un même ordre"),
    # the other total rows of a file refused at its first ({others}: "1 autre ligne")
    "total-more": " (et {others} de ce genre)",
}


# what exactly an unreadable amount gets wrong (Problem.reason's detail, the parser's finding in
# the core: ESS_AMOUNT_*), in French: {at} is its character in the cell, {n} its number; the
# English wording is the core's message
# Ctrl-Z inside a file: only its very last byte ends it (csv.c reads the file as without it)
_DOS_END = (" (Ctrl-Z, la « fin de fichier DOS », qui ne termine un fichier que comme son tout "
            "dernier octet)")
_AMOUNT_DETAIL_TEXTS = {
    "character": "{value} n'est pas un montant : {char} au caractère {at}",
    "second-mark": "{value} n'est pas un montant : une deuxième marque décimale au caractère {at}",
    "after-decimals": "{value} n'est pas un montant : {char} après les décimales (caractère {at})",
    "group-after-separator": ("{value} n'est pas un montant : un groupe de {n} {digits} après un "
                              "séparateur de milliers (caractère {at}), là où il en faut trois"),
    "group-too-long": ("{value} n'est pas un montant : un groupe de plus de trois chiffres après "
                       "un séparateur de milliers (caractère {at})"),
    "group-size": ("{value} n'est pas un montant : un groupe de {n} {digits} là où trois sont "
                   "attendus (caractère {at})"),
    "point-groups": ("{value} n'est pas un montant : un groupe de {n} {digits} là où trois sont "
                     "attendus (caractère {at}) ; son point est lu comme séparateur de milliers, "
                     "la marque décimale étant la virgule (dites decimal='.' si le point est "
                     "décimal)"),
    "no-digit-after-mark": ("{value} n'est pas un montant : aucun chiffre après la marque "
                            "décimale au caractère {at}"),
    "separator-after-zero": ("{value} n'est pas un montant : un séparateur de milliers après un "
                             "zéro de tête (caractère {at})"),
    "two-separators": "{value} n'est pas un montant : deux sortes de séparateurs de milliers",
    "separator-no-digit": ("{value} n'est pas un montant : un séparateur qu'aucun chiffre ne suit "
                           "(caractère {at})"),
    "sub-cent": ("{value} a plus de {n} décimales de {unit} : un montant en centimes ne peut pas "
                 "le tenir"),
    "too-long": "{value} est trop long pour être un montant",
    "unit-only": "{value} est une unité sans montant",
    "percent": "{value} est un pourcentage là où un montant est attendu",
    "paren-open": "{value} n'est pas un montant : la parenthèse ouverte n'est jamais fermée",
    "paren-close": "{value} n'est pas un montant : la parenthèse fermante ne ferme rien",
    "minus-in-parens": "{value} n'est pas un montant : un signe entre parenthèses",
    "digit-expected": "{value} n'est pas un montant : un chiffre est attendu au caractère {at}",
    "unit-twice": ("{value} n'est pas un montant : une unité écrite avant et après le nombre "
                   "(caractère {at})"),
    "comma-groups": ("{value} n'est pas un montant à virgule décimale : ses virgules sont là "
                     "où une colonne à point décimal groupe les milliers (dites decimal='.' pour "
                     "le lire ainsi)"),
    "mark-said": ("{value} n'est pas un montant : la marque décimale déclarée est {said}, où "
                  "{other} ne fait que grouper les milliers, par trois chiffres (caractère {at})"),
    "currency": ("{value} n'est pas un montant en euros : il nomme une autre monnaie que l'euro "
                 "({currency}caractère {at}) ; convertissez-le en euros"),
    "comma-may-group": ("{value} a plus de {n} décimales de {unit} : un montant en centimes ne "
                        "peut pas le tenir ; sa virgule est peut-être là où une colonne à point "
                        "décimal groupe les milliers (dites decimal='.' pour le lire ainsi)"),
}
# a date key derived from a label column (an error's reason "date-key", why, row: derive.c's
# ESS_DERIVE_*), in French; the English wording is the core's message
_DATE_KEY_TEXTS = {
    "not-a-date": ("enregistrement {row}, colonne {column} : {value} n'est ni une date ni une "
                   "période (début_fin ou début/fin) : year(), quarter() et month() prennent une "
                   "colonne de dates"),
    "a-period": ("enregistrement {row}, colonne {column} : {value} est une période, pas une "
                 "date (dites laquelle de ses bornes : period_start ou period_end)"),
    "backward": ("enregistrement {row}, colonne {column} : la période {value} finit avant de "
                 "commencer : aucune de ses bornes ne peut la représenter (intervertissez-les "
                 "dans le fichier)"),
}
# a date column's day past what a date holds (an Arrow date32 reaches +-5.8 million years)
_DATE_RANGE_TEXT = ("colonne de dates {column}, ligne {row} : le jour {day} compté depuis le "
                    "1970-01-01 n'est aucune date des années 1 à 9999 (une date32 hors limites ?)")
# a label column whose rows hold dates of both orders (derive.c's ESS_DERIVE_MIXED_ORDERS)
_DATE_KEY_MIXED_ORDERS = ("enregistrement {row}, colonne {column} : {value} ne peut avoir que "
                          "{kind} en premier, et {other} (enregistrement {other_row}) que "
                          "{other_kind} : l'ordre de 04/05/2017 ne peut être connu ; mettez la "
                          "colonne dans un seul ordre")
# an argument refused (an error's reason: its kind and values), in French; the English wording is
# the exception's message
_ARGUMENT_TEXTS = {
    "not-dates": "{dim} : la colonne {column} contient des {kinds}, pas des dates",
    "group-by-amount": ("la colonne {column} contient les montants, que l'agrégat additionne : "
                        "groupez par une colonne de libellés, d'entiers ou de dates (colonnes : "
                        "{columns})"),
    "group-key-twice": ("la clé {key} est donnée deux fois au regroupement (clés {first} et "
                        "{second}) : donnez chaque clé une seule fois"),
    "not-of-kind": ("la colonne {column} contient des {kinds} : {value} ne se lit pas comme "
                    "{one}"),
    "filter-date-year": ("la colonne {column} contient des dates : {value} a une année de deux "
                         "chiffres, du XXe ou du XXIe siècle : écrivez l'année en quatre chiffres"),
    "filter-date-ambiguous": ("la colonne {column} contient des dates : {value} se lit {one} le "
                              "jour en premier et {other} le mois en premier : écrivez celle "
                              "voulue ainsi (année-mois-jour)"),
    "filter-date-impossible": ("la colonne {column} contient des dates : {value} n'est aucun jour "
                               "du calendrier"),
    "year-type": "{argument} doit être une année en nombre entier (2010), pas {value}",
    "year-range": "{argument} doit être une année de 1 à 9999, pas {year}",
    "plan-year": "un plan demande une année de la convention ({years}), pas {year}",
    "no-plan": ("la convention n'a pas de plan de financement pour {year} (plans : {have}) ; "
                "ajoutez-en un avec conv.add_plan(plan)"),
    "no-sheet": "pas de feuille {sheet} dans le classeur : ses feuilles sont {sheets}",
    "plan-there": ("la convention a déjà un plan pour {year}{named} : passez replace=True pour "
                   "mettre celui-ci à sa place"),
    "plan-elsewhere": ("ce plan est déjà celui de {year} de la convention : passez "
                       "override_year=True pour en attacher une copie à {other}, pour que le "
                       "plan de chaque année dise la sienne"),
    "plan-own-year": ("ce plan se dit celui de {year}, pas de {other} : attachez-le à {year}, "
                      "ou passez override_year=True pour en faire celui de {other}"),
    "plan-dash-group": ("le plan {year} imprime un groupe «\u00a0—\u00a0», la clé de ses lignes "
                        "hors axe ({lines}) dans toute somme par axe : renommez le groupe, ou "
                        "imprimez ses lignes sans groupe"),
    "same-years": ("comparer {year} à {year} ne montre aucune évolution : donnez deux années "
                   "différentes"),
    "outside-term": "{year} est hors de la durée de la convention ({start}–{end})",
    "not-scdl": ("ce n'est pas un fichier de subventions SCDL : des {required} colonnes "
                 "obligatoires du schéma, son en-tête en a {count}{found} ; parmi les absentes : "
                 "{missing}"),
}
# what to write for a TOML mistake made by hand (description._toml_hint's kinds), in French
_TOML_HINTS = {
    "unclosed": ("la chaîne n'est pas fermée sur sa ligne : terminez-la par \" (ou écrivez un "
                 "texte de plusieurs lignes entre \"\"\" et \"\"\")"),
    "unquoted": "un texte s'écrit entre guillemets : écrivez {written}",
    "french-number": ("un montant ou un pourcentage à virgule ou à espaces s'écrit entre "
                      "guillemets, comme un texte (un nombre de fois est un entier sans espaces) "
                      ": écrivez {written}"),
    "boolean": ("oui ou non s'écrit true ou false, en minuscules sans guillemets : écrivez "
                "{written}"),
}
# a convention description refused (DescriptionError's reason: its kind and values, from
# description.py), in French; the English wording is the exception's message
_DESCRIPTION_TEXTS = {
    "desc-missing": "la clé {key} manque",
    "desc-type": "attendu : {expected} ; trouvé : {found} {value}",
    # a date written as words or quoted ("15 mars 2010"): refused, its TOML form said
    "desc-date-spelled": ("attendu : une date (AAAA-MM-JJ, sans guillemets) ; trouvé : le texte "
                          "{!r} : écrivez {} = {}"),
    "desc-unknown-key": "clé inconnue {key} dans {table}",
    "desc-not-one-of": "{value} n'est pas l'une des valeurs possibles ({choices})",
    "desc-not-party": "{code} n'est pas une partie de la convention",
    "desc-parent-not-before": "le parent {parent} n'est pas une partie déclarée avant {code}",
    "desc-code-twice": "le code de partie {code} est donné deux fois",
    "desc-two-plans": "deux plans pour {year}",
    "desc-plan-source": "un plan demande exactement l'une des clés 'file' ou 'table'",
    "desc-plan-file-missing": "le fichier de plan {file} n'existe pas",
    "desc-term-backwards": "la convention se termine ({end}) avant de commencer ({start})",
    # {ansi}: the character the byte is in CP1252, when it is one
    "desc-not-utf8": ("l'octet {byte} n'est pas de l'UTF-8 ({ansi}une description est un texte "
                      "UTF-8 ; enregistrez le fichier en UTF-8)"),
    "desc-toml": "ce n'est pas du TOML valide (message du lecteur tomllib : {said})",
    "desc-one-string": "attendu : {expected} ; trouvé : le texte {value} : écrivez {written}",
    "desc-integer-written": "attendu : un entier ; trouvé : {found} {value} : écrivez {written}",
    # a key given twice in one table, a table declared twice (tomllib's "Cannot overwrite")
    "desc-key-twice": ("la clé {key} est donnée deux fois dans {table} (la première fois ligne "
                       "{first}) : n'en gardez qu'une"),
    "desc-table-twice": ("la table [{0}] est déclarée deux fois (la première fois ligne {1}) : "
                         "écrivez ses clés sous un seul [{0}]"),
    "desc-siret-digits": "le SIRET « {0} » n'a pas 14 chiffres",
    "desc-siret-luhn": ("le SIRET « {0} » échoue à la clé de contrôle (Luhn) : un chiffre est "
                        "faux"),
    "desc-siret-twice": ("le SIRET {0} est déjà donné à « {1} » : un SIRET appartient à une "
                         "seule partie"),
    "desc-item": "attendu : un texte ou une table {0}",
    "desc-axis-twice": "l'axe {0} est déjà axes[{1}]",
    "desc-group-twice": "le groupe du plan « {0} » appartient déjà à axes[{1}]",
    "desc-no-axis": "{0} n'est pas un axe de la convention (axes : {1})",
    "desc-not-body": "{0} n'est pas une instance de la convention",
    "desc-body-twice": "le nom d'instance « {0} » est déjà celui de bodies[{1}]",
    "desc-unit": "l'unité « {0} » est inconnue (par exemple €, k€ ou M€)",
    "desc-plan-folder": "« {0} » est un dossier, pas un fichier de plan",
    "desc-plan-unreadable": "le fichier de plan « {0} » ne peut pas être lu",
    # an amount written as a TOML number (`amount = 12.5`): its quoted form suggested
    "desc-amount-number": ("attendu : un montant entre guillemets avec son unité ; trouvé : "
                           "{} {} : écrivez {} = \"{}\" (ou en M€, k€, comme le dit le texte)"),
    "desc-amount": "« {0} » n'est pas un montant lisible (par exemple \"3,5 M€\" ou \"200 000 €\")",
    # "1,234.56 €": thousands grouped by commas, a decimal point; the two ways to write it
    "desc-amount-comma-grouping": ("« {0} » groupe les milliers par des virgules avec un point "
                                   "décimal : écrivez « {1} » ou « {2} »"),
    # "1 234,56": a quoted amount without its unit, asked for as a number's is
    "desc-amount-no-unit": ("attendu : un montant entre guillemets avec son unité ; trouvé : "
                            "« {0} », sans unité : écrivez {1} = \"{2}\" (ou en M€, k€, comme "
                            "le dit le texte)"),
    "desc-source-keys": ("{keys} {0} : une source a article, quote, added et added_en"),
    "desc-source-empty": ("une source demande les mots cités ('quote') ou ce qu'essconv ajoute "
                          "('added')"),
    "desc-english-alone": "'{0}' traduit '{1}', que cet élément n'a pas",
    "desc-english-count": ("'{0}_en' a {items} pour les {2} de '{0}' : un texte anglais "
                           "pour chacun, dans l'ordre"),
    "desc-until-before": "'until' ({0}) est avant 'date' ({1})",
    "desc-precision-first": ("une date de précision '{0}' s'écrit au premier jour de la période "
                             "({1}), sans 'until' : le texte ne donne pas de jour"),
    "desc-meetings": "« {0} » se réunit {1} fois par an : attendu de 0 à 366",
    "desc-meetings-days": ("« {0} » se réunit {1} fois par an, mais {2} n'a que {3} jours : une "
                           "réunion par jour au plus"),
    "desc-code-blank": "une partie demande un code",
    "desc-axis-number": "l'axe {0} : attendu un numéro de 1 ou plus",
    "desc-blank": "",   # worded by Language._description (title or name)
    "desc-too-deep": "",   # worded by Language._description (its line said or not)
    "desc-relabel-blank": ("« {0} » devient un libellé vide, que les lecteurs lisent comme une "
                           "cellule manquante : écartez plutôt ces lignes"),
    "desc-relabel-chain": ("« {0} » est un nouveau libellé, lui-même renommé en « {1} » : donnez "
                           "à chaque ancien libellé son libellé final"),
    "desc-alias-taken": "l'alias {alias} de {code} est {what} de {owner}",
    "desc-meetings-from": ("les instances ne peuvent pas commencer à se réunir le {0}, hors de la "
                           "durée de la convention ({1}–{2})"),
    "desc-duration": "une durée de {0} ans : attendu 1 ou plus",
    "desc-count": "{0} = {1} : c'est un décompte, attendu 0 ou plus",
    "desc-code-spaces": "le code de partie « {0} » est entouré d'espaces",
    "desc-spaced-table": ("le tableau du plan n'a pas de tabulation : ses colonnes sont alignées "
                          "par des espaces (un éditeur a pu changer ses tabulations en espaces) ; "
                          "séparez les cellules par des tabulations (ou '\\t' dans une chaîne "
                          "\"...\") ou par ';'"),
}
# what a description's key should hold (the reason "desc-type"'s expected, description.py's
# English words), in French
_DESCRIPTION_EXPECTED = {
    "a date (YYYY-MM-DD, unquoted)": "une date (AAAA-MM-JJ, sans guillemets)",
    "a finite number": "un nombre fini",
    "a number": "un nombre",
    "a quoted number (\"11.3\"): floats are not exact": ("un nombre entre guillemets (\"11.3\") : "
                                                         "un nombre à virgule flottante n'est "
                                                         "pas exact"),
    "a string or an array of non-empty strings": "un texte ou un tableau de textes non vides",
    "a string": "un texte",
    "a table of quoted numbers": "une table de nombres entre guillemets",
    "a table of sources by key": "une table de sources par clé",
    "a table { article, quote, added }": "une table { article, quote, added }",
    "a table": "une table",
    "a table of spellings": "une table de graphies",
    "an amount": "un montant",
    "an array of strings": "un tableau de textes",
    "an array": "un tableau",
    "an integer": "un entier",
    "true or false": "true ou false",
}
# a TOML value's Python type (a DescriptionError's reason "desc-type"), in French
_TOML_TYPES_FR = {"str": "le texte", "int": "l'entier", "float": "le nombre à virgule",
                  "bool": "le booléen", "list": "le tableau", "dict": "la table",
                  "date": "la date", "datetime": "la date et heure", "time": "l'heure"}
# a file a reader refuses whole (an error's reason), in French; the English is the core's message

# The amount header's refusals that quote its column and one word of it: the English message
# they are read back from (the C core's), the column and the word its two groups.
_AMOUNT_HEADER_WORDS = {
    "unit-unread": r"the amount column '(.*)' names a unit essconv does not read \('(.*)'\)",
    "unit-glued": r"the amount column '(.*)' ends in '(.*)' glued to a word",
    "currency-header": r"the amount column '(.*)' says its amounts are in another currency "
                       r"than the euro \('(.*)'\)",
    "unit-numbers": r"the amount column '(.*)' names its unit \('(.*)'\) over numbers",
}

_FILE_TEXTS = {
    "not-text-file": "",   # a kind, worded by the kind of file it names (below)
    "file-empty": "le fichier est vide : pas d'en-tête",
    "stdin-closed": "entrée standard fermée",
    "stdout-closed": "sortie standard fermée",
    "no-header-row": "pas de ligne d'en-tête : aucune ligne n'a trois cellules ou plus",
    "column-twice": ("la colonne {column} figure deux fois dans l'en-tête (champs {first} et "
                     "{second}) : renommez l'une des deux"),
    "quote-unclosed": "le guillemet ouvert ligne {line}, colonne {column} n'est jamais fermé",
    "unit-unread": ("la colonne des montants {column} nomme une unité qu'essconv ne lit pas "
                    "({word}) : ses montants sans unité seraient lus en euros ; dites l'unité "
                    "« k€ », « M€ » ou « € » dans l'en-tête (ou dans chaque cellule), ou "
                    "renommez la colonne"),
    "unit-numbers": ("la colonne des montants {column} nomme son unité ({word}) au-dessus de "
                     "nombres, qui n'en portent aucune : lus en euros ou multipliés par l'unité, "
                     "ils pourraient être faux dans un sens ou dans l'autre (les exports "
                     "d'essconv d'une telle colonne en donnent les chiffres dans son unité, le "
                     "disent et se relisent) ; renommez la "
                     "colonne pour dire l'unité de ses nombres (« montant (€) » s'ils sont en "
                     "euros, convertis d'abord s'ils ne le sont pas), ou donnez-les en texte "
                     "(« 1,5 »), lu dans l'unité du nom"),
    "unit-glued": ("la colonne des montants {column} finit par {word} collé à un mot qu'essconv "
                   "ne connaît pas comme un montant : une unité, ou les lettres du mot ? Ses "
                   "montants sans unité seraient lus en euros ; dites l'unité à part dans "
                   "l'en-tête (« montant (k€) », « montant (€) »), ou renommez la colonne"),
    "unit-below": ("la colonne des montants {column} a son unité ({cell}) sur la ligne sous "
                   "elle : l'en-tête tient sur deux lignes, comme un tableur imprime un titre "
                   "au-dessus de ses unités, et ses montants sans unité seraient lus en {read}, "
                   "pas en {unit} ; dites l'unité dans l'en-tête ({header})"),
    "currency-header": ("la colonne des montants {column} dit que ses montants sont dans une "
                        "autre monnaie que l'euro ({word}) : ils seraient lus en euros, sans un "
                        "mot ; convertissez-les en euros, ou renommez la colonne si la monnaie "
                        "de son nom est une erreur"),
    "byte-not-text": ("l'octet 0x{byte:02X} ligne {line}, colonne {column} n'est ni de l'UTF-8 "
                      "ni du CP1252"),
    "nul-byte": "un octet NUL ligne {line}, colonne {column} : ce n'est pas un fichier texte",
    # another kind of file a text reader refused (the reason's second value: the core's
    # ESS_NOT_TEXT_* by name), with what to do instead, as the English says it
    "not-text-file-zip": ("ce n'est pas un fichier texte mais un fichier zip (un classeur Excel "
                          ".xlsx en est un) : enregistrez la feuille en CSV (un zip d'un seul "
                          "fichier CSV nommé .zip est lu comme son contenu)"),
    "not-text-file-xls": ("ce n'est pas un fichier texte mais un ancien classeur Excel .xls : "
                          "enregistrez la feuille en CSV"),
    "not-text-file-gzip": ("ce n'est pas un fichier texte mais un fichier compressé par gzip : "
                           "nommez-le .gz (grants.csv.gz) et il est lu comme son contenu"),
    "not-text-file-bzip2": ("ce n'est pas un fichier texte mais un fichier compressé par bzip2 : "
                            "nommez-le .bz2 et il est lu comme son contenu"),
    "not-text-file-xz": ("ce n'est pas un fichier texte mais un fichier compressé par xz : "
                         "nommez-le .xz et il est lu comme son contenu"),
    "not-text-file-pdf": "ce n'est pas un fichier texte mais un document PDF, pas du texte CSV",
    "not-text-file-html": ("ce n'est pas du texte CSV mais une page web (HTML) : ouvrez-la dans "
                           "Excel et enregistrez-la à nouveau au format « CSV (séparateur : "
                           "point-virgule) » (Fichier > Enregistrer sous)"),
    "not-text-file-utf16le": ("ce fichier est du texte UTF-16 sans sa marque d'ordre des octets (un "
                              "octet sur deux est NUL, comme Excel enregistre le « Texte "
                              "Unicode »), pas de l'UTF-8 : enregistrez la feuille au format "
                              "« CSV UTF-8 » dans Excel (Fichier > Enregistrer sous), ou lisez-le "
                              "avec encoding='utf-16-le'"),
    "not-text-file-utf16be": ("ce fichier est du texte UTF-16 sans sa marque d'ordre des octets (un "
                              "octet sur deux est NUL), pas de l'UTF-8 : enregistrez la feuille au "
                              "format « CSV UTF-8 » dans Excel (Fichier > Enregistrer sous), ou "
                              "lisez-le avec encoding='utf-16-be'"),
    "not-text-file-xml": ("ce n'est pas du texte CSV mais un document XML (le format « Feuille "
                          "de calcul XML 2003 » d'Excel en est un) : ouvrez-le dans Excel et "
                          "enregistrez-le à nouveau au format « CSV (séparateur : "
                          "point-virgule) » (Fichier > Enregistrer sous)"),
    "xlsx-unusable": ".xlsx inutilisable : ce n'est pas un classeur Excel lisible ({kind} : {why})",
    "xlsx-no-sheet": ".xlsx inutilisable : le classeur n'a aucune feuille visible",
    "xlsx-ole": (".xlsx inutilisable : le fichier est un conteneur OLE, pas un zip : un classeur "
                 "protégé par un mot de passe à l'ouverture, ou un ancien .xls renommé .xlsx ; "
                 "retirez le mot de passe (Fichier > Informations > Protéger le classeur) ou "
                 "enregistrez-le en .xlsx dans Excel"),
}
# a workbook's formulas never computed (a file written by a program, never opened in a
# spreadsheet): the cells and the sheet, then each cell as sheet!cell with its formula
_XLSX_FORMULA_UNSAVED = (
    "formule{s} sans valeur enregistrée en {cells} de la feuille {sheet} (un classeur écrit "
    "par un programme, jamais ouvert dans un tableur) : ouvrez-le et enregistrez-le dans Excel "
    "ou LibreOffice pour que {their} valeur{s} y {be} gardée{s}")
_XLSX_FORMULA_UNSAVED_CELL = "{cell} : la formule {formula} n'a pas de valeur enregistrée"
# after "no-header-row" for an .xlsx sheet: the sheet read, the workbook's others
_NO_HEADER_IN_SHEET = (", dans la feuille {sheet} ; les autres feuilles du classeur sont "
                       "{others} : choisissez celle du plan avec read_plan(..., sheet={first})")
# a column's kind (ledger.KIND_NAMES) in French: its plural, one of it
_KIND_NAMES_FR = {"label": ("libellés", "un libellé"), "int": ("entiers", "un entier"),
                  "date": ("dates", "une date"), "amount": ("montants", "un montant")}
# a sum past int64 cents (an error's reason "overflow", which: ESS_OVERFLOW_*), in French
_OVERFLOW_TEXTS = {
    "group-sum": "la somme d'un groupe dépasse ce qu'un montant en centimes peut tenir",
    "total": "le total dépasse ce qu'un montant en centimes peut tenir",
    "groups-total": "le total des groupes dépasse ce qu'un montant en centimes peut tenir",
    "others": ("la somme des groupes non affichés dépasse ce qu'un montant en centimes peut "
               "tenir"),
    "sum": "la somme dépasse ce qu'un montant en centimes peut tenir",
    "cumulative": "le cumul dépasse ce qu'un montant en centimes peut tenir",
    "plan": "les sommes du plan dépassent ce qu'un montant en centimes peut tenir",
}
# the group whose sum is past int64 cents, named as the English names it
_OVERFLOW_GROUP_NAMED = "celle du groupe {group}{others}"
_OVERFLOW_LIMIT = f"{INT64_CENTS_FR}\u00a0€ au plus"
#: a sum below the floor: the limit it is under (a huge negative sum read as a huge positive one)
_OVERFLOW_FLOOR = f"{INT64_FLOOR_CENTS_FR}\u00a0€ au moins"


def _past_cents_limit(below: bool) -> str:
    """The limit an amount past int64 cents is said past, in French: the floor for a negative
    one (a huge negative amount is under it, not "too large"), the ceiling otherwise."""
    return _OVERFLOW_FLOOR if below else _OVERFLOW_LIMIT
_OVERFLOW_PLAN_TYPED = ("le plus probablement, son plus grand chiffre, {figure} ({line} × "
                        "{funder}), est faux : une somme de ces {figures} chiffres qui déborde en "
                        "contient un de {floor} ou plus. Vérifiez-le (un code collé ? une unité "
                        "appliquée deux fois ?), puis le suivant")
_OVERFLOW_PLAN_SUMMED = "son plus grand chiffre est {figure} ({line} × {funder})"
# the place of an undecided amount converted outside a file (its reason's column and row)
_AMBIGUOUS_COLUMN = "la colonne des montants {column}"
_AMBIGUOUS_ROW = ", ligne {row}"
# a plan's table broken in structure (PlanFormatError's reason "plan-broken", count)
_PLAN_BROKEN = "la structure du tableau est rompue ({count} problème{s})"
# a plan's structural problem (Problem.reason (name, n, m, text): plan.c's ESS_PLAN_* kinds),
# in French; the English wording is the core's message
_PLAN_PROBLEM_TEXTS = {
    "plan-row-width": "cette ligne a {n} cellule{s} là où l'en-tête en a {m}",
    "plan-row-width-comma": (
        "cette ligne a {n} cellule{s} là où l'en-tête en a {m} : entre des cellules séparées "
        "par des virgules, la virgule décimale d'un montant français (« 1,5 ») le coupe en "
        "deux ; mettez les montants entre guillemets (\"1,5\") ou séparez les cellules par des "
        "';'"),
    "plan-second-total-column": "une deuxième colonne Total (colonne {n})",
    "plan-column-no-funder": ("la colonne {n} a des montants mais aucun financeur dans "
                              "l'en-tête"),
    "plan-funder-twice": "le financeur {text} est en tête de deux colonnes ({n} et {m})",
    "plan-party-twice": (
        "{text} et {other} ({n}:{m}) sont deux colonnes d'une même partie, {k} (son code, un "
        "de ses alias ou son nom) : ses montants seraient comptés deux fois dans chaque total ; "
        "gardez une colonne par financeur"),
    "plan-party-share": (
        "{text} tient des pourcentages : la part de {k}, dont les montants sont dans {other} "
        "({n}:{m}) ; lue comme un financeur, elle s'ajouterait à chaque total ; supprimez-la "
        "(plan.shares() les calcule)"),
    "plan-second-total-row": "une deuxième ligne Total (ligne {n})",
    "plan-header-two-rows": (
        "l'en-tête tient sur deux lignes ({n} et {m}), comme Excel exporte des cellules "
        "fusionnées : écrivez le nom de chaque colonne (les financeurs, Total) sur une seule "
        "ligne d'en-tête"),
    "plan-detail-row": (
        "une ligne « dont » ({text}) : elle détaille la ligne du dessus, dont les montants "
        "l'incluent déjà ; lue comme une ligne, elle serait comptée deux fois dans chaque "
        "total : supprimez-la (ou faites-en une ligne à part et retirez ses montants de la "
        "ligne du dessus)"),
    "plan-subtotal-row": (
        "une ligne de sous-total ({text}) : un plan tient des lignes d'action et une ligne "
        "Total ; supprimez les sous-totaux (essconv fait lui-même la somme des axes)"),
    "plan-no-label": "cette ligne a des montants mais aucun libellé de ligne",
    "plan-no-label-no-line": (
        "cette ligne a des montants mais aucun libellé de ligne, et aucune ligne sous elle : "
        "si {text} est une ligne d'action, écrivez son nom dans la colonne des lignes"),
    "plan-line-twice": "la ligne {text} figure deux fois dans son groupe (lignes {n} et {m})",
    "plan-subtotal-column": (
        "une colonne de sous-total ({text}) : un plan tient des colonnes de financeurs et une "
        "colonne Total ; supprimez-la (essconv regroupe lui-même les financeurs par partie : "
        "by_party)"),
    "plan-detail-column": (
        "une colonne « dont » ({text}) : elle détaille la colonne qui la précède, dont les "
        "montants l'incluent déjà ; lue comme un financeur, elle serait comptée deux fois : "
        "supprimez-la"),
    "plan-share-column": (
        "une colonne de pourcentages ({text}) : les colonnes d'un plan tiennent les montants "
        "des financeurs, et des parts lues comme des montants s'ajouteraient à chaque total ; "
        "supprimez-la (plan.shares() les calcule)"),
    "plan-code-column": (
        "une colonne de codes ou de numéros ({text}) après les libellés des lignes : ses "
        "chiffres ne sont les montants d'aucun financeur et s'ajouteraient à chaque total ; "
        "supprimez-la, ou joignez-la au libellé de la ligne (« 1.2 Observatoire »)"),
    "plan-funder-similar": (
        "les financeurs {text} (colonne {n}) et {other} (colonne {m}) ne diffèrent que par la "
        "casse, les espaces ou les accents : sûrement un même financeur écrit deux fois, que "
        "by_funder() et le tableau croisé sépareraient ; réunissez les deux colonnes sous un "
        "seul nom (ou, s'il s'agit de deux financeurs, nommez-les autrement)"),
    "plan-line-similar": (
        "les lignes {text} (ligne {n}) et {other} (ligne {m}) ne diffèrent que par la casse, "
        "les espaces ou les accents : sûrement une même ligne écrite deux fois, que by_line() "
        "et le tableau croisé sépareraient ; réunissez les deux lignes sous un seul nom (ou "
        "nommez-les autrement)"),
    "plan-axis-similar": (
        "les axes {text} (ligne {n}) et {other} (ligne {m}) ne diffèrent que par la casse, les "
        "espaces ou les accents : sûrement un même axe écrit deux fois, que by_axis() et le "
        "tableau croisé sépareraient ; écrivez-le de la même façon aux deux endroits (ou "
        "nommez les deux axes autrement)"),
    "plan-capitals-undecided": (
        "{text}, en capitales et sans montant au-dessus de lignes (à partir de la ligne {n}), "
        "se lit comme leur intitulé (leur axe{instead}) ou comme une ligne d'action prévue à "
        "0 : le tableau ne dit pas laquelle ; numérotez un intitulé (« I. … ») ou écrivez 0 "
        "dans les cellules d'une ligne d'action"),
    "plan-header-repeated": (
        "l'en-tête (ligne {n}) est imprimé de nouveau à la ligne {m} (un saut de page ?) : "
        "cette ligne est passée, ce n'est pas une ligne du plan"),
    "plan-header-units-repeated": (
        "l'en-tête et sa ligne d'unités sont imprimés de nouveau aux lignes {n} et {m} (un "
        "saut de page ?) : ces lignes sont passées, ce ne sont pas des lignes du plan"),
    "plan-note-row": (
        "{text} sous la dernière ligne se lit comme une note (la marque d'une note, puis du "
        "texte seul), pas comme une ligne d'action ; aucune cellule ne porte sa marque "
        "{other} : mettez la marque après le montant ou le libellé qu'elle annote, ou, s'il "
        "s'agit d'une ligne d'action, écrivez 0 dans ses cellules"),
    "plan-partial-total-counted": (
        "{text} imprime les sommes des lignes au-dessus de lui, et la ligne Total (ligne {n}) "
        "le compte comme une ligne : lu comme un total partiel, la ligne Total est fausse de "
        "ses montants ; lu comme une ligne, son argent est compté deux fois (sur lui et sur "
        "les lignes qu'il additionne) : si c'est un total partiel, corrigez la ligne Total ; "
        "si c'est une ligne d'action, renommez-la pour qu'elle ne commence pas par « Total »"),
    "plan-partial-total-last": (
        "{text} imprime les sommes des lignes au-dessus de lui et des lignes le suivent, sans "
        "ligne Total sous elles : lu comme la ligne Total du plan, il laisse dehors les lignes "
        "qui le suivent ; lu comme un total partiel, rien ne les vérifie : si c'est la ligne "
        "Total, remontez ces lignes au-dessus de lui ; si c'est un total partiel, imprimez la "
        "ligne Total du plan sous la dernière ligne (ou supprimez cette ligne)"),
    "plan-total-misplaced": (
        "des lignes suivent cette ligne lue comme la ligne Total, dont les montants ne sont "
        "pas les sommes des lignes au-dessus : si {text} est une ligne d'action, renommez-la "
        "pour qu'elle ne commence pas par « Total » (ou imprimez une ligne Total sous la "
        "dernière ligne) ; si c'est la ligne Total, remontez ces lignes au-dessus d'elle"),
    "plan-outer-heading": (
        "{text} a des montants, et sous lui un intitulé imprime des sous-totaux : lu comme un "
        "intitulé au-dessus de ces intitulés, ses montants ne sont pas les sommes des lignes "
        "sous lui (ni des sous-totaux des intitulés) ; lu comme une ligne d'action, son argent "
        "s'ajoute au leur : si c'est un intitulé, corrigez ses montants ou laissez ses "
        "cellules vides ; si c'est une ligne d'action, placez-la sous la dernière ligne de son "
        "axe"),
    "plan-unit-two": (
        "l'en-tête imprime deux unités, {text} ({u1}) et {other} ({u2}) : les montants d'un "
        "plan sont tous dans une même unité ; convertissez la colonne"),
    "plan-unit-title": (
        "le titre au-dessus du tableau dit {u1} et l'en-tête dit {u2} au-dessus de {text} "
        "seulement : les colonnes sans unité ({other}…) sont en {u1} pour l'un et en {u2} pour "
        "l'autre ; imprimez l'unité au-dessus de chaque colonne, ou une fois dans la première "
        "cellule de l'en-tête"),
    "plan-unit-given": (
        "l'unité donnée, {u1}, contredit {place}, qui dit {text} ({u2}) : donnez "
        "l'unité {of_place}, ou aucune"),
    "plan-unit-one-column": (
        "l'en-tête imprime {u1} au-dessus de {text} mais aucune unité au-dessus de {other} "
        "({m} des colonnes des financeurs n'en imprim{m_plural} aucune) et rien ne donne "
        "l'unité du "
        "tableau : imprimez l'unité au-dessus de chaque colonne, ou une fois dans la première "
        "cellule de l'en-tête"),
    "plan-unit-assumed": (
        "{text} n'imprime aucune unité, alors que {m} des colonnes des financeurs impriment "
        "{u1} ({other}…) : ses montants sont lus en {u1} ; imprimez l'unité au-dessus d'elle, "
        "ou une fois dans la première cellule de l'en-tête"),
    "plan-unit-currency": (
        "{text} dit que les montants du plan sont dans une autre monnaie que l'euro ({other}) : "
        "ils seraient lus en euros, sans un mot ; convertissez-les en euros, ou corrigez "
        "{where} si la monnaie qu'il nomme est une erreur"),
    "plan-unit-unread": (
        "{text} dit l'unité des montants du plan avec un multiple qu'essconv ne lit pas "
        "({other}) : ils seraient lus en euros, ou dans l'unité à côté, sans un mot ; imprimez "
        "l'unité « k€ », « M€ » ou « € » dans {where}"),
    "plan-unit-assumed-euros": (
        "le tableau n'imprime aucune unité (ni « k€ » ni « en milliers d'euros » dans l'en-tête "
        "ou au-dessus) et aucune n'est donnée : ses montants sont lus en euros ; s'ils sont en "
        "k€ ou en M€, imprimez l'unité dans la première cellule de l'en-tête ou au-dessus de "
        "la colonne de chaque financeur, donnez unit= à read_plan, ou indiquez unit dans "
        "l'entrée [[plans]] du plan dans la description de la convention"),
    "plan-note-column": (
        "{text} est une colonne de remarques, aucun montant de financeur : ses textes sont "
        "gardés (plan.notes), hors de toute somme"),
    "plan-hidden-row": (
        "la ligne {n} de la feuille {text} ({other}) est masquée dans le classeur : ses "
        "montants sont lus et comptés, comme la fonction SOMME d'Excel les compte "
        "(SOUS.TOTAL(109) non) ; si la ligne est retirée, supprimez-la, sinon affichez-la"),
    "plan-hidden-column": (
        "la colonne {k} de la feuille {text} ({other}) est masquée dans le classeur : ses "
        "montants sont lus et comptés, comme la fonction SOMME d'Excel les compte ; si le "
        "financeur est retiré, supprimez la colonne, sinon affichez-la"),
    "plan-tax-mix": (
        "l'en-tête imprime des montants hors taxes ({text}, HT) et toutes taxes comprises "
        "({other}, TTC) : chaque total additionne les deux comme une seule base ; imprimez "
        "tous les montants HT ou tous TTC"),
}
# an .xlsx plan's amount in a merged range covering other amount cells: ref the range, cell
# "line × funder" of its first cell, others the cells it covers
_PLAN_MERGED_CELL = (
    "les cellules {ref} de la feuille {sheet} sont fusionnées : {value} est compté en {cell} "
    "seulement, comme le compte la fonction SOMME d'Excel, et {others} est lu vide ; si le "
    "montant est partagé, défusionnez les cellules et écrivez chaque part dans sa cellule")
# plan-tax-mix when one of the two bases is printed by a title above the header
_PLAN_TAX_MIX_TITLE = (
    "le titre (ligne {line}, colonne {column}) et l'en-tête impriment des montants hors taxes "
    "({text}, HT) et toutes taxes comprises ({other}, TTC) : chaque total additionne les deux "
    "comme une seule base ; imprimez tous les montants HT ou tous TTC")
# a plan's problem whose text packs several values (Language._plan_special), in French: a
# note's mark in a cell (alone, or after an amount), an axis row's or a heading's sub-total
# that differs from its lines; the English wording is the core's message
#: a units line under the header printed again saying another unit than the plan's
_PLAN_UNIT_AGAIN = (
    "la ligne d'unités sous l'en-tête imprimé de nouveau dit {text}, alors que les montants du "
    "plan sont lus en {unit}{whence} : les montants sous elle seraient lus en {unit} ; "
    "imprimez-les dans l'unité du plan")
#: where the plan's unit came from when no cell names it (the core's ESS_UNIT_FROM_*: 1 given,
#: 2 a title whose cell is not found, 3 none printed)
_UNIT_FROM_TITLE = 2
_PLAN_UNIT_WHENCE = {1: "l'unité donnée", _UNIT_FROM_TITLE: "le titre au-dessus du tableau",
                     3: "aucune unité imprimée au-dessus"}
_PLAN_PROBLEM_SPECIAL = {
    "plan-note-mark-cell": (
        "{line} × {funder} : {value} se termine par la marque de la note de la ligne {n} : "
        "écrivez le montant seul dans la cellule (ou laissez-la vide) et la marque dans le "
        "libellé de la ligne",
        "{line} × {funder} : {value} est la marque de la note de la ligne {n}, pas un montant "
        "(lue comme un négatif entre parenthèses, elle comptait) : écrivez le montant seul "
        "dans la cellule (ou laissez-la vide) et la marque dans le libellé de la ligne"),
    "plan-cell-unit": (
        "{line} × {funder} : {value} imprime sa propre unité, {u1}, alors que celle du plan est "
        "{u2} : lu {read} ; si le montant est en {u2}, écrivez-le sans son unité",),
    "plan-subtotal-mismatch": (
        "la ligne d'axe {text} imprime {printed} sous {column}, alors que {span} {total} : les "
        "montants d'une ligne d'axe se lisent comme les sous-totaux de ses lignes et doivent "
        "leur être égaux ; corrigez le montant ou les lignes, ou laissez vides les cellules de "
        "la ligne d'axe",
        "{text} imprime {printed} sous {column}, alors que {span} {total} : lu comme un "
        "intitulé (écrit comme l'intitulé au-dessus de lui, dont les montants sont les sommes "
        "de ses lignes), ses montants sont les sous-totaux de ses lignes et doivent leur être "
        "égaux ; lu comme une ligne d'action, son argent est compté : si c'est un intitulé, "
        "corrigez le montant ou les lignes, ou laissez ses cellules vides ; si c'est une ligne "
        "d'action, écrivez son libellé autrement que les intitulés"),
}
# an unreadable cell of a plan (Problem.reason "plan-bad-amount": detail, n, value, line and
# funder joined by "\x1f", character), in French: its place, then the amount's fault as a
# ledger's (_AMOUNT_DETAIL_TEXTS); the English wording is the core's message
_PLAN_CELL = "{line} × {funder} : "
#: a spreadsheet's typed cell where an amount is expected (plan.py's "plan-typed-cell")
_PLAN_TYPED_CELL = {"date": "{value} est une date, pas un montant",
                    "time": "{value} est une heure, pas un montant",
                    "bool": "{value} est une valeur logique (VRAI/FAUX), pas un montant"}


def _typed_value(kind: str, text: str) -> Any:
    """The value of a typed cell from the English text a problem's reason keeps."""
    if kind == "bool":
        return text == "TRUE"
    if kind == "time":
        return _dt.time.fromisoformat(text)
    return _dt.datetime.fromisoformat(text)
_PLAN_CELL_FAULTS = {
    "dash": ("{value} est un tiret là où un montant est attendu (dash_is_zero=True lit un "
             "tiret comme zéro)"),
    "too-large": "{value} dépasse ce qu'un montant en centimes peut tenir ({limit})",
    "": "{value} n'est pas un montant",
}
# an amount the column leaves undecided (an error's reason "amount-ambiguous", why: the core's
# ESS_AMBIGUOUS_*), in French; the English wording is the core's message
_AMBIGUOUS_TEXTS = {
    0: ("le montant {value} peut valoir {grouped} ou {decimal}, et aucun autre montant ne dit "
        "lequel ; dites-le avec decimal=',' (le point sépare les milliers) ou decimal='.' (le "
        "point est la marque décimale)"),
    1: ("le montant {value} peut valoir {grouped} ou {decimal}, et les autres montants se "
        "contredisent sur le point ; dites-le avec decimal=',' (le point sépare les milliers) ou "
        "decimal='.' (le point est la marque décimale)"),
    2: ("le montant {value} peut valoir {grouped} ou {decimal}, et aucun autre montant de ce "
        "fichier séparé par des virgules ne dit lequel ; dites-le avec decimal='.' (la virgule "
        "sépare les milliers) ou decimal=',' (la virgule est la marque décimale)"),
}


# the errors of the system a reader meets on a file, by errno, in French and English
# the errors of the system a reader meets on a file, by errno, in French (English: the
# system's own words, its strerror)
_OS_ERRORS = {errno.ENOENT: "fichier ou dossier introuvable",
              errno.EACCES: "accès refusé", errno.EPERM: "accès refusé",
              errno.EISDIR: "c'est un dossier, pas un fichier",
              errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
              errno.ENAMETOOLONG: "nom de fichier trop long",
              errno.ENOSPC: "plus de place sur le disque"}


#: the unit whose cents have this many decimals (money_plain.h's ess_unit_decimals)
_UNIT_OF_DECIMALS = {2: "€", 5: "k€", 8: "M€"}
#: the unit of this many cents (essconv.h's ess_unit): a plan's units as its problems give them
_UNIT_OF_CENTS = {100: "€", 100_000: "k€", 100_000_000: "M€"}


# the qualifiers French documents put before a figure, and their English
_QUALIFIERS_EN = {"plus de": "more than", "près de": "nearly", "environ": "about",
                  "moins de": "less than", "au moins": "at least", "jusqu'à": "up to"}


FRENCH = Language("fr", group=NNBSP, decimal=",", unit_space=NBSP, percent_space=NNBSP,
                  colon=NBSP + ": ")
ENGLISH = Language("en", group=",", decimal=".", unit_space=NBSP, percent_space="", colon=": ")


def _cp1252(byte: int) -> str:
    """The character CP1252 reads a byte as."""
    return bytes([byte]).decode("cp1252", errors="replace")


def language(code: str | None = "fr") -> Language:
    """The language of an output: ``'fr'`` (the default) or ``'en'``; anything else is refused.

    Example: ``essconv.messages.language("en").text("yes")`` -> ``'yes'``
    """
    if code is None or code == "fr":
        return FRENCH
    if code == "en":
        return ENGLISH
    raise InvalidValueError(f"unknown language {code!r}: expected one of {', '.join(LANGUAGES)}")


@dataclass(frozen=True)
class _Said:
    """A reader's reason for a row set aside, held alone (a refusal quotes its fault)."""
    reason: tuple
    message: str = ""


# ---------------------------------------------------------------------------- findings
@dataclass(frozen=True)
class _Context:
    lang: Language
    f: "Finding"
    plan: "Plan"
    convention: "Convention | None"

    def say(self, french: str, english: str) -> str:
        return self.lang.say(french, english)

    @property
    def unit(self) -> str:   # no plan (a suggestion worded alone): the figures as euros
        return self.plan.unit if self.plan is not None else "€"

    def amount(self, value: Decimal | None) -> str:
        return self.lang.amount(value, self.unit) if value is not None else "—"

    def number(self, value: Decimal | None) -> str:
        return self.lang.number(value, self.unit) if value is not None else "—"

    def gap(self) -> str:   # in the plan's unit, as every amount of a finding
        if self.f.actual is None or self.f.expected is None:
            return self.say("de —", "of —")
        gap = self.f.actual - self.f.expected
        # a gap past int64 cents (a printed total far from its cells) as the core says it: past
        # the limit on its side, as every sum past them is worded
        if self.gap_past():
            return self.lang.beyond_cents(below=gap < 0)
        return self.say("de ", "of ") + self.amount(gap)

    def gap_past(self) -> bool:
        """Is the finding's gap (actual - expected) past int64 cents in the plan's unit?"""
        return _gap_past_cents(self.f, self.unit)

    def sum_and_gap(self) -> tuple[str, str]:
        """A total finding's sum of cells and its parenthesis: "12 €", "écart de 3 €" -- or,
        cells adding past int64 cents (no figure: the core's fault "too-large" and its side),
        the limit passed and that they pass it, never "—" as if the sum were unknown."""
        fault = self.f.fault
        if self.f.expected is None and fault is not None and fault[0] == "too-large":
            return (self.lang.beyond_cents(below=fault[1] < 0),
                    self.say("ses cellules dépassent ce qu'un montant en centimes peut tenir, "
                             "aucun total ne peut donc être proposé : une cellule est "
                             "probablement fausse",
                             "they add past what an amount in cents holds, so no total can be "
                             "suggested: a cell is likely wrong"))
        # a gap past int64 cents binds no explanation (the core's search works in cents): no
        # correction is suggested for it, and the finding says why, as no other gap needs to
        return self.amount(self.f.expected), self.say("écart ", "a gap ") + self.gap() + (
            self.say(" ; aucune correction n'est proposée pour un écart qui dépasse ce qu'un "
                     "montant en centimes peut tenir : vérifiez ce total au regard de ses "
                     "cellules",
                     "; no correction is suggested for a gap past what an amount in cents "
                     "holds: check this total against its cells") if self.gap_past() else "")

    def cell(self) -> str:
        return f"{self.f.line} {self.say('×', 'x')} {self.f.funder}"

    def quote(self, text: str) -> str:
        return self.lang.quote(text)

    def raw(self) -> str:
        """The finding's cell exactly as printed (a malformed number has no value to format)."""
        plan, f = self.plan, self.f
        i = plan.TOTAL_AT if f.line == TOTAL else plan.line_index(
            (f.group, f.line) if plan.lines.count(f.line) > 1 else f.line)
        j = plan.TOTAL_AT if f.funder == TOTAL else plan.funder_index(f.funder)
        # a spreadsheet's date or TRUE/FALSE cell as the language writes it (04/03/2010, VRAI)
        typed = getattr(plan, "_typed", {}).get((f.source_line, f.source_column))
        if typed is not None:
            return self.lang.typed(typed)
        return plan.text_at(i, j) or ""


def _gap_past_cents(f: "Finding", unit: str) -> bool:
    """Is the finding's gap (actual - expected) past int64 cents in ``unit``?"""
    if f.actual is None or f.expected is None:
        return False
    cents = (f.actual - f.expected) * next((k for k, u in _UNIT_OF_CENTS.items() if u == unit),
                                           100)
    return not -2 ** 63 <= cents < 2 ** 63


#: the stated totals the core's search for explanations binds (reconcile.c: row_known,
#: col_known, grand_known); an axis's printed sub-total is checked after it (a suggestion that
#: leaves one wrong is ``partial`` and says so)
_SEARCHED_TOTALS = ("row-total", "column-total", "grand-total")


def kept_off_search(f: "Finding", unit: str) -> bool:
    """Is ``f`` a stated total's finding that the search for explanations leaves out -- its
    cells add past int64 cents (no figure: the core's "too-large" fault) or its gap to them is
    past them (reconcile.c's row_known / col_known / grand_known are 0)?  No correction is
    suggested for such a total, and a suggestion that reconciles "every total" leaves it as it
    is: Plan.validate gives each suggestion these findings (``Finding.kept_off``) for its words
    to name them.  Must stay the core's rule: a total the search binds is never listed."""
    if f.code not in _SEARCHED_TOTALS:
        return False
    past_sum = f.expected is None and f.fault is not None and f.fault[0] == "too-large"
    return past_sum or _gap_past_cents(f, unit)


def _total_named(c: _Context, t: "Finding") -> str:
    """A stated total as a suggestion names it: "le total de la ligne L1", "the total of column
    C", "le total général"."""
    if t.code == "grand-total":
        return c.say("le total général", "the grand total")
    if t.code == "row-total":
        return c.say(f"le total de la ligne {t.line}", f"the total of line {t.line}")
    return c.say(f"le total de la colonne {t.funder}", f"the total of column {t.funder}")


def _kept_off(c: _Context, totals: "tuple[Finding, ...] | None" = None,
              but: tuple[str, str] = (" sauf ", " except ")) -> str:
    """The stated totals a suggestion leaves as they are, said after its claim: " sauf le total
    de la ligne L1 et le total général (hors de la recherche : leurs cellules dépassent ce
    qu'un montant en centimes peut tenir)"; empty when the search bound every total.  A
    suggestion said it reconciled every total while a total whose cells add past int64 cents
    stayed wrong: every claim of "every total" a suggestion makes goes through here."""
    off = c.f.kept_off if totals is None else totals
    if not off:
        return ""
    names = [_total_named(c, t) for t in off]
    and_ = c.say(" et ", " and ")
    listed = (", ".join(names[:-1]) + and_ + names[-1]) if len(names) > 1 else names[0]
    many = len(off) > 1
    sums = [t.expected is None for t in off]   # cells past int64 cents, else a gap past them
    if all(sums):
        fr = "leurs cellules dépassent" if many else "ses cellules dépassent"
        en = "their cells add" if many else "its cells add"
    elif not any(sums):
        fr = "leurs écarts dépassent" if many else "son écart dépasse"
        en = "their gaps are" if many else "its gap is"
    else:
        fr, en = "leurs cellules ou leurs écarts dépassent", "their cells or their gaps are"
    return c.say(f"{but[0]}{listed} (hors de la recherche : {fr} ce qu'un montant en centimes "
                 f"peut tenir)",
                 f"{but[1]}{listed} (left out of the search: {en} past what an amount in cents "
                 f"holds)")


def _row_total(c: _Context) -> str:
    a, (e, g) = c.amount(c.f.actual), c.sum_and_gap()
    return c.say(f"{c.f.line} : le total indiqué, {a}, diffère de la somme de ses cellules, {e} "
                 f"({g}).",
                 f"{c.f.line}: the stated total {a} differs from the sum of its cells, {e} "
                 f"({g}).")


def _column_total(c: _Context) -> str:
    a, (e, g) = c.amount(c.f.actual), c.sum_and_gap()
    return c.say(f"{c.f.funder} : le total indiqué, {a}, diffère de la somme de sa colonne, {e} "
                 f"({g}).",
                 f"{c.f.funder}: the stated total {a} differs from the sum of its column, {e} "
                 f"({g}).")


def _grand_total(c: _Context) -> str:
    a, (e, g) = c.amount(c.f.actual), c.sum_and_gap()
    return c.say(f"Le total général indiqué, {a}, diffère de la somme de toutes les cellules, {e} "
                 f"({g}).",
                 f"The stated grand total {a} differs from the sum of all cells, {e} "
                 f"({g}).")


def _subtotal(c: _Context) -> str:
    a, (e, g) = c.amount(c.f.actual), c.sum_and_gap()
    return c.say(f"{c.f.group} : le sous-total imprimé sous {c.f.funder}, {a}, diffère de la "
                 f"somme des lignes de l'axe, {e} ({g}).",
                 f"{c.f.group}: the sub-total {a} printed under {c.f.funder} differs from the "
                 f"sum of the axis's lines, {e} ({g}).")


def _malformed_number(c: _Context) -> str:
    raw = c.quote(c.raw())
    fault = c.f.fault
    if fault is not None and fault[0] == "too-large":
        # a number all the same, too large for the exact cents: said as a sum past them is,
        # the limit on its side (fault[1], the core's side: negative under the floor)
        below = fault[1] < 0
        given = c.say(f"{c.cell()} : " + _PLAN_CELL_FAULTS["too-large"].format(
                          value=raw, limit=_past_cents_limit(below)),
                      f"{c.cell()}: {raw} does not fit an amount in cents "
                      f"({c.lang.beyond_cents(below)})")
    else:
        given = c.say(f"{c.cell()} : {raw} n'est pas un nombre",
                      f"{c.cell()}: {raw} is not a number")
    if fault is not None and fault[0] and fault[0] != "too-large":
        # why, as the parser found it, in both languages: the English report said only "is not
        # a number" where the French and the finding's own message say why
        detail, n, at, _ = fault
        if c.lang.code == "fr":
            why = c.lang._amount_fault(detail, n, c.raw(), at)
            head = f"{c.quote(c.raw())} n'est pas un montant : "
            given += f" ({why[len(head):] if why.startswith(head) else why})"
        else:
            why = _core_amount_fault(c.raw(), c.unit)
            given += f" ({why})" if why else ""
    if c.f.expected is None:
        return given + "."
    e = c.amount(c.f.expected)
    stray = fault[3] if fault is not None else ""
    if stray:   # the one character whose removal gives the figure expected
        return given + c.say(f" ; les cellules donnent {e}, ce que {raw} donne une fois retiré "
                             f"son {c.quote(stray)} en trop.",
                             f"; the cells give {e}, which {raw} reads as with its stray "
                             f"{c.quote(stray)} removed.")
    # a stated total's value is what its cells give; a cell's, what the other figures imply
    if TOTAL in (c.f.line, c.f.funder):
        return given + c.say(f" ; les cellules donnent {e}.", f"; the cells give {e}.")
    return given + c.say(f" ; les autres chiffres donnent {e}.", f"; the other figures give {e}.")


def _core_amount_fault(raw: str, unit: str) -> str:
    """Why ``raw`` is no amount, in the core's English words, read as the core reads a plan's
    cell (a decimal comma, the plan's unit): what the finding's own message says in its
    parentheses; empty if it reads after all."""
    try:
        parse_amount(raw, unit=unit, decimal=",")
    except AmountError as e:
        return str(e).partition(" is not an amount: ")[2] or str(e)
    return ""


def _unknown_funder(c: _Context) -> str:
    column = c.quote(c.f.funder)
    text = c.say(f"La colonne {column} n'est pas une partie de la convention.",
                 f"The column {column} is not a party of the convention.")
    conv = c.convention
    if c.f.target is not None:
        near = c.quote(c.f.target) + (f" ({conv.party(c.f.target).name})" if conv is not None else "")
        return text + c.say(f" Elle est à une lettre de {near} : une faute de frappe ?",
                            f" It is one edit away from {near}: a typo for it?")
    other = conv.other_funder(c.f.funder) if conv is not None else None
    if other is not None:
        maybe = f"{c.quote(other[0])} ({other[1]})"
        return text + c.say(f" Ce pourrait être {maybe}, qui n'est pas une partie.",
                            f" It may be {maybe}, which is not a party.")
    return text


def _cell_correction(c: _Context) -> str:
    plan, f = c.plan, c.f
    # what the digits say: a sign reversed, else as the core said it (the evidence is its edit's)
    transposed = 2 in (f.evidence, *(e.evidence for e in f.corrections))
    hint = _sign_hint(f) or (_EVIDENCE_WORDS[2] if transposed else None)
    held = (c.say("est vide", "is blank") if f.actual is None
            else c.say(f"contient {c.amount(f.actual)}" + (f" ({hint[0]})" if hint else ""),
                       f"holds {c.amount(f.actual)}" + (f" ({hint[1]})" if hint else "")))
    # the stated totals the suggested value reconciles: those the table prints, but those the
    # search left out (cells or a gap past int64 cents), which it leaves as they are: said
    # after, never among the reconciled ("and the grand total 100 €" stayed wrong)
    totals = []
    off = {(t.line, t.funder): t for t in f.kept_off}   # a line's: (line, None); a column's
    left = [off[k] for k in ((f.line, None), (None, f.funder), (None, None)) if k in off]
    stated = plan.stated_line_totals
    line_total = stated.get((f.group, f.line), stated.get(f.line))   # (axis, line): a repeated label
    if line_total is not None and (f.line, None) not in off:
        totals.append(c.say(f"le total de sa ligne ({c.amount(line_total)})",
                            f"its line total {c.amount(line_total)}"))
    funder_total = plan.stated_funder_totals.get(f.funder)
    if funder_total is not None and (None, f.funder) not in off:
        totals.append(c.say(f"le total {f.funder} ({c.amount(funder_total)})",
                            f"the {f.funder} total {c.amount(funder_total)}"))
    if plan.stated_total is not None and (None, None) not in off:
        totals.append(c.say(f"le total général ({c.amount(plan.stated_total)})",
                            f"the grand total {c.amount(plan.stated_total)}"))
    and_ = c.say(" et ", " and ")
    agree = (", ".join(totals[:-1]) + and_ + totals[-1]) if len(totals) > 1 else "".join(totals)
    agree = agree or c.say("les totaux", "the totals")
    e = c.amount(f.expected)
    # a single edit that mends part of the totals only (with none mending them all) says so
    but = _kept_off(c, tuple(left), (", mais pas ", ", not ")) if left else ""
    return c.say(f"{c.cell()} {held} ; {e} à cet endroit concilierait"
                 + " en partie" * f.partial + f" {agree}{but}.",
                 f"{c.cell()} {held}; {e} there "
                 + ("would reconcile in part" if f.partial else "reconciles") + f" {agree}{but}.")


def _cell_move(c: _Context) -> str:
    f, a = c.f, c.amount(c.f.actual)
    return c.say(f"{f.line} : {a} figure sous {f.funder} mais relève de {f.target} ; le déplacer "
                 f"concilierait" + " en partie" * f.partial + " les deux totaux de colonne.",
                 f"{f.line}: {a} sits under {f.funder} but belongs under {f.target}; moving it "
                 + ("would reconcile in part" if f.partial else "reconciles")
                 + " both column totals.")


def _others_agree(c: _Context, what: tuple[str, str]) -> tuple[str, str]:
    """What agrees once a stated total is corrected (``what``: "les cellules", "the cells"),
    French and English: every other total, but those the search left out (named), and when
    the edit is partial the sub-totals that still differ -- a total-correction said "the cells
    and every other total agree" while an axis's sub-total still differed after it."""
    off = _kept_off(c)
    # partial: the totals hold but a sub-total does not (reconcile.c's report_subtotals_left);
    # the partial single edits of an unexplained plan (find_partials) are cells and moves only,
    # never a total -- were one listed, "the other totals agree" would no longer be true
    if c.f.partial:
        return (f"{what[0]} et les autres totaux{off} concordent, mais pas tous les sous-totaux",
                f"{what[1]} and the other totals{off} agree, but not every sub-total")
    return (f"{what[0]} et tous les autres totaux concordent{off}",
            f"{what[1]} and every other total agree{off}")


def _total_correction(c: _Context) -> str:
    a, e = c.amount(c.f.actual), c.amount(c.f.expected)
    grand = c.f.line == TOTAL and c.f.funder == TOTAL
    hint = _sign_hint(c.f)
    fr, en = (f" ({hint[0]})", f" ({hint[1]})") if hint else ("", "")
    agree = _others_agree(c, ("les cellules", "the cells"))
    return c.say(f"{'Total général' if grand else c.cell()} : le total indiqué {a} est probablement "
                 f"une faute de frappe pour {e}{fr} ; {agree[0]}.",
                 f"{'Grand total' if grand else c.cell()}: the stated total {a} is probably mistyped "
                 f"for {e}{en}; {agree[1]}.")


def _subtotal_correction(c: _Context) -> str:
    a, e = c.amount(c.f.actual), c.amount(c.f.expected)
    evidence = c.f.evidence if c.f.evidence is not None else next(
        (e.evidence for e in c.f.corrections), None)   # the suggestion's digits are its edit's
    hint = _EVIDENCE_WORDS.get(evidence) if evidence is not None else None
    fr, en = (f" ({hint[0]})", f" ({hint[1]})") if hint else ("", "")
    agree = _others_agree(c, ("les lignes", "the lines"))
    return c.say(f"{c.f.group} : le sous-total imprimé sous {c.f.funder}, {a}, est probablement "
                 f"une faute de frappe pour {e}{fr} ; {agree[0]}.",
                 f"{c.f.group}: the sub-total {a} printed under {c.f.funder} is probably "
                 f"mistyped for {e}{en}; {agree[1]}.")


def _place(c: _Context, line: str | None, funder: str | None) -> str:
    """A cell as the findings name it: ``L1 × F1``, the Total row's and column's crossing
    ``Total général`` / ``Grand total``."""
    if line == TOTAL and funder == TOTAL:
        return c.say("Total général", "Grand total")
    return f"{line} {c.say('×', 'x')} {funder}"


# what an edit's digits say (Finding.evidence): transposed digits, one digit off
_EVIDENCE_WORDS = {2: ("chiffres intervertis ?", "digits transposed?"),
                   3: ("un chiffre de travers ?", "one digit off?")}


def _sign_hint(e: "Finding") -> tuple[str, str] | None:
    """A suggested value that is exactly the opposite of what the cell holds: its sign was
    reversed -- a refund printed without its minus sign, or a minus typed by mistake -- said
    before what the digits say (French, English); None otherwise."""
    if e.actual is None or e.expected is None or e.actual == 0 or e.expected != -e.actual:
        return None
    if e.actual > 0:
        return ("signe moins perdu ?", "minus sign lost?")
    return ("signe moins en trop ?", "stray minus sign?")


def _edit(c: _Context, e: "Finding", held: bool = False) -> str:
    """One edit of a set, in a few words: ``L1 × F1 = 144`` or ``L2 : déplacer 12 de A vers B``;
    ``held``: with the plan's unit, what the cell holds and what its digits say (``= 144 k€
    (not 141 k€: one digit off?)``, ``= 10 k€ (blank)``), as a message lists the edits."""
    # a fix to type (held False, a suggestion column) is a bare figure; a message's edits carry
    # the plan's unit, as every amount of a finding
    show = c.amount if held else c.number
    if e.code == "cell-move":
        return c.say(f"{e.line} : déplacer {show(e.actual)} de {e.funder} vers {e.target}",
                     f"{e.line}: move {show(e.actual)} from {e.funder} to {e.target}")
    place = (c.say(f"sous-total {e.group} × {e.funder}", f"sub-total {e.group} x {e.funder}")
             if e.code == "subtotal-correction" else _place(c, e.line, e.funder))
    text = f"{place} = {show(e.expected)}"
    if not held:
        return text
    if e.actual is None:
        return text + c.say(" (vide)", " (blank)")
    why = _sign_hint(e) or _EVIDENCE_WORDS.get(e.evidence)
    return text + c.say(f" (et non {show(e.actual)}" + (f" : {why[0]}" if why else "") + ")",
                        f" (not {show(e.actual)}" + (f": {why[1]}" if why else "") + ")")


def _edits(c: _Context, edits: "tuple[Finding, ...]", held: bool = False) -> str:
    return c.say(" ; ", "; ").join(_edit(c, e, held) for e in edits)


def _correction_set(c: _Context) -> str:
    n, what = len(c.f.corrections), _edits(c, c.f.corrections, held=True)
    off = _kept_off(c)   # the totals the search left out stay as they are: named
    if c.f.partial:   # sub-totals still differ after it (an unexplained finding says so)
        return c.say(f"{n} corrections ensemble concilieraient les totaux{off}, mais pas tous "
                     f"les sous-totaux : {what}.",
                     f"{n} corrections together would reconcile the totals{off} but not every "
                     f"sub-total: {what}.")
    return c.say(f"{n} corrections ensemble concilieraient tous les totaux{off} : {what}.",
                 f"{n} corrections together would reconcile every total{off}: {what}.")


def _ambiguity(c: _Context) -> str:
    f = c.f
    if f.partial:
        return c.say(f"{f.count} corrections uniques équivalentes concilient chacune une partie des "
                     f"totaux, trop pour les départager ; les premières sont listées.",
                     f"{f.count} equivalent single corrections each reconcile part of the totals, "
                     f"too many to tell apart; the first are listed.")
    many = ("" if f.count_exact else c.say("au moins ", "at least ")) + str(f.count)
    size = f.faults or (len(f.candidates[0]) if f.candidates else 1)
    cells = ", ".join(_place(c, line, funder) for line, funder in f.decisive[:3])
    # every candidate listed, and "…" when more were counted: "3 explanations: [A] or [B]"
    # left the third unsaid
    sets = c.say(" ou ", " or ").join(
        [f"[{_edits(c, s, held=True)}]" for s in f.candidates]
        + (["…"] if f.count > len(f.candidates) else []))
    decide = (c.say(f" ; le chiffre de {cells}, tiré d'un sous-total ou du plan de l'an passé, "
                    f"permettrait de trancher",
                    f"; the figure of {cells}, from a sub-total or last year's plan, would decide")
              if cells else "")
    of_size = "d'une seule correction" if size == 1 else f"de {size} corrections"
    end = "" if sets.endswith("…") else "."   # "… or …", not "… or …."
    off = _kept_off(c)
    return c.say(f"{many} explications {of_size} conviennent à tous les totaux{off}{decide} : "
                 f"{sets}{end}",
                 f"{many} explanations of {size} correction{'s' if size > 1 else ''} fit every "
                 f"total{off}{decide}: {sets}{end}")


def _unexplained(c: _Context) -> str:
    n = c.f.faults
    off = _kept_off(c)
    return c.say(f"Aucun petit ensemble de corrections ne concilie tous les totaux{off} : il en "
                 f"faudrait au moins {n}. Vérifiez la saisie du tableau.",
                 f"No small set of corrections reconciles every total{off}: it would take at "
                 f"least {n}. Check how the table was typed.")


def _no_total(c: _Context) -> str:
    return c.say("Le tableau n'indique aucun total (ni ligne ou colonne Total, ni total "
                 "général) : rien ne permet de vérifier ses cellules.",
                 "The table states no total (no Total row or column, no grand total): nothing "
                 "checks its cells.")


def _uncounted_line(c: _Context) -> str:
    f, total = c.f, c.amount(c.f.actual)
    off = _kept_off(c)
    head = c.say(f"{f.line} : tous les totaux{off} concordent sans cette ligne ({total} en tout)",
                 f"{f.line}: every total{off} holds without this line ({total} in all)")
    if f.target is None:
        return head + c.say(" : les totaux ne la comptent pas (une ligne ajoutée après eux ?).",
                            ": the totals leave it out (a line added after they were written?).")
    place = ""
    if c.plan is not None and c.plan.lines.count(f.target) == 1 and c.plan.funders:
        place = c.say(f" (ligne {c.plan.cell_place(f.target, 0)[0]} du fichier)",
                      f" (file line {c.plan.cell_place(f.target, 0)[0]})")
    return head + c.say(f" ; ses chiffres sont ceux de {f.target}{place} : saisie deux fois ?",
                        f"; its figures are those of {f.target}{place}: typed twice?")


# one entry per finding kind of the core's table (_core.finding_kinds()); a code missing here
# shows the core's message
_FINDINGS: dict[str, Callable[[_Context], str]] = {
    "row-total": _row_total,
    "column-total": _column_total,
    "grand-total": _grand_total,
    "malformed-number": _malformed_number,
    "unknown-funder": _unknown_funder,
    "cell-correction": _cell_correction,
    "cell-move": _cell_move,
    "total-correction": _total_correction,
    "correction-set": _correction_set,
    "ambiguity": _ambiguity,
    "too-many-explanations": _ambiguity,
    "unexplained": _unexplained,
    "no-total": _no_total,
    "uncounted-line": _uncounted_line,
    "subtotal": _subtotal,
    "subtotal-correction": _subtotal_correction,
}


#: what a row short of the header's cells likely is, and how to read it (Ledger.read_csv)
SHORT_ROW_HINT = ("; its last cells are likely blank ones Excel left out (it writes no "
                  "delimiter for the blank cells ending a row past a sheet's 16th line): "
                  "short_rows=\"blank\" reads such rows with those cells blank")

#: why read_scdl sets a short row aside (it has no short_rows to offer)
SCDL_SHORT_ROW_HINT = ("; it stops before a column the schema does not mark optional, so its "
                       "cells may have shifted")


def short_rows_blank_said(count: int, line: int) -> tuple[str, str]:
    """The warning of the rows Ledger.read_csv(short_rows="blank") read with their missing last
    cells blank: nothing is dropped, but how many and where the first stands is said."""
    stop = language("fr").noun(count, "ligne s'arrête", "lignes s'arrêtent")
    stops = language("en").noun(count, "row stops", "rows stop")
    english = (f"{stops} before the header's last columns (first: line {line}): "
               f"{'it was' if count == 1 else 'they were'} read with the missing last cells "
               f"blank, as asked")
    french = (f"{stop} avant les dernières colonnes de l'en-tête (la première : ligne "
              f"{line}) : {'elle a été lue' if count <= 1 else 'elles ont été lues'} avec les "
              f"dernières cellules manquantes vides, comme demandé")
    return english, french_spacing(french)


def plan_year_outside_term_said(year: int, start: int, end: int) -> tuple[str, str]:
    """A plan checked against a convention whose term does not cover its year, in English
    and French: its money cannot belong to that convention's financing."""
    english = (f"The plan is for {year}, outside the convention's term ({start}–{end}): it "
               f"cannot belong to its financing. Check the plan's year, or the convention "
               f"it is checked against.")
    french = (f"Le plan est celui de {year}, hors de la durée de la convention ({start}–{end}) : "
              f"il ne peut pas relever de son financement. Vérifiez l'année du plan, ou la "
              f"convention à laquelle il est confronté.")
    return english, french_spacing(french)


def broken_link_said(name: str, target: str, looping: bool) -> tuple[str, str]:
    """A plan file that is a symbolic link leading to no file, in English and French."""
    if looping:
        english = (f"{name}: the link points to {target}, which leads back to itself (a loop of "
                   f"links): no plan to validate; link it to the plan file itself")
        french = (f"{name} : le lien pointe vers {target}, qui ramène à lui-même (une boucle "
                  f"de liens) : aucun plan à valider ; faites-le pointer vers le fichier du "
                  f"plan lui-même")
    else:
        english = (f"{name}: the link points to {target} which does not exist: no plan to "
                   f"validate; restore the file or correct the link")
        french = (f"{name} : le lien pointe vers {target} qui n'existe pas : aucun plan à "
                  f"valider ; rétablissez le fichier ou corrigez le lien")
    return english, french_spacing(french)


def blank_past_header_said(count: int, line: int, width: int) -> tuple[str, str]:
    """The one finding (and warning) of the rows longer than the header only by blank cells at
    their end (a stray delimiter there): read without them, counted, never set aside."""
    ends = language("en").noun(count, "row ends", "rows end")
    finit = language("fr").noun(count, "ligne finit", "lignes finissent")
    english = (f"{ends} with blank cells past the header's {width} columns (first: line "
               f"{line}), a stray delimiter at the row's end: read without them")
    french = (f"{finit} par des cellules vides au-delà des {width} colonnes de l'en-tête (la "
              f"première : ligne {line}), un séparateur en trop en fin de ligne : "
              f"{'lue' if count == 1 else 'lues'} sans elles")
    return english, french_spacing(french)


def short_rows_said(count: int, line: int, columns: list[str]) -> tuple[str, str]:
    """The one finding (and warning) of the rows read with their last optional cells blank."""
    names, one = ", ".join(columns), len(columns) == 1
    stop = language("fr").noun(count, "ligne s'arrête", "lignes s'arrêtent")
    stops = language("en").noun(count, "row stops", "rows stop")
    english, french = (f"{stops} before the optional last "
                 f"{'column' if one else 'columns'} {names} (first: line {line}), as Excel "
                 f"writes a row whose last cells are blank: read with "
                 f"{'that cell' if one else 'those cells'} blank",
                 f"{stop} avant "
                 f"{'la dernière colonne facultative' if one else 'les dernières colonnes facultatives'} "
                 f"{names} (la première : ligne {line}), comme Excel écrit une ligne dont les "
                 f"dernières cellules sont vides : {'lue' if count == 1 else 'lues'} avec "
                 f"{'cette cellule vide' if one else 'ces cellules vides'}")
    return english, french_spacing(french)
