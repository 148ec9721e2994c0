/*
 * convention.c -- the parts of a framework convention that compute: who the parties are and
 * how a funder code printed in a plan rolls up to one (a State service to the State), the
 * term, and the rhythm of the governance bodies (which meetings are due in a year).
 *
 * The prose of a convention (its ambition, the means of each axis, the commitments) is data
 * the host keeps; the core keeps what decisions are made from.
 *
 * Layer: analyses of a plan against the model (calls date.c, findings.c, text.c, error.c; reads a
 * plan's labels, never computes its sums).
 *
 * Invariants: party codes are unique once normalised (case, spaces and dashes ignored); a
 * party's parent is added before it, so parent < index and roll-up always terminates.
 */
#include "internal.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

ess_convention *ess_convention_new(ess_date start, ess_date end, ess_error *err)
{
    if (!ess_date_valid(start) || !ess_date_valid(end)) {
        ess_error_set(err, ESS_EINVAL, 0, 0, "the term's dates are not valid dates");
        return NULL;
    }
    if (ess_date_cmp(start, end) > 0) {
        ess_error_set(err, ESS_EINVAL, 0, 0,
                      "the term ends (%04d-%02d-%02d) before it starts (%04d-%02d-%02d)",
                      end.year, end.month, end.day, start.year, start.month, start.day);
        return NULL;
    }
    ess_convention *c = ess_calloc(1, sizeof *c);
    if (c == NULL) {
        ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
        return NULL;
    }
    c->start = start;
    c->end = end;
    c->bodies_from = start;
    return c;
}

void ess_convention_free(ess_convention *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->nparties; i++)
        ess_free(c->parties[i].code);
    for (size_t i = 0; i < c->nbodies; i++)
        ess_free(c->bodies[i].name);
    ess_free(c->parties);
    ess_free(c->bodies);
    ess_free(c);
}

/* Codes compare as analysts mean them: "CG-59", "CG 59", "cg59" are one funder, and so are
 * "Région" and "RÉGION" (text.c's fold, accented capitals included).  The spaces and dashes
 * of typography separate too: a no-break space (U+00A0, U+202F: French exports write
 * "CG 59" so) and the dashes U+2010..U+2014 a word processor puts for "-" ("CG–59").
 * Returns the separator's length in bytes at text, 0 when none starts there. */
