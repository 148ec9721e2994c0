/*
 * findings.c -- the table of finding kinds (built from ESS_FINDING_KINDS in essconv.h, the one
 * place a kind is described) and the findings list every check appends to (validation, reconciliation,
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

#define ESS_FINDING_ROW_(code, name, severity, scope, correctable) \
    {code, name, severity, scope, correctable},
static const ess_finding_kind kinds[] = {ESS_FINDING_KINDS(ESS_FINDING_ROW_)};
#undef ESS_FINDING_ROW_
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

int ess_edit_finding_code(int edit_kind)
{
    static const int codes[ESS_EDIT_END] = {
        [ESS_EDIT_CELL] = ESS_F_CELL_CORRECTION,
        [ESS_EDIT_MOVE] = ESS_F_CELL_MOVE,
        [ESS_EDIT_TOTAL] = ESS_F_TOTAL_CORRECTION,
        [ESS_EDIT_SUBTOTAL] = ESS_F_SUBTOTAL_CORRECTION,
    };
    return edit_kind > 0 && edit_kind < ESS_EDIT_END ? codes[edit_kind] : ESS_F_NONE;
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
