/* libFuzzer harness: bytes to cells.  Every cell lies in its row, has a line and a column >= 1,
 * and lines never go backwards. */
#include "essconv.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ess_table *t = NULL;
    ess_error err;
    char delimiter = size ? ";\t,|"[data[0] & 3] : 0;
    for (int pass = 0; pass < 2; pass++) {
        if (ess_table_read((const char *)data, size, ESS_ENC_AUTO, pass ? delimiter : 0, &t,
                           &err) != ESS_OK) {
            if (err.status == ESS_EFORMAT && (err.line < 0 || err.column < 0))
                abort();
            continue;
        }
        long last = 0;
        for (size_t r = 0; r < t->nrows; r++) {
            if (t->row_first[r] > t->row_first[r + 1] || t->row_line[r] < last)
                abort();
            last = t->row_line[r];
            for (size_t c = 0; c < ess_table_row_len(t, r); c++) {
                size_t k = t->row_first[r] + c;
                if (t->cell_line[k] < 1 || t->cell_column[k] < 1 || ess_table_cell(t, r, c) == NULL)
                    abort();
            }
        }
        ess_table_free(t);
        t = NULL;
    }
    return 0;
}