static size_t code_separator(const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    if (s[0] == '-' || s[0] == ' ' || s[0] == '_' || s[0] == '.' || s[0] == '\t')
        return 1;
    if (len >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (len >= 3 && s[0] == 0xE2 && s[1] == 0x80 &&
        ((s[2] >= 0x90 && s[2] <= 0x94) || s[2] == 0xAF))
        return 3;
    return 0;
}

static int same_code(const char *a, const char *b)
{
    size_t alen = strlen(a), blen = strlen(b);
    for (;;) {
        size_t skip;
        while (alen > 0 && (skip = code_separator(a, alen)) > 0)
            a += skip, alen -= skip;
        while (blen > 0 && (skip = code_separator(b, blen)) > 0)
            b += skip, blen -= skip;
        if (alen == 0 || blen == 0)
            return alen == blen;
        char x[2], y[2];
        size_t n = ess_text_fold_at(a, alen, x);
        if (ess_text_fold_at(b, blen, y) != n || memcmp(x, y, n) != 0)
            return 0;
        a += n, alen -= n;
        b += n, blen -= n;
    }
}

int ess_convention_find_party(const ess_convention *c, const char *code)
{
    if (code == NULL)
        return -1;
    for (size_t i = 0; i < c->nparties; i++)
        if (same_code(c->parties[i].code, code))
            return (int)i;
    return -1;
}

int ess_convention_add_party(ess_convention *c, const char *code, const char *parent_code,
                             int signatory, ess_error *err)
{
    if (code == NULL || code[0] == '\0')
        return ess_error_set(err, ESS_EINVAL, 0, 0, "a party needs a code");
    if (ess_convention_find_party(c, code) >= 0)
        return ess_error_set(err, ESS_EINVAL, 0, 0, "the party code '%.60s' is given twice",
                             code);
    int parent = -1;
    if (parent_code != NULL && parent_code[0] != '\0') {
        parent = ess_convention_find_party(c, parent_code);
        if (parent < 0)
            return ess_error_set(err, ESS_ENOTFOUND, 0, 0,
                                 "the party '%.60s' names '%.60s' as its parent, which is not "
                                 "(yet) a party", code, parent_code);
    }
    if (c->nparties == c->parties_cap) {
        size_t cap = c->parties_cap ? c->parties_cap * 2 : 16;
        ess_party *p = ess_realloc(c->parties, cap * sizeof *p);
        if (p == NULL)
            return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
        c->parties = p;
        c->parties_cap = cap;
    }
    char *copy = ess_strndup(code, strlen(code));
    if (copy == NULL)
        return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
    c->parties[c->nparties].code = copy;
    c->parties[c->nparties].parent = parent;
    c->parties[c->nparties].signatory = signatory != 0;
    c->nparties++;
    return ESS_OK;
}

int ess_convention_add_body(ess_convention *c, const char *name, int meetings_per_year,
                            ess_error *err)
{
    if (name == NULL || name[0] == '\0')
        return ess_error_set(err, ESS_EINVAL, 0, 0, "a body needs a name");
    if (meetings_per_year < 0 || meetings_per_year > 366)
        return ess_error_set(err, ESS_EINVAL, 0, 0,
                             "'%.60s' meets %d times a year: expected 0 to 366", name,
                             meetings_per_year);
    if (c->nbodies == c->bodies_cap) {
        size_t cap = c->bodies_cap ? c->bodies_cap * 2 : 8;
        ess_body *b = ess_realloc(c->bodies, cap * sizeof *b);
        if (b == NULL)
            return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
        c->bodies = b;
        c->bodies_cap = cap;
    }
    char *copy = ess_strndup(name, strlen(name));
    if (copy == NULL)
        return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
    c->bodies[c->nbodies].name = copy;
    c->bodies[c->nbodies].meetings_per_year = meetings_per_year;
    c->nbodies++;
    return ESS_OK;
}

int ess_convention_party_of(const ess_convention *c, const char *code)
{
    int i = ess_convention_find_party(c, code);
    while (i >= 0 && c->parties[i].parent >= 0) {
        assert(c->parties[i].parent < i);   /* parents come first: the walk ends */
        i = c->parties[i].parent;
    }
    return i;
}

/* The characters of a text, each folded as same_code folds it (text.c's fold: case, accented
 * capitals included) and packed into one number, so that an edit is one character: on bytes,
 * "Region" was two edits from "Région" (é is two bytes) and never suggested.  A three- or
 * four-byte character (€, ’) is one unit too; a byte that is not UTF-8 is its own unit.
 * Returns the count, or max + 1 when the text has more than max characters. */
static size_t folded_characters(const char *text, uint32_t *out, size_t max)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t len = strlen(text), n = 0;
    for (size_t i = 0; i < len; n++) {
        if (n == max)
            return max + 1;
        size_t width = 0;
        if (s[i] >= 0xE0 && s[i] <= 0xEF)
            width = 3;
        else if (s[i] >= 0xF0 && s[i] <= 0xF4)
            width = 4;
        for (size_t k = 1; k < width; k++)
            if (i + k >= len || (s[i + k] & 0xC0) != 0x80)
                width = 0;   /* cut short or not UTF-8: its lead byte alone */
        uint32_t unit = 0;
        if (width == 0) {
            char folded[2];
            width = ess_text_fold_at(text + i, len - i, folded);
            for (size_t k = 0; k < width; k++)
                unit = unit << 8 | (unsigned char)folded[k];
        } else {
            for (size_t k = 0; k < width; k++)
                unit = unit << 8 | s[i + k];
        }
        out[n] = unit;
        i += width;
    }
    return n;
}

int ess_edit_distance(const char *a, const char *b, int cap)
{
    uint32_t x[64], y[64];
    size_t n = folded_characters(a, x, 64), m = folded_characters(b, y, 64);
    if (n > 64 || m > 64)
        return cap + 1;
    int prev[65], cur[65];
    for (size_t j = 0; j <= m; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= m; j++) {
            int best = prev[j - 1] + (x[i - 1] != y[j - 1]);
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            cur[j] = best;
        }
        memcpy(prev, cur, sizeof(int) * (m + 1));
    }
    return prev[m] > cap ? cap + 1 : prev[m];
}

int ess_convention_nearest_code(const ess_convention *c, const char *code, int max_edits)
{
    int best = -1, best_d = max_edits + 1;
    for (size_t i = 0; i < c->nparties; i++) {
        int d = ess_edit_distance(code, c->parties[i].code, max_edits);
        if (d < best_d) {
            best_d = d;
            best = (int)i;
        }
    }
    return best;
}

int ess_convention_is_active(const ess_convention *c, ess_date d)
{
    return ess_date_cmp(c->start, d) <= 0 && ess_date_cmp(d, c->end) <= 0;
}

int ess_convention_set_bodies_from(ess_convention *c, ess_date d, ess_error *err)
{
    if (!ess_date_valid(d) || ess_date_cmp(d, c->start) < 0 || ess_date_cmp(d, c->end) > 0)
        return ess_error_set(err, ESS_EINVAL, 0, 0,
                             "the bodies cannot start meeting on %04d-%02d-%02d, outside the term",
                             d.year, d.month, d.day);
    c->bodies_from = d;
    return ESS_OK;
}

