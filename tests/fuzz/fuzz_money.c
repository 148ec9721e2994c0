/* libFuzzer harness: the amount parser.  Differential oracle: an amount that parses formats
 * back and parses again to the same cents, in both styles, and formatted with fewer decimals
 * parses to its nearest multiple (ties to even); a plain digit string, and a
 * fraction printed without its leading zero, and the amount read straight ("-277513.27":
 * digits, a mark, two digits) parse to what an independent accumulation of their digits gives. */
#include "essconv.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const ess_unit units[] = {ESS_UNIT_EUR, ESS_UNIT_KEUR, ESS_UNIT_MEUR};
    for (int u = 0; u < 3; u++)
        for (int m = 0; m < 2; m++) {
            ess_money_style style = {m ? '.' : ',', units[u], (unsigned)(size & 1)};
            int64_t cents;
            ess_error err;
            int rc = ess_money_parse((const char *)data, size, &style, &cents, NULL, &err);
            if (rc != ESS_OK)
                continue;
            char buf[96];
            ess_money_format(cents, units[u], " ", style.decimal_mark == ',' ? ',' : '.', -1, buf,
                             sizeof buf);
            ess_money_style again = {style.decimal_mark == ',' ? ',' : '.', units[u], 0};
            int64_t back;
            if (style.decimal_mark == '.') {   /* English: groups are commas */
                ess_money_format(cents, units[u], ",", '.', -1, buf, sizeof buf);
            }
            if (ess_money_parse(buf, strlen(buf), &again, &back, NULL, &err) != ESS_OK ||
                back != cents)
                abort();
            /* fewer decimals than the unit holds: the nearest multiple of the step, ties to the
             * even multiple, worked out here on 128-bit floors (not the formatter's way) */
            int max_frac = 0;   /* the unit's decimals: it counts cents (100 for €, 10^8 for M€) */
            for (int64_t per = (int64_t)units[u]; per > 1; per /= 10)
                max_frac++;
            __int128 step = 1;
            for (int decimals = max_frac - 1; decimals >= 0; decimals--) {
                step *= 10;
                __int128 c = cents, lo = (c >= 0 ? c / step : -((-c + step - 1) / step)) * step;
                __int128 hi = lo + step, want = (c - lo < hi - c) ? lo
                                                : (c - lo > hi - c) ? hi
                                                : ((lo / step) % 2 == 0 ? lo : hi);
                if (want > INT64_MAX || want < INT64_MIN)
                    continue;
                ess_money_format(cents, units[u], "", '.', decimals, buf, sizeof buf);
                ess_money_style plain = {'.', units[u], 0};
                if (ess_money_parse(buf, strlen(buf), &plain, &back, NULL, &err) != ESS_OK ||
                    back != (int64_t)want || (buf[0] == '-' && want == 0))
                    abort();
            }
        }
    /* plain digits: the oracle is a plain accumulation */
    if (size > 0 && size <= 15) {
        int plain = 1;
        int64_t v = 0;
        for (size_t i = 0; i < size; i++) {
            if (data[i] < '0' || data[i] > '9') {
                plain = 0;
                break;
            }
            v = v * 10 + (data[i] - '0');
        }
        if (plain) {
            ess_money_style st = {',', ESS_UNIT_EUR, 0};
            int64_t cents;
            if (ess_money_parse((const char *)data, size, &st, &cents, NULL, NULL) != ESS_OK ||
                cents != v * 100)
                abort();
        }
    }
    /* a fraction without its leading zero (".5", "-,07"): the oracle is the digits as cents */
    {
        size_t i = (size > 0 && data[0] == '-') ? 1 : 0;
        if (size >= i + 2 && size <= i + 3 && (data[i] == '.' || data[i] == ',')) {
            int64_t v = 0;
            int ok = 1;
            for (size_t k = i + 1; k < size && ok; k++) {
                ok = data[k] >= '0' && data[k] <= '9';
                v = v * 10 + (data[k] - '0');
            }
            if (ok) {
                if (size == i + 2)
                    v *= 10;   /* one digit is tenths */
                ess_money_style st = {',', ESS_UNIT_EUR, 0};
                int64_t cents;
                if (ess_money_parse((const char *)data, size, &st, &cents, NULL, NULL) != ESS_OK ||
                    cents != (i ? -v : v))
                    abort();
            }
        }
    }
    /* [-]digits, a mark, two digits (money_plain.h reads them straight): the digits as cents,
     * in both styles (after a point, two digits are decimals even where the comma is the mark) */
    {
        size_t i = (size > 0 && data[0] == '-') ? 1 : 0;
        if (size >= i + 4 && size <= i + 19 && (data[size - 3] == '.' || data[size - 3] == ',')) {
            int64_t v = 0;
            int ok = 1;
            for (size_t k = i; k < size && ok; k++)
                if (k != size - 3) {
                    ok = data[k] >= '0' && data[k] <= '9';
                    v = v * 10 + (data[k] - '0');
                }
            for (int m = 0; m < 2 && ok; m++) {
                ess_money_style st = {m ? '.' : ',', ESS_UNIT_EUR, 0};
                int64_t cents;
                if (data[size - 3] == ',' && m)
                    continue;   /* "1234,56" in English is another question */
                if (ess_money_parse((const char *)data, size, &st, &cents, NULL, NULL) != ESS_OK ||
                    cents != (i ? -v : v))
                    abort();
            }
        }
    }
    return 0;
}
