/* libFuzzer harness: the plan reader and validation.  Differential oracle: every total the core
 * computes equals an independent sum of the cells in __int128, and the pivot's margins equal
 * them; every finding points inside the plan; a text broken before its end (read with
 * ess_table_salvage) never gives a plan.  The decimal mark is given or weighed, by turns. */
#include "essconv.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ess_table *t = NULL;
    ess_plan *p = NULL;
    ess_problems probs = {0};
    ess_findings f = {0};
    ess_error err;
    ess_money_style style = {(size & 2) ? 0 : ',', ESS_UNIT_NONE, 0};
    int salvage = (size & 4) != 0;
    int read = salvage ? ess_table_salvage((const char *)data, size, ESS_ENC_AUTO, 0, &t, &err)
                       : ess_table_read((const char *)data, size, ESS_ENC_AUTO, 0, &t, &err);
    if (read == ESS_OK && ess_plan_from_table(t, &style, &p, &probs, &err) == ESS_OK) {
        if (t->broken.status != ESS_OK)
            abort();   /* a plan from a broken text would be a plan cut short without a word */
        __int128 all = 0;
        int overflow = 0;
        for (size_t i = 0; i < p->nlines; i++) {
            __int128 line = 0;
            for (size_t j = 0; j < p->nfunders; j++)
                line += p->cells[i * p->nfunders + j].cents;
            all += line;
            int64_t got;
            if (ess_plan_line_sum(p, i, &got) == ESS_OK) {
                if ((__int128)got != line)
                    abort();
            } else {
                overflow = 1;
            }
        }
        int64_t total;
        if (ess_plan_total(p, &total) == ESS_OK) {
            if ((__int128)total != all)
                abort();
            size_t rows = p->nlines + p->ngroups + 1, cols = p->nfunders + 1;
            int64_t *pivot = malloc(rows * cols * sizeof *pivot);
            if (pivot && ess_plan_pivot(p, NULL, 0, pivot) == ESS_OK &&
                pivot[rows * cols - 1] != total)
                abort();
            free(pivot);
        } else if (all >= INT64_MIN && all <= INT64_MAX && !overflow) {
            /* partial sums may overflow even when the total fits: allowed, never a wrap */
        }
        if (ess_plan_validate(p, &f, &err) == ESS_OK)
            for (size_t k = 0; k < f.count; k++) {
                const ess_finding *x = &f.items[k];
                if (x->line >= (int)p->nlines || x->funder >= (int)p->nfunders ||
                    x->line < ESS_AT_TOTAL || x->funder < ESS_AT_TOTAL)
                    abort();
            }
    }
    ess_findings_clear(&f);
    ess_problems_clear(&probs);
    ess_plan_free(p);
    ess_table_free(t);
    return 0;
}
