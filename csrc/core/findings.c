/*
 * findings.c -- the table of finding kinds (name, severity, scope, correctable: the one place a
 * kind is described) and the findings list every check appends to (validation, reconciliation,
 * the convention's funder check).
 *
 * Layer: base (calls error.c only).
 *
 * Invariants: the table has one row per ess_finding_code, row k holding code k + 1, names
 * unique; a finding's code has a row and its severity is that row's; items[0..count) are
 * initialised findings, count <= cap; a finding's target is -1 until a check sets it; the list
 * owns each finding's edits.
 */
#include "internal.h"

#include <assert.h>
#include <string.h>

static const ess_finding_kind kinds[] = {
    {ESS_F_ROW_TOTAL, "row-total", ESS_SEV_ERROR, ESS_SCOPE_LINE, 0},
    {ESS_F_COLUMN_TOTAL, "column-total", ESS_SEV_ERROR, ESS_SCOPE_FUNDER, 0},
    {ESS_F_GRAND_TOTAL, "grand-total", ESS_SEV_ERROR, ESS_SCOPE_PLAN, 0},
    {ESS_F_MALFORMED_NUMBER, "malformed-number", ESS_SEV_ERROR, ESS_SCOPE_CELL, 0},
    {ESS_F_UNKNOWN_FUNDER, "unknown-funder", ESS_SEV_WARNING, ESS_SCOPE_FUNDER, 0},
    {ESS_F_CELL_CORRECTION, "cell-correction", ESS_SEV_INFO, ESS_SCOPE_CELL, 1},
    {ESS_F_CELL_MOVE, "cell-move", ESS_SEV_INFO, ESS_SCOPE_CELL, 1},
    {ESS_F_TOTAL_CORRECTION, "total-correction", ESS_SEV_INFO, ESS_SCOPE_CELL, 1},
    {ESS_F_CORRECTION_SET, "correction-set", ESS_SEV_INFO, ESS_SCOPE_PLAN, 1},
    {ESS_F_AMBIGUITY, "ambiguity", ESS_SEV_WARNING, ESS_SCOPE_EXPLANATIONS, 0},
    {ESS_F_TOO_MANY, "too-many-explanations", ESS_SEV_WARNING, ESS_SCOPE_EXPLANATIONS, 0},
    {ESS_F_UNEXPLAINED, "unexplained", ESS_SEV_WARNING, ESS_SCOPE_EXPLANATIONS, 0},
};
enum { NKINDS = sizeof kinds / sizeof kinds[0] };

const ess_finding_kind *ess_finding_kinds(size_t *count)
{
    *count = NKINDS;
    return kinds;
}

const ess_finding_kind *ess_finding_kind_of(int code)
{
    if (code < 1 || code > NKINDS)
        return NULL;
    assert(kinds[code - 1].code == code);   /* the table is in code order */
    return &kinds[code - 1];
}

const char *ess_severity_name(int severity)
{
    static const char *names[] = {"error", "warning", "info"};
    return severity >= 0 && severity < 3 ? names[severity] : "?";
}

const char *ess_scope_name(int scope)
{
    static const char *names[] = {"cell", "line", "funder", "plan", "explanations"};
    return scope >= 0 && scope < 5 ? names[scope] : "?";
}

void ess_findings_clear(ess_findings *f)
{
    if (f == NULL)
        return;
    for (size_t k = 0; k < f->count; k++)
        ess_free(f->items[k].edits);
    ess_free(f->items);
    f->items = NULL;
    f->count = f->cap = 0;
}

ess_finding *ess_findings_add(ess_findings *f, int code, int line, int funder)
{
    const ess_finding_kind *kind = ess_finding_kind_of(code);
    assert(kind != NULL && f->count <= f->cap);
    if (f->count == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 16;
        ess_finding *items = ess_realloc(f->items, cap * sizeof *items);
        if (items == NULL)
            return NULL;
        f->items = items;
        f->cap = cap;
    }
    ess_finding *x = &f->items[f->count++];
    memset(x, 0, sizeof *x);
    x->code = code;
    x->severity = kind->severity;
    x->line = line;
    x->funder = funder;
    x->target = -1;
    return x;
}
