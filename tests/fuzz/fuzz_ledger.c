/* libFuzzer harness: the ledger reader and group-by.  Oracle: the groups' sums add up to the
 * ledger's total (an independent __int128 sum of the amount column), and their counts to the
 * rows; the Arrow export builds and releases. */
#include "essconv.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *names[] = {"montant", "f", "annee", "d"};
    int kinds[] = {ESS_COL_AMOUNT, ESS_COL_LABEL, ESS_COL_INT, ESS_COL_DATE};
    ess_csv_spec spec = {names, kinds, 4, 0, ESS_ENC_AUTO, 0, ESS_CSV_COLLECT_BAD, NULL, NULL,
                         size & 1 ? 2 : 1};
    ess_ledger *l = NULL;
    ess_bad_rows bad = {0};
    ess_error err;
    if (ess_ledger_read_csv((const char *)data, size, &spec, &l, &bad, &err) == ESS_OK) {
        __int128 all = 0;
        const int64_t *a = l->columns[l->amount].data;
        for (size_t i = 0; i < l->nrows; i++)
            all += a[i];
        int keys[3] = {1, 2, 3};
        for (size_t nk = 1; nk <= 3; nk++) {
            ess_groups *g = NULL;
            if (ess_ledger_group_by(l, keys, nk, ESS_AGG_MINMAX, 2, &g, &err) == ESS_OK) {
                __int128 s = 0;
                int64_t c = 0;
                for (size_t k = 0; k < g->ngroups; k++) {
                    s += g->sum[k];
                    c += g->count[k];
                    if (g->min[k] > g->max[k])
                        abort();
                }
                if (s != all || (size_t)c != l->nrows)
                    abort();
            } else if (err.status != ESS_EOVERFLOW) {
                abort();
            }
            ess_groups_free(g);
        }
        struct ArrowSchema schema;
        struct ArrowArray array;
        if (ess_ledger_to_arrow(l, &schema, &array, &err) == ESS_OK) {
            if (array.length != (int64_t)l->nrows)
                abort();
            schema.release(&schema);
            array.release(&array);
        }
    }
    ess_bad_rows_clear(&bad);
    ess_ledger_free(l);
    return 0;
}
