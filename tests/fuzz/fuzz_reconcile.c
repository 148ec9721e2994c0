/* libFuzzer harness: reconciliation on built plans.  The bytes give a small matrix of amounts,
 * then up to three cells are disturbed and sometimes a stated total; max_faults comes from the
 * bytes too.  Oracles: one disturbed cell always has an explanation; the suggestion ranked
 * first, when it explains every mismatch (cell-correction, cell-move, total-correction or a
 * correction-set), makes every stated total agree with its cells once its edits are applied;
 * an ambiguity lists at least two candidate sets; the search never takes more than its bound. */
#include "essconv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Applies one edit of an explanation to the plan. */
static void apply(ess_plan *p, const ess_edit *e)
{
    if (e->kind == ESS_EDIT_MOVE) {
        const ess_plan_cell *t = &p->cells[(size_t)e->line * p->nfunders + (size_t)e->target];
        int64_t landed = (t->state == ESS_CELL_VALUE ? t->cents : 0) + e->actual;
        ess_plan_set_cell(p, (size_t)e->line, (size_t)e->funder, ESS_CELL_BLANK, 0);
        ess_plan_set_cell(p, (size_t)e->line, (size_t)e->target, ESS_CELL_VALUE, landed);
    } else {
        ess_plan_set_cell(p, (size_t)e->line, (size_t)e->funder, ESS_CELL_VALUE, e->expected);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    size_t L = 1 + data[0] % 6, F = 1 + data[1] % 6, at = 3;
    int max_faults = 1 + data[2] % 4;
    char text[8192];
    size_t n = 0;
    n += (size_t)snprintf(text + n, sizeof text - n, "en k\xe2\x82\xac");
    for (size_t j = 0; j < F; j++)
        n += (size_t)snprintf(text + n, sizeof text - n, ";F%zu", j);
    n += (size_t)snprintf(text + n, sizeof text - n, ";Total\n");
    long v[6][6], row[6] = {0}, col[6] = {0}, all = 0, shown[6][6];
    for (size_t i = 0; i < L; i++)
        for (size_t j = 0; j < F; j++) {
            v[i][j] = at < size ? data[at++] : 0;
            shown[i][j] = v[i][j];
            row[i] += v[i][j];
            col[j] += v[i][j];
            all += v[i][j];
        }
    /* disturb up to three cells (a delta of 0 leaves one alone) and perhaps a line total */
    int disturbed = 0;
    size_t faults = at < size ? data[at++] % 4 : 1;
    for (size_t k = 0; k < faults; k++) {
        size_t di = at < size ? data[at++] % L : 0, dj = at < size ? data[at++] % F : 0;
        long delta = at < size ? (long)(data[at++] % 7) - 3 : 0;
        if (shown[di][dj] + delta >= 0 && delta != 0) {
            shown[di][dj] += delta;
            disturbed++;
        }
    }
    long line_total_slip = at < size && data[at] % 5 == 0 ? 1 + data[at] % 3 : 0;
    at++;
    for (size_t i = 0; i < L; i++) {
        n += (size_t)snprintf(text + n, sizeof text - n, "L%zu", i);
        for (size_t j = 0; j < F; j++) {
            if (shown[i][j] == 0 && (data[(i + j) % size] & 1))
                n += (size_t)snprintf(text + n, sizeof text - n, ";");   /* a blank cell */
            else
                n += (size_t)snprintf(text + n, sizeof text - n, ";%ld", shown[i][j]);
        }
        n += (size_t)snprintf(text + n, sizeof text - n, ";%ld\n",
                              row[i] + (i == 0 ? line_total_slip : 0));
    }
    n += (size_t)snprintf(text + n, sizeof text - n, "Total");
    for (size_t j = 0; j < F; j++)
        n += (size_t)snprintf(text + n, sizeof text - n, ";%ld", col[j]);
    n += (size_t)snprintf(text + n, sizeof text - n, ";%ld\n", all);

    ess_table *t = NULL;
    ess_plan *p = NULL;
    ess_problems probs = {0};
    ess_findings f = {0};
    ess_error err;
    ess_money_style style = {',', ESS_UNIT_NONE, 0};
    ess_reconcile_limits limits = {max_faults, 0, 0};
    if (ess_table_read(text, n, ESS_ENC_AUTO, ';', &t, &err) != ESS_OK ||
        ess_plan_from_table(t, &style, &p, &probs, &err) != ESS_OK ||
        ess_plan_validate_with(p, &limits, &f, &err) != ESS_OK)
        abort();   /* a well-formed generated table always reads and validates */
    const ess_finding *best = NULL;
    int errors = 0;
    for (size_t k = 0; k < f.count; k++) {
        const ess_finding *x = &f.items[k];
        errors += x->severity == ESS_SEV_ERROR;
        if (x->rank == 1)
            best = x;
        if (x->code == ESS_F_AMBIGUITY || x->code == ESS_F_TOO_MANY) {
            if (x->count < 2 || (!x->partial && (x->nedits < 2 || x->edits[x->nedits - 1].set < 1)))
                abort();   /* an ambiguity names at least two candidate sets */
        }
        if (x->faults > max_faults && x->code != ESS_F_UNEXPLAINED)
            abort();       /* never an explanation larger than asked */
    }
    if (errors && disturbed == 1 && !line_total_slip && best == NULL)
        abort();   /* one disturbed cell always has an explanation */
    if (best && !best->partial) {
        if (best->nedits == 0 || best->nedits > (size_t)max_faults)
            abort();
        for (size_t k = 0; k < best->nedits; k++)
            apply(p, &best->edits[k]);
        ess_findings_clear(&f);
        if (ess_plan_validate(p, &f, &err) != ESS_OK)
            abort();
        for (size_t k = 0; k < f.count; k++)
            if (f.items[k].severity == ESS_SEV_ERROR)
                abort();   /* the fix did not reconcile */
    }
    ess_findings_clear(&f);
    ess_problems_clear(&probs);
    ess_plan_free(p);
    ess_table_free(t);
    return 0;
}
