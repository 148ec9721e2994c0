/*
 * reconcile.c -- what a financing plan gets wrong, and the smallest explanation of it.
 *
 * Validation compares every stated total (a line's, a funder's, the grand total) with the sum
 * of the cells it covers and reports each mismatch and each unreadable number.  When totals
 * disagree, reconciliation looks for ONE edit that explains them, on cents:
 *   - cell-correction: a cell (often blank, or unreadable) whose value d away reconciles its
 *     line, its column and the grand total at once;
 *   - cell-move: a value typed in the wrong column of its line -- its line holds, and two
 *     columns are off by that same value in opposite directions;
 *   - total-correction: a stated total that is the only thing wrong (the cells and every other
 *     total agree), often with transposed digits;
 *   - and, for an unreadable total, the value its cells give, with the stray character that
 *     made it unreadable ("1 2618" for 1 261).
 * Candidates are ranked: a complete explanation before a partial one; then an unreadable cell,
 * a blank cell, a transposition of digits (the difference is a multiple of 9), one digit
 * changed, anything else.  The search is O(lines x funders x funders): plans are small.
 *
 * Sums use checked arithmetic; a plan whose sums overflow reports ESS_EOVERFLOW.
 */
#include "essconv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ess_findings_clear(ess_findings *f)
{
    if (f == NULL)
        return;
    ess_free(f->items);
    f->items = NULL;
    f->count = f->cap = 0;
}

