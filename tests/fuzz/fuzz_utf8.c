/* libFuzzer harness: UTF-8 validation.  The fastest scanner (AVX2, 32 bytes a step, where the
 * CPU has it) and the portable walk judge every input alike, and at every cut of it against the
 * 32-byte blocks (the first 32 offsets). */
#include "essconv.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    for (size_t skip = 0; skip < 32 && skip <= size; skip++) {
        ess_scan_force(ESS_SCAN_SWAR);
        int portable = ess_utf8_text(text + skip, size - skip);
        ess_scan_force(ESS_SCAN_BEST);
        int fastest = ess_utf8_text(text + skip, size - skip);
        if (portable != fastest)
            abort();
    }
    return 0;
}
