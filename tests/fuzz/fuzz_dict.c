/* libFuzzer harness: the label dictionary (dict.c, dict_probe.h).  The input is a list of
 * labels, each a length byte (0..40) and that many bytes, any value; every label is copied to
 * a block of its exact length (ASan sees a read past it).  Oracles, against a linear twin of
 * the labels seen: each label's code is its first sight; find agrees; the string kept is the
 * label, NUL after it; the same labels interned in chunk dictionaries (chunks of 1..8 labels,
 * from the input's first byte) and merged one after another give the same codes. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_LABELS = 512 };

typedef struct label {
    char *bytes;
    size_t len;
} label;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static label seen[MAX_LABELS];
    size_t nseen = 0, chunk = size ? (size_t)(data[0] % 8) + 1 : 1, in_part = 0;
    ess_dict whole, part, merged;
    memset(&whole, 0, sizeof whole);
    memset(&part, 0, sizeof part);
    memset(&merged, 0, sizeof merged);
    int32_t codes[MAX_LABELS], part_codes[8];
    size_t labels = 0;
    for (size_t at = size ? 1 : 0; at < size && labels < MAX_LABELS; labels++) {
        size_t len = data[at++] % 41;
        len = len < size - at ? len : size - at;
        char *bytes = malloc(len ? len : 1);
        if (bytes == NULL)
            abort();
        memcpy(bytes, data + at, len);
        at += len;
        size_t want = 0;
        while (want < nseen && !(seen[want].len == len && memcmp(seen[want].bytes, bytes, len) == 0))
            want++;
        int32_t code = ess_dict_intern(&whole, bytes, len);
        if (code != (int32_t)want || whole.lengths[code] != len ||
            memcmp(ess_dict_string(&whole, code), bytes, len) != 0 ||
            ess_dict_string(&whole, code)[len] != '\0' || ess_dict_find(&whole, bytes, len) != code)
            abort();
        codes[labels] = code;
        if (want == nseen)
            seen[nseen++] = (label){bytes, len};
        else
            free(bytes);
        part_codes[in_part++] = ess_dict_intern(&part, seen[want].bytes, len);
        if (in_part == chunk || labels + 1 == MAX_LABELS) {
            int32_t recode[8];
            if (ess_dict_merge(&merged, &part, recode) != ESS_OK)
                abort();
            for (size_t k = 0; k < in_part; k++)
                if (recode[part_codes[k]] != codes[labels + 1 - in_part + k])
                    abort();
            ess_dict_clear(&part);
            in_part = 0;
        }
    }
    int32_t recode[8];
    if (in_part > 0 && ess_dict_merge(&merged, &part, recode) != ESS_OK)
        abort();
    for (size_t k = 0; k < in_part; k++)
        if (recode[part_codes[k]] != codes[labels - in_part + k])
            abort();
    if (merged.count != nseen || whole.count != nseen)
        abort();
    for (size_t k = 0; k < nseen; k++) {
        if (ess_dict_find(&merged, seen[k].bytes, seen[k].len) != (int32_t)k)
            abort();
        free(seen[k].bytes);
    }
    ess_dict_clear(&part);
    ess_dict_clear(&whole);
    ess_dict_clear(&merged);
    return 0;
}
