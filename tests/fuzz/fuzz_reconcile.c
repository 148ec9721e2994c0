/* libFuzzer harness: reconciliation on built plans.  The bytes give a small matrix of amounts
 * and which totals are stated, then one cell is disturbed.  Oracle: when the suggestion ranked
 * first explains every mismatch and is a cell-correction or cell-move, applying it makes every
 * stated total agree with its cells again. */
#include "essconv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    size_t L = 1 + data[0] % 5, F = 1 + data[1] % 5;
    char text[4096];
    size_t n = 0, at = 2;
    n += (size_t)snprintf(text + n, sizeof text - n, "en k\xe2\x82\xac");
    for (size_t j = 0; j < F; j++)
        n += (size_t)snprintf(text + n, sizeof text - n, ";F%zu", j);
    n += (size_t)snprintf(text + n, sizeof text - n, ";Total\n");
    long v[5][5], row[5] = {0}, col[5] = {0}, all = 0;
    for (size_t i = 0; i < L; i++)
        for (size_t j = 0; j < F; j++) {
            v[i][j] = at < size ? data[at++] : 0;
            row[i] += v[i][j];
            col[j] += v[i][j];
            all += v[i][j];
        }
    /* disturb one cell (or none) */
    size_t di = at < size ? data[at++] % L : 0, dj = at < size ? data[at++] % F : 0;
    long delta = at < size ? (long)(data[at++] % 7) - 3 : 0;
    for (size_t i = 0; i < L; i++) {
        n += (size_t)snprintf(text + n, sizeof text - n, "L%zu", i);
        for (size_t j = 0; j < F; j++) {
            long x = v[i][j] + ((i == di && j == dj) ? delta : 0);
            if (x == 0 && (data[(i + j) % size] & 1))
                n += (size_t)snprintf(text + n, sizeof text - n, ";");   /* a blank cell */
            else
                n += (size_t)snprintf(text + n, sizeof text - n, ";%ld", x);
        }
        n += (size_t)snprintf(text + n, sizeof text - n, ";%ld\n", row[i]);
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
    if (ess_table_read(text, n, ESS_ENC_AUTO, ';', &t, &err) != ESS_OK ||
        ess_plan_from_table(t, &style, &p, &probs, &err) != ESS_OK ||
        ess_plan_validate(p, &f, &err) != ESS_OK)
        abort();   /* a well-formed generated table always reads and validates */
    const ess_finding *best = NULL;
    for (size_t k = 0; k < f.count; k++)
        if (f.items[k].rank == 1)
            best = &f.items[k];
    if (delta != 0 && best == NULL)
        abort();   /* one disturbed cell always has an explanation */
    if (best && (best->code == ESS_F_CELL_CORRECTION || best->code == ESS_F_CELL_MOVE) &&
        strstr(best->message, "in part") == NULL) {
        if (best->code == ESS_F_CELL_CORRECTION)
            ess_plan_set_cell(p, (size_t)best->line, (size_t)best->funder, ESS_CELL_VALUE,
                              best->expected);
        else {
            int64_t moved = p->cells[(size_t)best->line * p->nfunders + (size_t)best->target].cents;
            ess_plan_set_cell(p, (size_t)best->line, (size_t)best->funder, ESS_CELL_BLANK, 0);
            ess_plan_set_cell(p, (size_t)best->line, (size_t)best->target, ESS_CELL_VALUE,
                              moved + best->actual);
        }
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