ess_finding *ess_findings_add(ess_findings *f, int code, int severity, int line, int funder)
{
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

static void say(ess_finding *x, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void say(ess_finding *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->message, sizeof x->message, fmt, ap);
    va_end(ap);
}

/* An amount as the plan prints it: French grouping, in the plan's unit. */
typedef struct amount_text {
    char s[64];
} amount_text;

static amount_text fmt(const ess_plan *p, int64_t cents)
{
    amount_text t;
    ess_money_format(cents, p->unit, " ", ',', -1, t.s, sizeof t.s);
    return t;
}

/* ------------------------------------------------------------------ digit evidence */

/* The decimal digits of |v| in the plan's unit, as printed with no grouping. */
static void plain_digits(const ess_plan *p, int64_t v, char *buf, size_t cap)
{
    ess_money_plain(v < 0 ? -v : v, p->unit, buf, cap);
}

/* Are a and b the same digits with two adjacent ones swapped? */
static int is_transposition(const ess_plan *p, int64_t a, int64_t b)
{
    char x[40], y[40];
    plain_digits(p, a, x, sizeof x);
    plain_digits(p, b, y, sizeof y);
    size_t n = strlen(x);
    if (n != strlen(y) || a == b)
        return 0;
    size_t diff[3], nd = 0;
    for (size_t i = 0; i < n && nd < 3; i++)
        if (x[i] != y[i])
            diff[nd++] = i;
    return nd == 2 && diff[1] == diff[0] + 1 && x[diff[0]] == y[diff[1]] &&
           x[diff[1]] == y[diff[0]];
}

static int is_one_digit_change(const ess_plan *p, int64_t a, int64_t b)
{
    char x[40], y[40];
    plain_digits(p, a, x, sizeof x);
    plain_digits(p, b, y, sizeof y);
    size_t n = strlen(x), nd = 0;
    if (n != strlen(y))
        return 0;
    for (size_t i = 0; i < n; i++)
        nd += x[i] != y[i];
    return nd == 1;
}

/* Does removing one character of raw make it read as want?  Writes that character to *stray
 * (as UTF-8, NUL-terminated) when it does. */
static int stray_character(const ess_plan *p, const char *raw, int64_t want, char *stray)
{
    size_t n = strlen(raw);
    char buf[128];
    ess_money_style style = {',', p->unit, 0};
    if (n + 1 > sizeof buf)
        return 0;
    for (size_t k = 0; k < n;) {
        size_t clen = 1;
        while (k + clen < n && ((unsigned char)raw[k + clen] & 0xC0) == 0x80)
            clen++;
        memcpy(buf, raw, k);
        memcpy(buf + k, raw + k + clen, n - k - clen);
        buf[n - clen] = '\0';
        int64_t v;
        if (ess_money_parse(buf, n - clen, &style, &v, NULL, NULL) == ESS_OK && v == want) {
            memcpy(stray, raw + k, clen);
            stray[clen] = '\0';
            return 1;
        }
        k += clen;
    }
    return 0;
}

/* ------------------------------------------------------------------ the state of the totals */

typedef struct gaps {
    int64_t *row, *col;   /* stated - computed, for totals that are stated and checkable */
    char *row_known;      /* 1: the line's stated total is a VALUE and its cells readable */
    char *col_known;
    int64_t grand;
    int grand_known;
    size_t row_off, col_off;   /* how many rows / columns are off */
    int grand_off;
} gaps;

static void gaps_free(gaps *g)
{
    ess_free(g->row);
    ess_free(g->col);
    ess_free(g->row_known);
    ess_free(g->col_known);
}

static int compute_gaps(const ess_plan *p, gaps *g)
{
    size_t L = p->nlines, F = p->nfunders;
    memset(g, 0, sizeof *g);
    g->row = ess_calloc(L + 1, sizeof(int64_t));
    g->col = ess_calloc(F + 1, sizeof(int64_t));
    g->row_known = ess_calloc(L + 1, 1);
    g->col_known = ess_calloc(F + 1, 1);
    if (!g->row || !g->col || !g->row_known || !g->col_known)
        return ESS_ENOMEM;
    int64_t sum;
    for (size_t i = 0; i < L; i++) {
        if (p->line_totals[i].state != ESS_CELL_VALUE)
            continue;
        if (ess_plan_line_sum(p, i, &sum) || ess_sub(p->line_totals[i].cents, sum, &g->row[i]))
            return ESS_EOVERFLOW;
        g->row_known[i] = 1;
        g->row_off += g->row[i] != 0;
    }
    for (size_t j = 0; j < F; j++) {
        if (p->funder_totals[j].state != ESS_CELL_VALUE)
            continue;
        if (ess_plan_funder_sum(p, j, &sum) || ess_sub(p->funder_totals[j].cents, sum, &g->col[j]))
            return ESS_EOVERFLOW;
        g->col_known[j] = 1;
        g->col_off += g->col[j] != 0;
    }
    if (p->grand_total.state == ESS_CELL_VALUE) {
        if (ess_plan_total(p, &sum) || ess_sub(p->grand_total.cents, sum, &g->grand))
            return ESS_EOVERFLOW;
        g->grand_known = 1;
        g->grand_off = g->grand != 0;
    }
    return ESS_OK;
}

/* ------------------------------------------------------------------ candidates */

typedef struct candidate {
    int code;           /* ESS_F_CELL_CORRECTION, ESS_F_CELL_MOVE, ESS_F_TOTAL_CORRECTION */
    int line, funder, target;
    int64_t expected, actual;
    int has_actual;
    int complete;       /* explains every mismatch */
    int evidence;       /* 0 unreadable, 1 blank, 2 transposition, 3 one digit, 5 other */
} candidate;

typedef struct candidates {
    candidate *items;
    size_t count, cap;
} candidates;

static int push(candidates *c, candidate x)
{
    if (c->count == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        candidate *items = ess_realloc(c->items, cap * sizeof *items);
        if (items == NULL)
            return ESS_ENOMEM;
        c->items = items;
        c->cap = cap;
    }
    c->items[c->count++] = x;
    return ESS_OK;
}

static int candidate_order(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    if (x->complete != y->complete)
        return y->complete - x->complete;
    if (x->evidence != y->evidence)
        return x->evidence - y->evidence;
    if (x->line != y->line)
        return x->line - y->line;
    return x->funder - y->funder;
}

static int search(const ess_plan *p, const gaps *g, candidates *out)
{
    size_t L = p->nlines, F = p->nfunders;
    size_t mismatches = g->row_off + g->col_off + (size_t)g->grand_off;
    size_t malformed = 0;
    for (size_t k = 0; k < L * F; k++)
        malformed += p->cells[k].state == ESS_CELL_MALFORMED;
    if (mismatches == 0 && malformed == 0)
        return ESS_OK;

    /* one cell changed by d: its line, its column and the grand total move by d */
    for (size_t i = 0; i < L; i++) {
        for (size_t j = 0; j < F; j++) {
            const ess_plan_cell *c = &p->cells[i * F + j];
            int64_t d;
            if (g->row_known[i] && g->row[i] != 0)
                d = g->row[i];
            else if (g->col_known[j] && g->col[j] != 0)
                d = g->col[j];
            else if (c->state == ESS_CELL_MALFORMED && g->row_known[i])
                d = g->row[i];   /* an unreadable cell counts 0: its line says what it is */
            else if (c->state == ESS_CELL_MALFORMED && g->col_known[j])
                d = g->col[j];
            else
                continue;
            if (d == 0 && c->state != ESS_CELL_MALFORMED)
                continue;
            /* consistent with every known total, and locating: it must explain its line and
             * its column where they are stated */
            if ((g->row_known[i] && g->row[i] != d) || (g->col_known[j] && g->col[j] != d) ||
                (g->grand_known && g->grand != d))
                continue;
            if (!g->row_known[i] && !g->col_known[j])
                continue;
            if (c->state != ESS_CELL_MALFORMED && (!g->row_known[i] || !g->col_known[j])) {
                /* one total alone cannot say which cell: only a blank cell is a fair guess,
                 * and only when it is the only blank one on that line or column */
                if (c->state != ESS_CELL_BLANK)
                    continue;
                size_t blanks = 0;
                for (size_t k = 0; k < (g->row_known[i] ? F : L); k++)
                    blanks += (g->row_known[i] ? p->cells[i * F + k] : p->cells[k * F + j]).state ==
                              ESS_CELL_BLANK;
                if (blanks != 1)
                    continue;
            }
            int64_t value;
            if (ess_add(c->cents, d, &value))
                return ESS_EOVERFLOW;
            if (value < 0)
                continue;
            size_t explained = (size_t)(g->row_known[i] && g->row[i] != 0) +
                               (size_t)(g->col_known[j] && g->col[j] != 0) +
                               (size_t)(g->grand_known && g->grand != 0);
            candidate x = {ESS_F_CELL_CORRECTION, (int)i, (int)j, -1, value, c->cents,
                           c->state == ESS_CELL_VALUE, explained == mismatches, 5};
            x.evidence = c->state == ESS_CELL_MALFORMED ? 0
                         : c->state == ESS_CELL_BLANK   ? 1
                         : is_transposition(p, c->cents, value) ? 2
                         : is_one_digit_change(p, c->cents, value) ? 3
                                                                   : 5;
            if (push(out, x))
                return ESS_ENOMEM;
        }
    }

    /* a value in the wrong column of its line: the line holds, column j is over by v and
     * column k short by v, the grand total holds */
    if (g->col_off >= 2 && (!g->grand_known || g->grand == 0)) {
        for (size_t i = 0; i < L; i++) {
            if (g->row_known[i] && g->row[i] != 0)
                continue;
            for (size_t j = 0; j < F; j++) {
                const ess_plan_cell *c = &p->cells[i * F + j];
                if (c->state != ESS_CELL_VALUE || c->cents == 0 || !g->col_known[j] ||
                    g->col[j] != -c->cents)
                    continue;
                for (size_t k = 0; k < F; k++) {
                    if (k == j || !g->col_known[k] || g->col[k] != c->cents)
                        continue;
                    candidate x = {ESS_F_CELL_MOVE, (int)i, (int)j, (int)k, c->cents, c->cents,
                                   1, mismatches == 2, 1};
                    x.evidence = p->cells[i * F + k].state == ESS_CELL_BLANK ? 1 : 3;
                    if (push(out, x))
                        return ESS_ENOMEM;
                }
            }
        }
    }

    /* one stated total wrong while everything else agrees */
    if (mismatches == 1) {
        int64_t stated = 0, computed = 0;
        candidate x = {ESS_F_TOTAL_CORRECTION, ESS_AT_NONE, ESS_AT_NONE, -1, 0, 0, 1, 1, 5};
        for (size_t i = 0; i < L; i++)
            if (g->row_known[i] && g->row[i] != 0) {
                x.line = (int)i;
                x.funder = ESS_AT_TOTAL;
                stated = p->line_totals[i].cents;
                computed = stated - g->row[i];
            }
        for (size_t j = 0; j < F; j++)
            if (g->col_known[j] && g->col[j] != 0) {
                x.line = ESS_AT_TOTAL;
                x.funder = (int)j;
                stated = p->funder_totals[j].cents;
                computed = stated - g->col[j];
            }
        if (g->grand_off) {
            x.line = ESS_AT_TOTAL;
            x.funder = ESS_AT_TOTAL;
            stated = p->grand_total.cents;
            computed = stated - g->grand;
        }
        x.expected = computed;
        x.actual = stated;
        x.evidence = is_transposition(p, stated, computed) ? 2
                     : is_one_digit_change(p, stated, computed) ? 3
                                                                : 5;
        /* the cells and the other totals agree only where there are other totals to agree */
        if ((x.line == ESS_AT_TOTAL && p->has_total_column) ||
            (x.funder == ESS_AT_TOTAL && p->has_total_row)) {
            if (push(out, x))
                return ESS_ENOMEM;
        }
    }
    if (out->count > 1)
        qsort(out->items, out->count, sizeof *out->items, candidate_order);
    return ESS_OK;
}

/* ------------------------------------------------------------------ validation */

static const char *label_of(const ess_plan *p, int line)
{
    return line >= 0 ? p->line_labels[line] : "Total";
}

static const char *funder_of(const ess_plan *p, int funder)
{
    return funder >= 0 ? p->funder_labels[funder] : "Total";
}

static int report_malformed(const ess_plan *p, const ess_plan_cell *c, int line, int funder,
                            int64_t expected, int has_expected, ess_findings *out)
{
    ess_finding *x = ess_findings_add(out, ESS_F_MALFORMED_NUMBER, ESS_SEV_ERROR, line, funder);
    if (x == NULL)
        return ESS_ENOMEM;
    x->source_line = c->line;
    x->source_column = c->column;
    ess_error e;
    ess_money_style style = {',', p->unit, 0};
    int64_t dummy;
    ess_error_clear(&e);
    ess_money_parse(c->raw, strlen(c->raw), &style, &dummy, NULL, &e);
    const char *why = strstr(e.message, "is not an amount: ");
    why = why ? why + strlen("is not an amount: ") : e.message;
    char stray[8];
    if (has_expected) {
        x->has_expected = 1;
        x->expected = expected;
        if (stray_character(p, c->raw, expected, stray))
            say(x, "%.60s x %.40s: '%s' is not a number (%s); the cells give %s %s, which '%s' "
                   "reads as with its stray '%s' removed.",
                label_of(p, line), funder_of(p, funder), c->raw, why, fmt(p, expected).s,
                ess_unit_symbol(p->unit), c->raw, stray);
        else
            say(x, "%.60s x %.40s: '%s' is not a number (%s); the other figures give %s %s.",
                label_of(p, line), funder_of(p, funder), c->raw, why, fmt(p, expected).s,
                ess_unit_symbol(p->unit));
    } else {
        say(x, "%.60s x %.40s: '%s' is not a number (%s).", label_of(p, line),
            funder_of(p, funder), c->raw, why);
    }
    return ESS_OK;
}

int ess_plan_validate(const ess_plan *p, ess_findings *out, ess_error *err)
{
    size_t L = p->nlines, F = p->nfunders;
    gaps g;
    candidates cands = {NULL, 0, 0};
    int rc = compute_gaps(p, &g);
    if (rc) {
        gaps_free(&g);
        return ess_error_set(err, rc, 0, 0,
                             rc == ESS_EOVERFLOW ? "the plan's sums overflow int64 cents"
                                                 : "out of memory validating the plan");
    }
    const char *u = ess_unit_symbol(p->unit);
    /* does a line / column hold an unreadable cell?  Its sum is then unknown. */
    char *row_bad = ess_calloc(L + 1, 1), *col_bad = ess_calloc(F + 1, 1);
    int any_bad = 0;
    if (!row_bad || !col_bad)
        goto nomem;
    for (size_t i = 0; i < L; i++)
        for (size_t j = 0; j < F; j++)
            if (p->cells[i * F + j].state == ESS_CELL_MALFORMED)
                row_bad[i] = col_bad[j] = 1, any_bad = 1;

    if ((rc = search(p, &g, &cands)) != ESS_OK)
        goto fail;

    for (size_t i = 0; i < L; i++) {
        for (size_t j = 0; j < F; j++) {
            const ess_plan_cell *c = &p->cells[i * F + j];
            if (c->state != ESS_CELL_MALFORMED)
                continue;
            /* an unreadable cell: its value is what its line's total leaves for it, when the
             * search found that reconciles */
            int has = 0;
            int64_t v = 0;
            for (size_t k = 0; k < cands.count; k++)
                if (cands.items[k].code == ESS_F_CELL_CORRECTION &&
                    cands.items[k].line == (int)i && cands.items[k].funder == (int)j) {
                    has = 1;
                    v = cands.items[k].expected;
                    break;
                }
            if (report_malformed(p, c, (int)i, (int)j, v, has, out))
                goto nomem;
        }
        const ess_plan_cell *t = &p->line_totals[i];
        int64_t sum;
        if (ess_plan_line_sum(p, i, &sum)) {
            rc = ESS_EOVERFLOW;
            goto fail;
        }
        if (t->state == ESS_CELL_MALFORMED) {
            if (report_malformed(p, t, (int)i, ESS_AT_TOTAL, sum, !row_bad[i], out))
                goto nomem;
        } else if (t->state == ESS_CELL_VALUE && !row_bad[i] && g.row[i] != 0) {
            ess_finding *x = ess_findings_add(out, ESS_F_ROW_TOTAL, ESS_SEV_ERROR, (int)i, ESS_AT_TOTAL);
            if (x == NULL)
                goto nomem;
            x->has_expected = x->has_actual = 1;
            x->expected = sum;
            x->actual = t->cents;
            x->source_line = t->line;
            x->source_column = t->column;
            say(x, "%.60s: the stated total %s %s differs from the sum of its cells, %s %s "
                   "(a gap of %s).",
                p->line_labels[i], fmt(p, t->cents).s, u, fmt(p, sum).s, u, fmt(p, g.row[i]).s);
        }
    }
    for (size_t j = 0; j < F; j++) {
        const ess_plan_cell *t = &p->funder_totals[j];
        int64_t sum;
        if (ess_plan_funder_sum(p, j, &sum)) {
            rc = ESS_EOVERFLOW;
            goto fail;
        }
        if (t->state == ESS_CELL_MALFORMED) {
            if (report_malformed(p, t, ESS_AT_TOTAL, (int)j, sum, !col_bad[j], out))
                goto nomem;
        } else if (t->state == ESS_CELL_VALUE && !col_bad[j] && g.col[j] != 0) {
            ess_finding *x = ess_findings_add(out, ESS_F_COLUMN_TOTAL, ESS_SEV_ERROR, ESS_AT_TOTAL,
                                         (int)j);
            if (x == NULL)
                goto nomem;
            x->has_expected = x->has_actual = 1;
            x->expected = sum;
            x->actual = t->cents;
            x->source_line = t->line;
            x->source_column = t->column;
            say(x, "%.40s: the stated total %s %s differs from the sum of its column, %s %s "
                   "(a gap of %s).",
                p->funder_labels[j], fmt(p, t->cents).s, u, fmt(p, sum).s, u, fmt(p, g.col[j]).s);
        }
    }
    {
        const ess_plan_cell *t = &p->grand_total;
        int64_t sum;
        if (ess_plan_total(p, &sum)) {
            rc = ESS_EOVERFLOW;
            goto fail;
        }
        if (t->state == ESS_CELL_MALFORMED) {
            if (report_malformed(p, t, ESS_AT_TOTAL, ESS_AT_TOTAL, sum, !any_bad, out))
                goto nomem;
        } else if (t->state == ESS_CELL_VALUE && !any_bad && g.grand != 0) {
            ess_finding *x = ess_findings_add(out, ESS_F_GRAND_TOTAL, ESS_SEV_ERROR, ESS_AT_TOTAL,
                                         ESS_AT_TOTAL);
            if (x == NULL)
                goto nomem;
            x->has_expected = x->has_actual = 1;
            x->expected = sum;
            x->actual = t->cents;
            x->source_line = t->line;
            x->source_column = t->column;
            say(x, "The stated grand total %s %s differs from the sum of all cells, %s %s "
                   "(a gap of %s).",
                fmt(p, t->cents).s, u, fmt(p, sum).s, u, fmt(p, g.grand).s);
        }
    }

    /* suggestions, most likely first; the fix of an unreadable cell is already in its
     * malformed-number finding */
    int rank = 0;
    for (size_t k = 0; k < cands.count; k++) {
        const candidate *c = &cands.items[k];
        if (c->code == ESS_F_CELL_CORRECTION &&
            p->cells[(size_t)c->line * F + (size_t)c->funder].state == ESS_CELL_MALFORMED)
            continue;
        ess_finding *x = ess_findings_add(out, c->code, ESS_SEV_INFO, c->line, c->funder);
        if (x == NULL)
            goto nomem;
        x->rank = ++rank;
        x->target = c->target;
        x->has_expected = 1;
        x->expected = c->expected;
        x->has_actual = c->has_actual;
        x->actual = c->actual;
        const char *scope = c->complete ? "reconciles" : "would reconcile in part";
        if (c->code == ESS_F_CELL_CORRECTION) {
            const ess_plan_cell *cell = &p->cells[(size_t)c->line * F + (size_t)c->funder];
            x->source_line = cell->line;
            x->source_column = cell->column;
            char what[120];
            if (cell->state == ESS_CELL_BLANK)
                snprintf(what, sizeof what, "is blank");
            else
                snprintf(what, sizeof what, "holds %s%s", fmt(p, c->actual).s,
                         c->evidence == 2 ? " (digits transposed?)" : "");
            char totals[200] = "";
            size_t n = 0;
            if (g.row_known[c->line])
                n += (size_t)snprintf(totals + n, sizeof totals - n, "its line total %s",
                                      fmt(p, p->line_totals[c->line].cents).s);
            if (g.col_known[c->funder] && n < sizeof totals)
                n += (size_t)snprintf(totals + n, sizeof totals - n, "%sthe %.30s total %s",
                                      n ? ", " : "", p->funder_labels[c->funder],
                                      fmt(p, p->funder_totals[c->funder].cents).s);
            if (g.grand_known && n < sizeof totals)
                snprintf(totals + n, sizeof totals - n, "%sthe grand total %s", n ? " and " : "",
                         fmt(p, p->grand_total.cents).s);
            say(x, "%.60s x %.40s %s; %s %s there %s %s.", p->line_labels[c->line],
                p->funder_labels[c->funder], what, fmt(p, c->expected).s, u, scope, totals);
        } else if (c->code == ESS_F_CELL_MOVE) {
            const ess_plan_cell *cell = &p->cells[(size_t)c->line * F + (size_t)c->funder];
            x->source_line = cell->line;
            x->source_column = cell->column;
            say(x, "%.60s: %s %s sits under %.40s but belongs under %.40s; moving it %s both "
                   "column totals.",
                p->line_labels[c->line], fmt(p, c->actual).s, u, p->funder_labels[c->funder],
                p->funder_labels[c->target], scope);
        } else {
            const ess_plan_cell *t = c->line == ESS_AT_TOTAL && c->funder == ESS_AT_TOTAL
                                         ? &p->grand_total
                                     : c->funder == ESS_AT_TOTAL ? &p->line_totals[c->line]
                                                                 : &p->funder_totals[c->funder];
            x->source_line = t->line;
            x->source_column = t->column;
            say(x, "%.60s x %.40s: the stated total %s is probably mistyped for %s %s%s; the "
                   "cells and every other total agree.",
                label_of(p, c->line), funder_of(p, c->funder), fmt(p, c->actual).s,
                fmt(p, c->expected).s, u, c->evidence == 2 ? " (digits transposed)" : "");
        }
    }
    rc = ESS_OK;
    goto done;
nomem:
    rc = ESS_ENOMEM;
fail:
    ess_error_set(err, rc, 0, 0,
                  rc == ESS_EOVERFLOW ? "the plan's sums overflow int64 cents"
                                      : "out of memory validating the plan");
done:
    ess_free(row_bad);
    ess_free(col_bad);
    ess_free(cands.items);
    gaps_free(&g);
    return rc;
}
