/*
 * findings.c -- the findings list every check appends to (validation, reconciliation, the
 * convention's funder check).
 *
 * Layer: base (calls error.c only).
 *
 * Invariants: items[0..count) are initialised findings, count <= cap; a finding's target is -1
 * until a check sets it; the list owns each finding's edits.
 */
#include "internal.h"

#include <assert.h>
#include <string.h>

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

ess_finding *ess_findings_add(ess_findings *f, int code, int severity, int line, int funder)
{
    assert(f->count <= f->cap);
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
    x->severity = severity;
    x->line = line;
    x->funder = funder;
    x->target = -1;
    return x;
}