int ess_convention_meetings(const ess_convention *c, int year, ess_meeting **out, size_t *count,
                            ess_error *err)
{
    *out = NULL;
    *count = 0;
    if (year < c->start.year || year > c->end.year)
        return ESS_OK;
    size_t total = 0;
    int year_days = 337 + ess_date_last_day(year, 2);
    for (size_t b = 0; b < c->nbodies; b++) {
        /* a meeting a day at most: 366 in a year of 365 days gave meeting 1 an empty period
           and put it on 1 January beside meeting 2 */
        if (c->bodies[b].meetings_per_year > year_days)
            return ess_error_set(err, ESS_EINVAL, 0, 0,
                                 "'%.60s' meets %d times a year, but %04d has %d days: one "
                                 "meeting a day at most", c->bodies[b].name,
                                 c->bodies[b].meetings_per_year, year, year_days);
        total += (size_t)c->bodies[b].meetings_per_year;
    }
    if (total == 0)
        return ESS_OK;
    ess_meeting *m = ess_calloc(total, sizeof *m);
    if (m == NULL)
        return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
    ess_date first = {year, 1, 1}, last = {year, 12, 31};
    if (ess_date_cmp(first, c->bodies_from) < 0)
        first = c->bodies_from;   /* bodies_from is never before the term's start */
    if (ess_date_cmp(last, c->end) > 0)
        last = c->end;
    size_t n = 0;
    for (size_t b = 0; b < c->nbodies; b++) {
        int per = c->bodies[b].meetings_per_year;
        for (int k = 0; k < per; k++) {
            ess_meeting x;
            x.body = (int)b;
            x.index = k + 1;
            if (per <= 12 && 12 % per == 0) {
                /* whole months: half-years, quarters, months */
                int months = 12 / per;
                x.from = (ess_date){year, k * months + 1, 1};
                int to_month = (k + 1) * months;
                x.to = (ess_date){year, to_month, ess_date_last_day(year, to_month)};
            } else {
                /* spread evenly over the days of the year -- its real length: with 365
                   in a leap year the last period stopped on 30 December */
                int days = 337 + ess_date_last_day(year, 2);
                int a = k * days / per, z = (k + 1) * days / per - 1;
                ess_date d = {year, 1, 1};
                int day_index = 0;
                x.from = x.to = d;
                for (int mo = 1; mo <= 12; mo++)
                    for (int dd = 1; dd <= ess_date_last_day(year, mo); dd++, day_index++) {
                        if (day_index == a)
                            x.from = (ess_date){year, mo, dd};
                        if (day_index == z)
                            x.to = (ess_date){year, mo, dd};
                    }
            }
            if (ess_date_cmp(x.to, first) < 0 || ess_date_cmp(x.from, last) > 0)
                continue;   /* a period outside the term, or before the bodies exist */
            if (ess_date_cmp(x.from, first) < 0)
                x.from = first;
            if (ess_date_cmp(x.to, last) > 0)
                x.to = last;
            m[n++] = x;
        }
    }
    /* date order (insertion sort: a handful of meetings) */
    for (size_t i = 1; i < n; i++) {
        ess_meeting x = m[i];
        size_t j = i;
        while (j > 0 && (ess_date_cmp(m[j - 1].to, x.to) > 0 ||
                         (ess_date_cmp(m[j - 1].to, x.to) == 0 && m[j - 1].body > x.body))) {
            m[j] = m[j - 1];
            j--;
        }
        m[j] = x;
    }
    *out = m;
    *count = n;
    return ESS_OK;
}

int ess_plan_check_funders(const ess_plan *plan, const ess_convention *c, ess_findings *out,
                           ess_error *err)
{
    for (size_t j = 0; j < plan->nfunders; j++) {
        const char *code = plan->funder_labels[j];
        if (ess_convention_party_of(c, code) >= 0)
            continue;
        ess_finding *x = ess_findings_add(out, ESS_F_UNKNOWN_FUNDER, ESS_AT_NONE,
                                          (int)j);
        if (x == NULL)
            return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory");
        x->target = ess_convention_nearest_code(c, code, 1);
        /* the host names the party and completes the message; the core says the fact */
        if (x->target >= 0)
            snprintf(x->message, sizeof x->message,
                     "The column '%.40s' is not a party of the convention; it is one edit away "
                     "from '%.40s'.", code, c->parties[x->target].code);
        else
            snprintf(x->message, sizeof x->message,
                     "The column '%.40s' is not a party of the convention.", code);
        ess_text_mend(x->message);
    }
    return ESS_OK;
}
