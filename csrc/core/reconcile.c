/*
 * reconcile.c -- what a financing plan gets wrong, and the smallest explanation of it.
 *
 * Validation compares every stated total (a line's, a funder's, the grand total) with the sum
 * of the cells it covers and reports each mismatch and each unreadable number.  When totals
 * disagree, reconciliation looks for the SMALLEST set of edits that explains them all, on cents
 * (at most limits.max_faults edits, 3 by default):
 *   - a cell given another value (often a blank one, or a slip of the digits): its line, its
 *     column and the grand total move by the same amount;
 *   - a value typed in the wrong column of its line: two columns move, in opposite directions;
 *   - a stated total that is itself wrong;
 * unreadable cells are filled on the way, and an unreadable total gets the value its cells give,
 * with the stray character that made it unreadable ("1 2618" for 1 261).
 * One edit comes out as it always did (cell-correction, cell-move, total-correction); several as
 * one correction-set.  Explanations of the same size are ranked by their digits: an unreadable
 * cell, a blank one, a move to a blank neighbour, two digits swapped, one digit changed, dropped
 * or added, anything else.  When several fit, an ambiguity (or too-many-explanations, past the
 * ones listed) says so with the candidate sets and what would decide; when none of at most
 * max_faults edits does, unexplained says how many it would take at least, and the single edits
 * that mend part of the totals are counted and the likeliest listed.
 *
 * Layer: analyses (calls plan.c, findings.c, money.c, error.c).
 *
 * Invariants: sums use checked arithmetic, exact past int64 cents (wraps counted); a printed
 * total whose cells sum past int64 cents, or whose gap to its cells is past them while both
 * fit, is a finding at that total, the figure past them said with the limit -- the whole plan
 * is refused (ESS_EOVERFLOW) only when no sum past them has a printed total to say it at;
 * a search's edits are undone in the reverse order they were made, so after it the gaps are
 * those of the plan again.
 */
#include "internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    ess_text_mend(x->message);
}

/* An amount in a finding's message, in the plan's unit.  The messages are English sentences,
 * so their numbers are English too ("1,250", "2.50 €"): French grouping ("1 250") inside them
 * read as two numbers to an English reader, and a French one reads the committee's words from
 * essconv.messages, not these.  Euros with cents show both digits, as messages.py prints them. */
typedef struct amount_text {
    char s[64];
} amount_text;

static amount_text fmt(const ess_plan *p, int64_t cents)
{
    amount_text t;
    int cents_shown = (p->unit == ESS_UNIT_EUR || p->unit == ESS_UNIT_NONE) && cents % 100 != 0;
    ess_money_format(cents, p->unit, ",", '.', cents_shown ? 2 : -1, t.s, sizeof t.s);
    return t;
}

/* ------------------------------------------------------------------ digit evidence */

/* The decimal digits of |v| in the plan's unit, as printed with no grouping.  v is printed with
 * its sign and the sign dropped, not negated first: -INT64_MIN does not fit int64 (a cell of
 * -2^63 cents is a readable value), and ess_money_plain prints it from its unsigned magnitude. */
static void plain_digits(const ess_plan *p, int64_t v, char *buf, size_t cap)
{
    ess_money_plain(v, p->unit, buf, cap);
    if (buf[0] == '-')
        memmove(buf, buf + 1, strlen(buf));
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
    /* a stated total whose gap (stated - cells) is past int64 cents while both figures fit
     * ("-max" printed where the cells give "max"): the side it leaves them by
     * (ESS_ABOVE_INT64, ESS_BELOW_INT64), 0 for a gap held.  Such a total is off, said at its
     * cell (check_stated_total), and binds no explanation: no edit of int64 cents mends it but
     * its own correction.  So is a readable total whose cells sum past int64 cents ("100"
     * printed over cells giving 2 x max): it is off whatever its gap (*_past the gap's side when
     * the gap is past them too, else 0 and the exact gap kept), said at its cell with its cells'
     * sum worded past the limit -- validate() refused the whole plan for it, blaming the largest
     * cell, and never said which total was wrong */
    signed char *row_past, *col_past;
    int grand_past;
} gaps;

static void gaps_free(gaps *g)
{
    ess_free(g->row);
    ess_free(g->col);
    ess_free(g->row_known);
    ess_free(g->col_known);
    ess_free(g->row_past);
    ess_free(g->col_past);
}

/* stated - (the cells' sum as the plan holds it: sum, carry wraps of 2^64), exact: *gap when
 * it fits int64 cents (0 returned), else the side it leaves them by.  A printed total far from
 * its cells ("-max" against cells giving "max") has a gap no int64 holds while both its
 * figures fit: validate() refused the whole plan for it, blaming the largest figure, where the
 * printed total alone is wrong. */
static int exact_gap(int64_t stated, int64_t sum, int64_t carry, int64_t *gap)
{
    int64_t g = stated, c = -carry;
    ess_sub_counting_wraps(&g, sum, &c);
    if (c != 0)
        return c < 0 ? ESS_BELOW_INT64 : ESS_ABOVE_INT64;
    *gap = g;
    return 0;
}

/* The cells of line i (funder ESS_AT_TOTAL), of funder j (line ESS_AT_TOTAL) or all of them,
 * summed modulo 2^64, the wraps in *carry: exact whatever their order. */
static int64_t cells_sum(const ess_plan *p, int line, int funder, int64_t *carry)
{
    int64_t sum = 0;
    size_t F = p->nfunders;
    *carry = 0;
    /* only the cells covered: every total summed once, O(lines x funders) in all */
    size_t i0 = line == ESS_AT_TOTAL ? 0 : (size_t)line;
    size_t i1 = line == ESS_AT_TOTAL ? p->nlines : (size_t)line + 1;
    size_t j0 = funder == ESS_AT_TOTAL ? 0 : (size_t)funder;
    size_t j1 = funder == ESS_AT_TOTAL ? F : (size_t)funder + 1;
    for (size_t i = i0; i < i1; i++)
        for (size_t j = j0; j < j1; j++)
            ess_add_counting_wraps(&sum, p->cells[i * F + j].cents, carry);
    return sum;
}

static int compute_gaps(const ess_plan *p, gaps *g)
{
    size_t L = p->nlines, F = p->nfunders;
    memset(g, 0, sizeof *g);
    g->row = ess_calloc(L + 1, sizeof(int64_t));
    g->col = ess_calloc(F + 1, sizeof(int64_t));
    g->row_known = ess_calloc(L + 1, 1);
    g->col_known = ess_calloc(F + 1, 1);
    g->row_past = ess_calloc(L + 1, 1);
    g->col_past = ess_calloc(F + 1, 1);
    if (!g->row || !g->col || !g->row_known || !g->col_known || !g->row_past || !g->col_past)
        return ESS_ENOMEM;
    int64_t sum, carry;
    for (size_t i = 0; i < L; i++) {
        if (p->line_totals[i].state != ESS_CELL_VALUE)
            continue;
        sum = cells_sum(p, (int)i, ESS_AT_TOTAL, &carry);
        g->row_past[i] = (signed char)exact_gap(p->line_totals[i].cents, sum, carry, &g->row[i]);
        g->row_known[i] = g->row_past[i] == 0 && carry == 0;
        g->row_off += !g->row_known[i] || g->row[i] != 0;
    }
    for (size_t j = 0; j < F; j++) {
        if (p->funder_totals[j].state != ESS_CELL_VALUE)
            continue;
        sum = cells_sum(p, ESS_AT_TOTAL, (int)j, &carry);
        g->col_past[j] = (signed char)exact_gap(p->funder_totals[j].cents, sum, carry, &g->col[j]);
        g->col_known[j] = g->col_past[j] == 0 && carry == 0;
        g->col_off += !g->col_known[j] || g->col[j] != 0;
    }
    if (p->grand_total.state == ESS_CELL_VALUE) {
        sum = cells_sum(p, ESS_AT_TOTAL, ESS_AT_TOTAL, &carry);
        g->grand_past = exact_gap(p->grand_total.cents, sum, carry, &g->grand);
        g->grand_known = g->grand_past == 0 && carry == 0;
        g->grand_off = !g->grand_known || g->grand != 0;
    }
    return ESS_OK;
}

/* ------------------------------------------------------------------ the search
 *
 * An explanation is a set of edits after which every stated total that binds agrees with its
 * cells.  Edits: a cell given a new value (it moves its line, its column and the grand total
 * by the same amount), a value moved to another column of its line (two columns move, in
 * opposite directions), a stated total corrected (its constraint is dropped).  Unreadable cells
 * are unknowns that every explanation must fill; they do not count as edits.
 *
 * The search is a depth-first search, deepened one edit at a time (so the first explanations
 * found are the smallest), that branches on ONE total still off: every explanation must touch
 * it.  An edit's amount is never guessed: a cell alone (among the edits still to come) in its
 * line takes what the line lacks, or alone in its column what the column lacks -- and among at
 * most three cells one always is (four are needed for a cycle), so no explanation of up to
 * three edits is missed (past three, one whose cells close a cycle may be).  Moves take the value the cell holds (the whole gap when one edit is left).  So a
 * line off branches into 2F+1 edits, a column into 2L+1 plus its moves, and a lower bound (an
 * edit mends at most one line, two columns, three totals) prunes what cannot finish in time.
 * Work is counted and capped (limits.max_work), as is the number of explanations kept: past
 * either, counts become lower bounds and the findings say so.  Finding the totals off is
 * O(lines x funders); one fault costs O(lines + funders) more.
 */

#define FAULTS_LIMIT 6            /* the largest max_faults accepted */
#define DEFAULT_FAULTS 3
#define DEFAULT_LISTED 5
#define DEFAULT_WORK 4000000u
#define STORE_LIMIT 4096          /* explanations kept (duplicates included) before stopping */
#define PARTIAL_KEPT 2048         /* partial single edits kept for ranking */

typedef struct explanation {
    int size;                     /* edits */
    int score;                    /* sum of the edits' evidence: lower is more plausible */
    ess_edit edits[FAULTS_LIMIT];
} explanation;

typedef struct undo {             /* the residuals an edit changed, to put back */
    int64_t row, col, col2, grand;
} undo;

typedef struct search {
    const ess_plan *p;
    size_t L, F;
    int64_t *row, *col, grand;    /* residuals now: stated - cells, edits applied */
    char *row_on, *col_on;        /* the total binds: stated as a value and not corrected */
    int grand_on;
    size_t *row_bad, *col_bad;    /* unreadable cells in each line / column */
    size_t *bad;                  /* the unreadable cells, as i * F + j */
    size_t nbad;
    int64_t *bad_value;           /* peel(): the value each unreadable cell takes */
    int64_t *peel_row, *peel_col; /* peel(): scratch residuals, used only where cells are bad */
    size_t *peel_rcount, *peel_ccount;
    int64_t *peel_rcarry, *peel_ccarry;   /* peel(): the residuals' wraps (see there) */
    int64_t *row_sum, *col_sum, total_sum;   /* the cells as read, modulo 2^64 ... */
    int64_t *row_carry, *col_carry, total_carry;   /* ... their wraps: a sum past int64
                                                    * cents as read may fit once corrected */
    size_t off_rows, off_cols;    /* binding, nonzero, with no unreadable cell */
    ess_edit stack[FAULTS_LIMIT];
    undo undos[FAULTS_LIMIT];
    int depth, limit;
    uint64_t work, max_work;
    int cut;                      /* the budget or the store ran out: counts are lower bounds */
    int status;                   /* ESS_OK, or ESS_ENOMEM met while recording */
    explanation *found;
    size_t nfound, capfound;
    int fail_line, fail_funder;   /* peel(): a total that stays off (ESS_AT_NONE: none) */
    int negatives;                /* the plan prints a negative figure: a cell may be < 0 */
} search;

static int row_off(const search *s, size_t i)
{
    return s->row_on[i] && s->row[i] != 0 && s->row_bad[i] == 0;
}

static int col_off(const search *s, size_t j)
{
    return s->col_on[j] && s->col[j] != 0 && s->col_bad[j] == 0;
}

static int grand_off(const search *s)
{
    return s->grand_on && s->grand != 0 && s->nbad == 0;
}

/* No set of fewer edits can mend what is off: each mends one line, two columns, three totals. */
static int lower_bound(const search *s)
{
    size_t all = s->off_rows + s->off_cols + (size_t)grand_off(s);
    size_t lb = s->off_rows;
    if ((s->off_cols + 1) / 2 > lb)
        lb = (s->off_cols + 1) / 2;
    if ((all + 2) / 3 > lb)
        lb = (all + 2) / 3;
    return lb > INT32_MAX ? INT32_MAX : (int)lb;
}

static void search_free(search *s)
{
    ess_free(s->row);
    ess_free(s->col);
    ess_free(s->row_on);
    ess_free(s->col_on);
    ess_free(s->row_bad);
    ess_free(s->col_bad);
    ess_free(s->bad);
    ess_free(s->bad_value);
    ess_free(s->peel_row);
    ess_free(s->peel_col);
    ess_free(s->peel_rcount);
    ess_free(s->peel_ccount);
    ess_free(s->peel_rcarry);
    ess_free(s->peel_ccarry);
    ess_free(s->row_sum);
    ess_free(s->col_sum);
    ess_free(s->row_carry);
    ess_free(s->col_carry);
    ess_free(s->found);
}

static int search_init(search *s, const ess_plan *p, const gaps *g, const ess_reconcile_limits *lim)
{
    size_t L = p->nlines, F = p->nfunders;
    memset(s, 0, sizeof *s);
    s->p = p;
    s->L = L;
    s->F = F;
    s->limit = lim->max_faults;
    s->max_work = lim->max_work;
    s->row = ess_calloc(L + 1, sizeof *s->row);
    s->col = ess_calloc(F + 1, sizeof *s->col);
    s->row_on = ess_calloc(L + 1, 1);
    s->col_on = ess_calloc(F + 1, 1);
    s->row_bad = ess_calloc(L + 1, sizeof *s->row_bad);
    s->col_bad = ess_calloc(F + 1, sizeof *s->col_bad);
    s->peel_row = ess_calloc(L + 1, sizeof *s->peel_row);
    s->peel_col = ess_calloc(F + 1, sizeof *s->peel_col);
    s->peel_rcount = ess_calloc(L + 1, sizeof *s->peel_rcount);
    s->peel_ccount = ess_calloc(F + 1, sizeof *s->peel_ccount);
    s->peel_rcarry = ess_calloc(L + 1, sizeof *s->peel_rcarry);
    s->peel_ccarry = ess_calloc(F + 1, sizeof *s->peel_ccarry);
    s->row_sum = ess_calloc(L + 1, sizeof *s->row_sum);
    s->col_sum = ess_calloc(F + 1, sizeof *s->col_sum);
    s->row_carry = ess_calloc(L + 1, sizeof *s->row_carry);
    s->col_carry = ess_calloc(F + 1, sizeof *s->col_carry);
    if (!s->row || !s->col || !s->row_on || !s->col_on || !s->row_bad || !s->col_bad ||
        !s->peel_row || !s->peel_col || !s->peel_rcount || !s->peel_ccount || !s->row_sum ||
        !s->col_sum || !s->peel_rcarry || !s->peel_ccarry || !s->row_carry || !s->col_carry)
        return ESS_ENOMEM;
    for (size_t k = 0; k < L * F; k++)
        s->nbad += p->cells[k].state == ESS_CELL_MALFORMED;
    s->bad = ess_calloc(s->nbad + 1, sizeof *s->bad);
    s->bad_value = ess_calloc(s->nbad + 1, sizeof *s->bad_value);
    if (!s->bad || !s->bad_value)
        return ESS_ENOMEM;
    size_t nb = 0;
    for (size_t i = 0; i < L; i++)
        for (size_t j = 0; j < F; j++)
            if (p->cells[i * F + j].state == ESS_CELL_MALFORMED) {
                s->bad[nb++] = i * F + j;
                s->row_bad[i]++;
                s->col_bad[j]++;
            }
    /* a sum past int64 cents binds no explanation (row_known is 0): a printed total over it
     * is said off at its cell (an unreadable one as an unreadable number with no value to give
     * it) -- the plan refused named no total.  Only when every sum past them has no total
     * printed is there no place for a finding: ESS_EOVERFLOW, the error naming the largest
     * figure, as plan.total() refuses it */
    int placed = 0, unplaced = 0;
#define PAST_AT(carry, t)                                                              \
    do {                                                                               \
        if ((carry) != 0 && ((t).state == ESS_CELL_VALUE || (t).state == ESS_CELL_MALFORMED)) \
            placed = 1;                                                                \
        else if ((carry) != 0)                                                         \
            unplaced = 1;                                                              \
    } while (0)
    for (size_t i = 0; i < L; i++) {
        s->row_sum[i] = cells_sum(p, (int)i, ESS_AT_TOTAL, &s->row_carry[i]);
        PAST_AT(s->row_carry[i], p->line_totals[i]);
        s->row[i] = g->row[i];
        s->row_on[i] = g->row_known[i];
        s->off_rows += (size_t)row_off(s, i);
    }
    for (size_t j = 0; j < F; j++) {
        s->col_sum[j] = cells_sum(p, ESS_AT_TOTAL, (int)j, &s->col_carry[j]);
        PAST_AT(s->col_carry[j], p->funder_totals[j]);
        s->col[j] = g->col[j];
        s->col_on[j] = g->col_known[j];
        s->off_cols += (size_t)col_off(s, j);
    }
    s->total_sum = cells_sum(p, ESS_AT_TOTAL, ESS_AT_TOTAL, &s->total_carry);
    PAST_AT(s->total_carry, p->grand_total);
#undef PAST_AT
    if (unplaced && !placed)
        return ESS_EOVERFLOW;
    s->grand = g->grand;
    s->grand_on = g->grand_known;
    /* any negative figure the plan prints, a cell or a stated total, lets cells go negative */
    for (size_t k = 0; k < L * F && !s->negatives; k++)
        s->negatives = p->cells[k].state == ESS_CELL_VALUE && p->cells[k].cents < 0;
    for (size_t i = 0; i < L && !s->negatives; i++)
        s->negatives = p->line_totals[i].state == ESS_CELL_VALUE && p->line_totals[i].cents < 0;
    for (size_t j = 0; j < F && !s->negatives; j++)
        s->negatives = p->funder_totals[j].state == ESS_CELL_VALUE && p->funder_totals[j].cents < 0;
    if (p->grand_total.state == ESS_CELL_VALUE && p->grand_total.cents < 0)
        s->negatives = 1;
    return ESS_OK;
}

static const ess_plan_cell *cell_at(const search *s, size_t i, size_t j)
{
    return &s->p->cells[i * s->F + j];
}

/* Is the cell already touched by an edit on the stack? */
static int cell_used(const search *s, int i, int j)
{
    for (int k = 0; k < s->depth; k++) {
        const ess_edit *e = &s->stack[k];
        if (e->kind == ESS_EDIT_CELL && e->line == i && e->funder == j)
            return 1;
        if (e->kind == ESS_EDIT_MOVE && e->line == i && (e->funder == j || e->target == j))
            return 1;
    }
    return 0;
}

static void set_row(search *s, size_t i, int64_t v)
{
    s->off_rows -= (size_t)row_off(s, i);
    s->row[i] = v;
    s->off_rows += (size_t)row_off(s, i);
}

static void set_col(search *s, size_t j, int64_t v)
{
    s->off_cols -= (size_t)col_off(s, j);
    s->col[j] = v;
    s->off_cols += (size_t)col_off(s, j);
}

static void set_row_on(search *s, size_t i, char on)
{
    s->off_rows -= (size_t)row_off(s, i);
    s->row_on[i] = on;
    s->off_rows += (size_t)row_off(s, i);
}

static void set_col_on(search *s, size_t j, char on)
{
    s->off_cols -= (size_t)col_off(s, j);
    s->col_on[j] = on;
    s->off_cols += (size_t)col_off(s, j);
}

/* Pushes "cell (i, j) moves by d".  Returns 0 when done, 1 when the edit is not possible (an
 * unreadable or used cell, an overflow, a negative result in a plan that prints no negative
 * figure).  A plan that prints one (a refund, a clawback) may have lost a minus sign in a cell:
 * refusing negatives there made the search rewrite the correct totals instead.  The amounts
 * still come from the gaps, so the search stays as finite as before. */
static int push_cell(search *s, size_t i, size_t j, int64_t d)
{
    const ess_plan_cell *c = cell_at(s, i, j);
    int64_t base = c->state == ESS_CELL_VALUE ? c->cents : 0, value, r = 0, k = 0, g = 0;
    if (d == 0 || c->state == ESS_CELL_MALFORMED || cell_used(s, (int)i, (int)j) ||
        ess_add(base, d, &value) || (value < 0 && !s->negatives) ||
        (s->row_on[i] && ess_sub(s->row[i], d, &r)) ||
        (s->col_on[j] && ess_sub(s->col[j], d, &k)) || (s->grand_on && ess_sub(s->grand, d, &g)))
        return 1;
    undo *u = &s->undos[s->depth];
    u->row = s->row[i];
    u->col = s->col[j];
    u->grand = s->grand;
    ess_edit *e = &s->stack[s->depth++];
    memset(e, 0, sizeof *e);
    e->kind = ESS_EDIT_CELL;
    e->line = (int)i;
    e->funder = (int)j;
    e->target = -1;
    e->has_actual = c->state == ESS_CELL_VALUE;
    e->actual = base;
    e->expected = value;
    if (s->row_on[i])
        set_row(s, i, r);
    if (s->col_on[j])
        set_col(s, j, k);
    if (s->grand_on)
        s->grand = g;
    return 0;
}

/* Pushes "the value of (i, from) belongs under `to`". */
static int push_move(search *s, size_t i, size_t from, size_t to)
{
    const ess_plan_cell *c = cell_at(s, i, from), *t = cell_at(s, i, to);
    int64_t v = c->cents, landed, a, b;
    if (from == to || c->state != ESS_CELL_VALUE || v <= 0 || t->state == ESS_CELL_MALFORMED ||
        cell_used(s, (int)i, (int)from) || cell_used(s, (int)i, (int)to) ||
        ess_add(t->state == ESS_CELL_VALUE ? t->cents : 0, v, &landed) ||
        (s->col_on[from] && ess_add(s->col[from], v, &a)) ||
        (s->col_on[to] && ess_sub(s->col[to], v, &b)))
        return 1;
    undo *u = &s->undos[s->depth];
    u->col = s->col[from];
    u->col2 = s->col[to];
    ess_edit *e = &s->stack[s->depth++];
    memset(e, 0, sizeof *e);
    e->kind = ESS_EDIT_MOVE;
    e->line = (int)i;
    e->funder = (int)from;
    e->target = (int)to;
    e->has_actual = 1;
    e->expected = e->actual = v;
    if (s->col_on[from])
        set_col(s, from, a);
    if (s->col_on[to])
        set_col(s, to, b);
    return 0;
}

/* Pushes "the stated total of line (funder == ESS_AT_TOTAL), of column (line == ESS_AT_TOTAL)
 * or the grand total (both) is wrong": its constraint no longer binds.  Never a total over an
 * unreadable cell: its right value would be unknown. */
static int push_total(search *s, int line, int funder)
{
    const ess_plan *p = s->p;
    ess_edit *e = &s->stack[s->depth];
    memset(e, 0, sizeof *e);
    e->kind = ESS_EDIT_TOTAL;
    e->line = line;
    e->funder = funder;
    e->target = -1;
    e->has_actual = 1;
    if (line >= 0) {
        if (!s->row_on[line] || s->row_bad[line])
            return 1;
        e->actual = p->line_totals[line].cents;
        set_row_on(s, (size_t)line, 0);
    } else if (funder >= 0) {
        if (!s->col_on[funder] || s->col_bad[funder])
            return 1;
        e->actual = p->funder_totals[funder].cents;
        set_col_on(s, (size_t)funder, 0);
    } else {
        if (!s->grand_on || s->nbad)
            return 1;
        e->actual = p->grand_total.cents;
        s->grand_on = 0;
    }
    s->depth++;
    return 0;
}

static void pop(search *s)
{
    const ess_edit *e = &s->stack[--s->depth];
    const undo *u = &s->undos[s->depth];
    if (e->kind == ESS_EDIT_CELL) {
        if (s->row_on[e->line])
            set_row(s, (size_t)e->line, u->row);
        if (s->col_on[e->funder])
            set_col(s, (size_t)e->funder, u->col);
        if (s->grand_on)
            s->grand = u->grand;
    } else if (e->kind == ESS_EDIT_MOVE) {
        if (s->col_on[e->funder])
            set_col(s, (size_t)e->funder, u->col);
        if (s->col_on[e->target])
            set_col(s, (size_t)e->target, u->col2);
    } else if (e->line >= 0) {
        set_row_on(s, (size_t)e->line, 1);
    } else if (e->funder >= 0) {
        set_col_on(s, (size_t)e->funder, 1);
    } else {
        s->grand_on = 1;
    }
}

/* bad_value of an unreadable cell not filled yet: not -1, a refund may be filled with it */
#define UNFILLED INT64_MIN

/* Fills the unreadable cells: one alone in a binding line takes what the line lacks, or alone in
 * a binding column what the column lacks, until none is left that way.  Returns 1 when every
 * total that binds then agrees (totals over cells left unknown cannot say) and every value is
 * >= 0 (any value in a plan that prints a negative figure); else 0, with fail_line /
 * fail_funder naming a total still off.
 * What must stay true: the answer does not depend on the order of the unreadable cells.  The
 * rests are taken modulo 2^64, the wraps counted (peel_rcarry, peel_ccarry, carry): a rest is
 * a value only once its wraps are back to 0.  Each partial was checked, so four unreadable
 * cells under lines of totals max, max, -max, -max failed (and correct totals were said
 * wrong) where max, -max, max, -max filled them. */
static int peel(search *s)
{
    size_t F = s->F;
    s->fail_line = s->fail_funder = ESS_AT_NONE;
    if (s->nbad == 0)
        return s->off_rows == 0 && s->off_cols == 0 && !grand_off(s);
    if (s->off_rows || s->off_cols)
        return 0;
    int64_t grand = s->grand, carry = 0;
    size_t left = s->nbad;
    for (size_t b = 0; b < s->nbad; b++) {
        size_t i = s->bad[b] / F, j = s->bad[b] % F;
        s->peel_row[i] = s->row[i];
        s->peel_col[j] = s->col[j];
        s->peel_rcount[i] = s->row_bad[i];
        s->peel_ccount[j] = s->col_bad[j];
        s->peel_rcarry[i] = s->peel_ccarry[j] = 0;
        s->bad_value[b] = UNFILLED;
    }
    for (int progress = 1; progress && left;) {
        progress = 0;
        s->work += s->nbad;
        for (size_t b = 0; b < s->nbad; b++) {
            size_t i = s->bad[b] / F, j = s->bad[b] % F;
            int64_t v;
            if (s->bad_value[b] != UNFILLED)
                continue;
            int far;   /* what the cell must hold is past int64 cents */
            if (s->row_on[i] && s->peel_rcount[i] == 1)
                v = s->peel_row[i], far = s->peel_rcarry[i] != 0;
            else if (s->col_on[j] && s->peel_ccount[j] == 1)
                v = s->peel_col[j], far = s->peel_ccarry[j] != 0;
            else
                continue;
            if ((v < 0 && !s->negatives) || v == UNFILLED || far) {
                s->fail_line = (int)i;
                return 0;
            }
            ess_sub_counting_wraps(&s->peel_row[i], v, &s->peel_rcarry[i]);
            ess_sub_counting_wraps(&s->peel_col[j], v, &s->peel_ccarry[j]);
            ess_sub_counting_wraps(&grand, v, &carry);
            s->bad_value[b] = v;
            s->peel_rcount[i]--;
            s->peel_ccount[j]--;
            left--;
            progress = 1;
        }
    }
    for (size_t b = 0; b < s->nbad; b++) {
        size_t i = s->bad[b] / F, j = s->bad[b] % F;
        if (s->row_on[i] && s->peel_rcount[i] == 0 &&
            (s->peel_row[i] != 0 || s->peel_rcarry[i] != 0)) {
            s->fail_line = (int)i;
            return 0;
        }
        if (s->col_on[j] && s->peel_ccount[j] == 0 &&
            (s->peel_col[j] != 0 || s->peel_ccarry[j] != 0)) {
            s->fail_line = ESS_AT_TOTAL;
            s->fail_funder = (int)j;
            return 0;
        }
    }
    return !(s->grand_on && left == 0 && (grand != 0 || carry != 0));
}

/* ------------------------------------------------------------------ plausibility */

/* Are a and b the same digits but one, dropped or added (1250 typed 125 or 12550)? */
static int is_dropped_digit(const ess_plan *p, int64_t a, int64_t b)
{
    char x[40], y[40];
    plain_digits(p, a, x, sizeof x);
    plain_digits(p, b, y, sizeof y);
    const char *longer = strlen(x) > strlen(y) ? x : y, *shorter = longer == x ? y : x;
    size_t m = strlen(shorter), i = 0;
    if (strlen(longer) != m + 1)
        return 0;
    while (i < m && longer[i] == shorter[i])
        i++;
    return strcmp(longer + i + 1, shorter + i) == 0;
}

static int value_evidence(const ess_plan *p, int64_t was, int64_t now)
{
    return is_transposition(p, was, now)                                      ? ESS_EV_TRANSPOSITION
           : is_one_digit_change(p, was, now) || is_dropped_digit(p, was, now) ? ESS_EV_DIGIT
                                                                              : ESS_EV_OTHER;
}

static int move_evidence(const ess_plan *p, const ess_edit *e)
{
    int landed_on_value = p->cells[(size_t)e->line * p->nfunders + (size_t)e->target].state ==
                          ESS_CELL_VALUE;
    int far = e->target - e->funder != 1 && e->funder - e->target != 1;
    return ESS_EV_BLANK + landed_on_value + far;
}

static int edit_order(const void *a, const void *b)
{
    const ess_edit *x = a, *y = b;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->funder != y->funder)
        return x->funder < y->funder ? -1 : 1;
    if (x->kind != y->kind)
        return x->kind - y->kind;
    if (x->target != y->target)
        return x->target - y->target;
    return (x->expected > y->expected) - (x->expected < y->expected);
}

static int explanation_order(const void *a, const void *b)
{
    const explanation *x = a, *y = b;
    if (x->size != y->size)
        return x->size - y->size;
    if (x->score != y->score)
        return x->score - y->score;
    for (int k = 0; k < x->size; k++) {
        int c = edit_order(&x->edits[k], &y->edits[k]);
        if (c)
            return c;
    }
    return 0;
}

/* The new value of a corrected total: what its cells give once every other edit is made.
 * What must stay true: the value is exact whatever the order of the edits (each edit added as
 * its two values, modulo 2^64, the wraps counted), ESS_EOVERFLOW only when it is itself past
 * int64 cents.  Each partial was checked, so cells summing to max with a +1 edit sorted before
 * a -1 edit refused validate() where the lines printed the other way round gave max. */
static int corrected_total(const search *s, const explanation *x, ess_edit *t)
{
    int64_t v = t->line >= 0 ? s->row_sum[t->line]
                : t->funder >= 0 ? s->col_sum[t->funder] : s->total_sum;
    int64_t carry = t->line >= 0 ? s->row_carry[t->line]
                    : t->funder >= 0 ? s->col_carry[t->funder] : s->total_carry;
    for (int k = 0; k < x->size; k++) {
        const ess_edit *e = &x->edits[k];
        if (e->kind == ESS_EDIT_CELL && (t->line >= 0 ? e->line == t->line
                                         : t->funder >= 0 ? e->funder == t->funder : 1)) {
            /* never expected - actual itself: it may be past int64 cents while v is not */
            ess_add_counting_wraps(&v, e->expected, &carry);
            ess_sub_counting_wraps(&v, e->actual, &carry);
        } else if (e->kind == ESS_EDIT_MOVE && t->line == ESS_AT_TOTAL && t->funder >= 0) {
            if (e->funder == t->funder)
                ess_sub_counting_wraps(&v, e->actual, &carry);
            else if (e->target == t->funder)
                ess_add_counting_wraps(&v, e->actual, &carry);
        }
    }
    if (carry != 0)
        return ESS_EOVERFLOW;
    t->expected = v;
    return ESS_OK;
}

static void record(search *s)
{
    if (s->nfound == s->capfound) {
        if (s->capfound >= STORE_LIMIT) {
            s->cut = 1;
            return;
        }
        size_t cap = s->capfound ? s->capfound * 2 : 16;
        explanation *items = ess_realloc(s->found, cap * sizeof *items);
        if (items == NULL) {
            s->status = ESS_ENOMEM;
            return;
        }
        s->found = items;
        s->capfound = cap;
    }
    explanation *x = &s->found[s->nfound];
    memset(x, 0, sizeof *x);
    x->size = s->depth;
    memcpy(x->edits, s->stack, (size_t)s->depth * sizeof *x->edits);
    for (int k = 0; k < x->size; k++) {
        ess_edit *e = &x->edits[k];
        if (e->kind == ESS_EDIT_TOTAL) {
            if (corrected_total(s, x, e))
                return;   /* a total beyond int64 cents explains nothing */
            e->evidence = value_evidence(s->p, e->actual, e->expected);
        } else if (e->kind == ESS_EDIT_MOVE) {
            e->evidence = move_evidence(s->p, e);
        } else {
            e->evidence = !e->has_actual ? ESS_EV_BLANK
                                         : value_evidence(s->p, e->actual, e->expected);
        }
        x->score += e->evidence;
    }
    qsort(x->edits, (size_t)x->size, sizeof *x->edits, edit_order);
    s->nfound++;
}

static void dfs(search *s);

/* Every move of a value between two binding columns that are off, each followed by the search
 * (dfs's branch on a line, when three edits or more are left: see there). */
static void try_moves_before_line(search *s)
{
    for (size_t from = 0; from < s->F; from++) {
        if (!s->col_on[from] || s->col[from] == 0)
            continue;
        for (size_t to = 0; to < s->F; to++) {
            if (to == from || !s->col_on[to] || s->col[to] == 0)
                continue;
            s->work += s->L;
            for (size_t i = 0; i < s->L && !s->cut; i++)
                if (!push_move(s, i, from, to)) {
                    dfs(s);
                    pop(s);
                }
        }
    }
}

static void dfs(search *s)
{
    if (s->cut || s->status)
        return;
    if (++s->work > s->max_work) {
        s->cut = 1;
        return;
    }
    if (peel(s)) {
        if (s->depth == s->limit)
            record(s);
        return;   /* smaller explanations were looked for at the previous depth */
    }
    if (s->depth + lower_bound(s) > s->limit || s->depth == s->limit)
        return;
    size_t L = s->L, F = s->F;
    /* the total to branch on: a line (2F+1 ways) before a column (2L+1 and moves) before the
     * grand total; else the one the unreadable cells leave off */
    int line = ESS_AT_NONE, funder = ESS_AT_NONE;
    for (size_t i = 0; i < L && line == ESS_AT_NONE && s->off_rows; i++)
        if (row_off(s, i))
            line = (int)i;
    for (size_t j = 0; j < F && line == ESS_AT_NONE && funder == ESS_AT_NONE && s->off_cols; j++)
        if (col_off(s, j))
            line = ESS_AT_TOTAL, funder = (int)j;
    s->work += L + F;
    if (line == ESS_AT_NONE && grand_off(s)) {
        if (!push_total(s, ESS_AT_TOTAL, ESS_AT_TOTAL)) {
            dfs(s);
            pop(s);
        }
        /* a cell whose line and column print no total moves the grand total alone: it may be
         * what is wrong as well as the grand total (a table that prints only a grand total
         * had it said mistyped, "the cells agree", beside a cell with two digits swapped) */
        int64_t d = s->grand;
        for (size_t i = 0; i < L; i++) {
            if (s->p->line_totals[i].state != ESS_CELL_BLANK)
                continue;
            s->work += F;
            for (size_t j = 0; j < F; j++)
                if (s->p->funder_totals[j].state == ESS_CELL_BLANK && !push_cell(s, i, j, d)) {
                    dfs(s);
                    pop(s);
                }
        }
        return;
    }
    if (line == ESS_AT_NONE) {
        line = s->fail_line;
        funder = s->fail_funder;
        if (line == ESS_AT_NONE || (line >= 0 && !s->row_on[line]) ||
            (line == ESS_AT_TOTAL && (funder < 0 || !s->col_on[funder])))
            return;
    }
    if (line >= 0) {
        size_t i = (size_t)line;
        int64_t r = s->row[i];
        if (!push_total(s, line, ESS_AT_TOTAL)) {
            dfs(s);
            pop(s);
        }
        s->work += F;
        for (size_t j = 0; j < F; j++) {
            int64_t k = s->col[j];
            if (!push_cell(s, i, j, r)) {
                dfs(s);
                pop(s);
            }
            if (s->col_on[j] && k != 0 && k != r && !push_cell(s, i, j, k)) {
                dfs(s);
                pop(s);
            }
        }
        /* The amounts above are complete unless two of the line's cells are each beside
         * another edit in their column: with three edits, that is a value typed in the wrong
         * column between those two columns (L2's blank F1 and its 7 790 for 790, and L7's
         * 1 448 under F2 instead of F1).  A move leaves the line as it is, so the branch on
         * the line never reaches it: with three edits or more left, the moves between two
         * columns off are tried first, and the line is branched on again after each. */
        if (s->depth + 3 <= s->limit)
            try_moves_before_line(s);
        return;
    }
    size_t j = (size_t)funder;
    int64_t c = s->col[j];
    if (!push_total(s, ESS_AT_TOTAL, funder)) {
        dfs(s);
        pop(s);
    }
    s->work += L;
    for (size_t i = 0; i < L; i++) {
        int64_t r = s->row[i];
        if (!push_cell(s, i, j, c)) {
            dfs(s);
            pop(s);
        }
        if (s->row_on[i] && r != 0 && r != c && !push_cell(s, i, j, r)) {
            dfs(s);
            pop(s);
        }
    }
    /* moves: column j holds too much (c < 0) by a value that belongs in another column off,
     * or lacks (c > 0) a value that sits in one.  With one edit left it must be the whole gap;
     * with more, any value: two values moved between the same two columns make one gap, a
     * chain of moves (F3 to F2, F2 to F1) leaves the middle column off by their difference,
     * and another edit in the column may make up for a value larger than its gap. */
    int last = s->depth + 1 == s->limit;
    for (size_t t = 0; t < F; t++) {
        /* the other column is off too, or prints no total (nothing says it is right: a
         * value typed under it instead of under j was a "mistyped" j total, "the cells
         * agree") */
        if (t == j || (s->col_on[t] ? s->col[t] == 0
                                    : s->p->funder_totals[t].state != ESS_CELL_BLANK))
            continue;
        s->work += L;
        for (size_t i = 0; i < L; i++) {
            size_t from = c < 0 ? j : t, to = c < 0 ? t : j;
            const ess_plan_cell *v = cell_at(s, i, from);
            if (v->state == ESS_CELL_VALUE && v->cents > 0 &&
                (!last || (c < 0 ? v->cents + c == 0 : v->cents == c)) &&   /* no -INT64_MIN */
                !push_move(s, i, from, to)) {
                dfs(s);
                pop(s);
            }
        }
    }
}

/* Sorts the explanations found and drops the duplicates (one set reached in two orders). */
static void sort_unique(search *s)
{
    if (s->nfound > 1)
        qsort(s->found, s->nfound, sizeof *s->found, explanation_order);
    size_t n = 0;
    for (size_t k = 0; k < s->nfound; k++)
        if (n == 0 || explanation_order(&s->found[n - 1], &s->found[k]) != 0)
            s->found[n++] = s->found[k];
    s->nfound = n;
}

/* Applies an explanation's edits and fills the unreadable cells as peel() does. */
static int replay(search *s, const explanation *x)
{
    while (s->depth)
        pop(s);
    for (int k = 0; k < x->size; k++) {
        const ess_edit *e = &x->edits[k];
        if (e->kind == ESS_EDIT_SUBTOTAL)
            continue;   /* a printed sub-total: no total of the search covers it */
        int bad = e->kind == ESS_EDIT_CELL   ? push_cell(s, (size_t)e->line, (size_t)e->funder,
                                                         e->expected - e->actual)
                  : e->kind == ESS_EDIT_MOVE ? push_move(s, (size_t)e->line, (size_t)e->funder,
                                                         (size_t)e->target)
                                             : push_total(s, e->line, e->funder);
        if (bad)
            return 0;
    }
    return peel(s);
}

/* ------------------------------------------------------------------ partial explanations */

/* When nothing small explains everything: single edits that mend totals without breaking any,
 * a cell that is its line's and its column's whole gap, a value whose column is over by it
 * while another column of its line lacks it.  They are counted in O(lines x funders x log
 * funders), however many they are, and at most PARTIAL_KEPT are kept for ranking. */
typedef struct partials {
    explanation *items;
    size_t count, cap;
    uint64_t total;               /* how many there are */
} partials;

static int int64_order(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* How many of the n sorted values equal v. */
static size_t count_equal(const int64_t *sorted, size_t n, int64_t v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sorted[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t first = lo;
    hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sorted[mid] <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo - first;
}

static int keep_partial(search *s, partials *out)
{
    out->total++;
    if (out->count >= PARTIAL_KEPT)
        return ESS_OK;
    if (out->count == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 16;
        explanation *items = ess_realloc(out->items, cap * sizeof *items);
        if (items == NULL)
            return ESS_ENOMEM;
        out->items = items;
        out->cap = cap;
    }
    explanation *x = &out->items[out->count++];
    memset(x, 0, sizeof *x);
    x->size = 1;
    x->edits[0] = s->stack[0];
    ess_edit *e = &x->edits[0];
    e->evidence = e->kind == ESS_EDIT_MOVE ? move_evidence(s->p, e)
                  : !e->has_actual         ? ESS_EV_BLANK
                                           : value_evidence(s->p, e->actual, e->expected);
    x->score = e->evidence;
    return ESS_OK;
}

static int find_partials(search *s, partials *out)
{
    size_t L = s->L, F = s->F, noff = 0;
    int64_t *off = ess_calloc(F + 1, sizeof *off);
    if (off == NULL)
        return ESS_ENOMEM;
    for (size_t j = 0; j < F; j++)
        if (col_off(s, j))
            off[noff++] = s->col[j];
    qsort(off, noff, sizeof *off, int64_order);
    int rc = ESS_OK;
    for (size_t i = 0; i < L && rc == ESS_OK; i++) {
        for (size_t j = 0; j < F && rc == ESS_OK; j++) {
            const ess_plan_cell *c = cell_at(s, i, j);
            if (row_off(s, i) && col_off(s, j) && s->row[i] == s->col[j] &&
                !push_cell(s, i, j, s->row[i])) {
                rc = keep_partial(s, out);
                pop(s);
            }
            if (row_off(s, i) || c->state != ESS_CELL_VALUE || c->cents <= 0 || !col_off(s, j) ||
                s->col[j] != -c->cents)
                continue;
            size_t targets = count_equal(off, noff, c->cents);
            if (out->count + targets > PARTIAL_KEPT) {
                out->total += targets;   /* counted, not listed: enough are kept to rank */
                continue;
            }
            for (size_t t = 0; t < F && rc == ESS_OK; t++)
                if (col_off(s, t) && s->col[t] == c->cents && !push_move(s, i, j, t)) {
                    rc = keep_partial(s, out);
                    pop(s);
                }
        }
    }
    ess_free(off);
    if (out->count > 1)
        qsort(out->items, out->count, sizeof *out->items, explanation_order);
    return rc;
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
    ess_finding *x = ess_findings_add(out, ESS_F_MALFORMED_NUMBER, line, funder);
    if (x == NULL)
        return ESS_ENOMEM;
    x->source_line = c->line;
    x->source_column = c->column;
    ess_error e;
    /* the reader's own reading (its mark, a declared one held as the only one): under a
     * plain comma "1.23", refused under a declared comma, read well and said "()" */
    ess_money_style style = {p->decimal_mark ? p->decimal_mark : ',', p->unit, p->money_flags};
    int64_t dummy;
    /* the unit seen asked for, as the reader asks it: without it "€" alone reads as blank,
     * and the finding said "is not a number ()" where the reader says "a unit with no amount" */
    ess_unit seen = ESS_UNIT_NONE;
    ess_error_clear(&e);
    ess_money_parse(c->raw, strlen(c->raw), &style, &dummy, &seen, &e);
    const char *why = strstr(e.message, "is not an amount: ");
    why = why ? why + strlen("is not an amount: ") : e.message;
    x->detail = e.detail;
    x->detail_n = e.detail_n;
    x->detail_at = e.column;
    /* what is wrong with it: a number past int64 cents is a number all the same, too large for
     * the exact cents -- said as a sum past them is, the limit on its side written out */
    char fault[ESS_MESSAGE_MAX + 32];   /* why, whole: the finding's message cuts the sentence */
    if (e.detail == ESS_AMOUNT_TOO_LARGE)
        snprintf(fault, sizeof fault, "does not fit an amount in cents%s",
                 ess_int64_limit_said(e.detail_n < 0 ? ESS_BELOW_INT64 : ESS_ABOVE_INT64));
    else
        snprintf(fault, sizeof fault, "is not a number (%s)", why);
    char stray[8];
    if (has_expected) {
        x->has_expected = 1;
        x->expected = expected;
        if (stray_character(p, c->raw, expected, stray)) {
            memcpy(x->stray, stray, strlen(stray) + 1);
            say(x, "%.200s x %.200s: '%s' %s; the cells give %s %s, which '%s' reads as with its "
                   "stray '%s' removed.",
                label_of(p, line), funder_of(p, funder), c->raw, fault, fmt(p, expected).s,
                ess_unit_symbol(p->unit), c->raw, stray);
        } else
            say(x, "%.200s x %.200s: '%s' %s; the other figures give %s %s.",
                label_of(p, line), funder_of(p, funder), c->raw, fault, fmt(p, expected).s,
                ess_unit_symbol(p->unit));
    } else {
        say(x, "%.200s x %.200s: '%s' %s.", label_of(p, line), funder_of(p, funder), c->raw,
            fault);
    }
    return ESS_OK;
}

/* ------------------------------------------------------------------ suggestions */

static const ess_plan_cell *edit_cell(const ess_plan *p, const ess_edit *e)
{
    if (e->kind == ESS_EDIT_SUBTOTAL)
        return &p->subtotals[e->target].stated;
    if (e->kind != ESS_EDIT_TOTAL)
        return &p->cells[(size_t)e->line * p->nfunders + (size_t)e->funder];
    return e->line >= 0     ? &p->line_totals[e->line]
           : e->funder >= 0 ? &p->funder_totals[e->funder]
                            : &p->grand_total;
}

/* Copies the edits of n explanations into the finding, numbering their sets, with the place
 * of each in the file. */
static int attach_edits(const ess_plan *p, ess_finding *x, const explanation *sets, size_t n)
{
    size_t total = 0;
    for (size_t k = 0; k < n; k++)
        total += (size_t)sets[k].size;
    x->edits = ess_calloc(total + 1, sizeof *x->edits);
    if (x->edits == NULL)
        return ESS_ENOMEM;
    for (size_t k = 0; k < n; k++)
        for (int e = 0; e < sets[k].size; e++) {
            ess_edit *d = &x->edits[x->nedits++];
            *d = sets[k].edits[e];
            d->set = (int)k;
            d->source_line = edit_cell(p, d)->line;
            d->source_column = edit_cell(p, d)->column;
        }
    return ESS_OK;
}

/* One edit in a few words: "DLA x CDC = 274 (not 247)". */
static void describe_edit(const ess_plan *p, const ess_edit *e, char *buf, size_t cap)
{
    if (e->kind == ESS_EDIT_MOVE)
        snprintf(buf, cap, "%.200s: %s from %.200s to %.200s", label_of(p, e->line),
                 fmt(p, e->actual).s, funder_of(p, e->funder), funder_of(p, e->target));
    else if (e->kind == ESS_EDIT_SUBTOTAL)
        snprintf(buf, cap, "%.200s sub-total x %.200s = %s (not %s%s)",
                 p->group_labels[p->subtotals[e->target].group], funder_of(p, e->funder),
                 fmt(p, e->expected).s, fmt(p, e->actual).s,
                 e->evidence == ESS_EV_TRANSPOSITION ? ": digits transposed?"
                 : e->evidence == ESS_EV_DIGIT     ? ": one digit off?"
                                                   : "");
    else if (!e->has_actual)
        snprintf(buf, cap, "%.200s x %.200s = %s (blank)", label_of(p, e->line),
                 funder_of(p, e->funder), fmt(p, e->expected).s);
    else if (e->line == ESS_AT_TOTAL && e->funder == ESS_AT_TOTAL)   /* not "Total x Total" */
        snprintf(buf, cap, "Grand total = %s (not %s%s)", fmt(p, e->expected).s,
                 fmt(p, e->actual).s, e->evidence == ESS_EV_TRANSPOSITION ? ": digits transposed?"
                                      : e->evidence == ESS_EV_DIGIT   ? ": one digit off?"
                                                                      : "");
    else
        snprintf(buf, cap, "%.200s x %.200s = %s (not %s%s)", label_of(p, e->line),
                 funder_of(p, e->funder), fmt(p, e->expected).s, fmt(p, e->actual).s,
                 e->evidence == ESS_EV_TRANSPOSITION ? ": digits transposed?"
                 : e->evidence == ESS_EV_DIGIT     ? ": one digit off?"
                                                   : "");
}

/* The edits of a set joined by "; " into buf: whole edits only, "..." for those that do not fit
 * (an edit cut in the middle, "Total x B = 55 (not ", read as a value). */
static void describe_set(const ess_plan *p, const explanation *x, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int k = 0; k < x->size; k++) {
        char one[768];
        describe_edit(p, &x->edits[k], one, sizeof one);
        const char *sep = k ? "; " : "";
        size_t more = k + 1 < x->size ? 5 : 0;   /* room left for "; ..." */
        if (n + strlen(sep) + strlen(one) + more + 1 > cap) {
            if (n + strlen(sep) + 4 <= cap)
                snprintf(buf + n, cap - n, "%s...", sep);
            return;
        }
        n += (size_t)snprintf(buf + n, cap - n, "%s%s", sep, one);
    }
}

/* "[set] or [set] ..." of the first `listed` explanations of s appended to msg (of size cap):
 * whole sets while they fit, "..." for the ones left out, so a message says how far its list
 * goes -- three explanations were counted and two shown, with nothing to say a third exists. */
static void append_sets(const ess_plan *p, const explanation *sets, size_t listed, uint64_t count,
                        char *msg, size_t cap)
{
    size_t n = strlen(msg);
    for (size_t k = 0; k < listed; k++) {
        char one[ESS_FINDING_MESSAGE_MAX];
        const char *sep = k ? " or " : "";
        size_t left = cap - n, room = k + 1 < count ? 8 : 1;   /* " or ..." after it */
        if (left <= strlen(sep) + 2 + room + 4)
            break;
        /* the first set is shown even cut (at an edit); a later one whole or not at all */
        describe_set(p, &sets[k], one, k ? sizeof one : left - strlen(sep) - 2 - room);
        if (k && n + strlen(sep) + strlen(one) + 2 + room > cap - 1)
            break;
        n += (size_t)snprintf(msg + n, cap - n, "%s[%s]", sep, one);
        if (k + 1 == count)
            return;
    }
    snprintf(msg + n, cap - n, "%s...", n && msg[n - 1] == ']' ? " or " : "");
}

/* A single edit as the finding it always was: cell-correction, cell-move, total-correction. */
static int suggest_single(const ess_plan *p, const gaps *g, const explanation *x, int rank,
                          int complete, ess_findings *out)
{
    const ess_edit *c = &x->edits[0];
    const char *u = ess_unit_symbol(p->unit);
    ess_finding *f = ess_findings_add(out, ess_edit_finding_code(c->kind), c->line, c->funder);
    if (f == NULL || attach_edits(p, f, x, 1))
        return ESS_ENOMEM;
    f->rank = rank;
    f->faults = 1;
    f->partial = !complete;
    f->target = c->kind == ESS_EDIT_SUBTOTAL ? -1 : c->target;   /* a sub-total's index */
    f->has_expected = 1;
    f->expected = c->expected;
    f->has_actual = c->has_actual;
    f->actual = c->actual;
    f->source_line = f->edits[0].source_line;
    f->source_column = f->edits[0].source_column;
    const char *scope = complete ? "reconciles" : "would reconcile in part";
    if (c->kind == ESS_EDIT_CELL) {
        const ess_plan_cell *cell = edit_cell(p, c);
        char what[120];
        if (cell->state == ESS_CELL_BLANK)
            snprintf(what, sizeof what, "is blank");
        else
            snprintf(what, sizeof what, "holds %s%s", fmt(p, c->actual).s,
                     c->evidence == ESS_EV_TRANSPOSITION ? " (digits transposed?)" : "");
        char totals[700] = "";
        size_t n = 0;
        if (g->row_known[c->line])
            n += (size_t)snprintf(totals + n, sizeof totals - n, "its line total %s",
                                  fmt(p, p->line_totals[c->line].cents).s);
        if (g->col_known[c->funder] && n < sizeof totals)
            n += (size_t)snprintf(totals + n, sizeof totals - n, "%sthe %.200s total %s",
                                  n ? ", " : "", p->funder_labels[c->funder],
                                  fmt(p, p->funder_totals[c->funder].cents).s);
        if (g->grand_known && n < sizeof totals)
            snprintf(totals + n, sizeof totals - n, "%sthe grand total %s", n ? " and " : "",
                     fmt(p, p->grand_total.cents).s);
        say(f, "%.200s x %.200s %s; %s %s there %s %s.", p->line_labels[c->line],
            p->funder_labels[c->funder], what, fmt(p, c->expected).s, u, scope, totals);
    } else if (c->kind == ESS_EDIT_MOVE) {
        say(f, "%.200s: %s %s sits under %.200s but belongs under %.200s; moving it %s both "
               "column totals.",
            p->line_labels[c->line], fmt(p, c->actual).s, u, p->funder_labels[c->funder],
            p->funder_labels[c->target], scope);
    } else if (c->kind == ESS_EDIT_SUBTOTAL) {
        say(f, "%.200s: the sub-total %s %s printed under %.200s is probably mistyped for %s %s%s; "
               "the lines and every other total agree.",
            p->group_labels[p->subtotals[c->target].group], fmt(p, c->actual).s, u,
            funder_of(p, c->funder), fmt(p, c->expected).s, u,
            c->evidence == ESS_EV_TRANSPOSITION ? " (digits transposed)" : "");
    } else {
        say(f, "%.200s x %.200s: the stated total %s is probably mistyped for %s %s%s; the "
               "cells and every other total agree.",
            label_of(p, c->line), funder_of(p, c->funder), fmt(p, c->actual).s,
            fmt(p, c->expected).s, u, c->evidence == ESS_EV_TRANSPOSITION ? " (digits transposed)" : "");
    }
    return ESS_OK;
}

/* Several edits that together reconcile every total: one finding listing each. */
static int suggest_set(const ess_plan *p, const explanation *x, int rank, ess_findings *out)
{
    ess_finding *f = ess_findings_add(out, ESS_F_CORRECTION_SET, ESS_AT_NONE,
                                      ESS_AT_NONE);
    if (f == NULL || attach_edits(p, f, x, 1))
        return ESS_ENOMEM;
    f->rank = rank;
    f->faults = x->size;
    f->source_line = f->edits[0].source_line;
    f->source_column = f->edits[0].source_column;
    char what[ESS_FINDING_MESSAGE_MAX - 64];
    describe_set(p, x, what, sizeof what);
    say(f, "%d corrections together reconcile every total: %s.", x->size, what);
    return ESS_OK;
}

/* Several explanations of the smallest size fit: say so, with the candidate sets and what would
 * tell them apart, rather than let the first one pass for the answer. */
static int report_ambiguity(const ess_plan *p, const search *s, size_t listed, ess_findings *out)
{
    int many = s->nfound > listed;
    ess_finding *f = ess_findings_add(out, many ? ESS_F_TOO_MANY : ESS_F_AMBIGUITY, ESS_AT_NONE,
                                      ESS_AT_NONE);
    if (f == NULL || attach_edits(p, f, s->found, listed))
        return ESS_ENOMEM;
    const explanation *a = &s->found[0], *b = &s->found[1];
    f->count = s->nfound;
    f->count_exact = !s->cut;
    f->faults = a->size;
    f->source_line = f->edits[0].source_line;
    f->source_column = f->edits[0].source_column;
    /* the first edit of the first set that the second lacks: its true value decides */
    const ess_edit *key = &a->edits[0];
    for (int k = 0; k < a->size; k++) {
        int shared = 0;
        for (int m = 0; m < b->size; m++)
            shared |= edit_order(&a->edits[k], &b->edits[m]) == 0;
        if (!shared) {
            key = &a->edits[k];
            break;
        }
    }
    char decide[512], msg[ESS_FINDING_MESSAGE_MAX];
    if (key->kind == ESS_EDIT_SUBTOTAL)
        snprintf(decide, sizeof decide, "the sub-total of %.200s under %.200s",
                 p->group_labels[p->subtotals[key->target].group], funder_of(p, key->funder));
    else if (key->line == ESS_AT_TOTAL && key->funder == ESS_AT_TOTAL)
        snprintf(decide, sizeof decide, "the grand total");
    else
        snprintf(decide, sizeof decide, "%s of %.200s x %.200s",
                 key->kind == ESS_EDIT_TOTAL ? "the total" : "the value", label_of(p, key->line),
                 funder_of(p, key->funder));
    const char *favour = a->score < b->score ? " (the first is likelier by its digits)" : "";
    int plural = a->size > 1;
    /* what would decide first: a long candidate set may be cut at the message's end */
    if (many)
        snprintf(msg, sizeof msg, "%s%llu equivalent explanations of %d correction%s each fit "
                 "every total; %s, from a sub-total or last year's plan, would decide.  E.g. ",
                 f->count_exact ? "" : "at least ", (unsigned long long)f->count, a->size,
                 plural ? "s" : "", decide);
    else
        snprintf(msg, sizeof msg, "%llu explanations of %d correction%s fit every total; %s, "
                 "from a sub-total or last year's plan, would decide%s: ",
                 (unsigned long long)f->count, a->size, plural ? "s" : "", decide, favour);
    append_sets(p, s->found, listed, s->nfound, msg, sizeof msg);
    say(f, "%s", msg);
    return ESS_OK;
}

static void limits_or_defaults(const ess_reconcile_limits *given, ess_reconcile_limits *lim)
{
    lim->max_faults = given && given->max_faults > 0 ? given->max_faults : DEFAULT_FAULTS;
    if (lim->max_faults > FAULTS_LIMIT)
        lim->max_faults = FAULTS_LIMIT;
    lim->max_listed = given && given->max_listed > 0 ? given->max_listed : DEFAULT_LISTED;
    lim->max_work = given && given->max_work > 0 ? given->max_work : DEFAULT_WORK;
}

int ess_plan_validate(const ess_plan *p, ess_findings *out, ess_error *err)
{
    return ess_plan_validate_with(p, NULL, out, err);
}

/* An amount of a finding's message, or past int64 cents (side not 0) the limit it leaves them
 * by, in the words every sum past them has: "beyond 92,233,720,368,547,758.07 €" -- never a
 * wrapped number.  With the unit when given. */
static amount_text amount_or_past(const ess_plan *p, int64_t cents, int side, const char *unit)
{
    amount_text t;
    if (side != 0) {
        const char *said = ess_int64_limit_said(side);   /* " (beyond ... €)" */
        size_t n = strlen(said);
        snprintf(t.s, sizeof t.s, "%.*s", (int)(n > 3 ? n - 3 : 0), said + 2);
    } else if (unit != NULL) {
        snprintf(t.s, sizeof t.s, "%.40s %.16s", fmt(p, cents).s, unit);
    } else {
        t = fmt(p, cents);
    }
    return t;
}

/* The parenthesis after a total finding's sum: "a gap of 5.00", "a gap beyond ..." -- or, for
 * cells summing past int64 cents (sum_side not 0), that they do: that sum has no figure, so no
 * gap to give, and the finding carries the side as a figure past the cents does
 * (ESS_AMOUNT_TOO_LARGE, detail_n the side) for a host to word it in its language. */
static void past_sum_gap(const ess_plan *p, int sum_side, int64_t gap, int gap_side,
                         ess_finding *x, char *out, size_t size)
{
    if (sum_side != 0) {
        x->detail = ESS_AMOUNT_TOO_LARGE;
        x->detail_n = sum_side;
        snprintf(out, size, "they add past what an amount in cents holds, so no total can be "
                            "suggested: a cell is likely wrong");
        return;
    }
    /* a gap past them binds no explanation (the search works in int64 cents), so no
     * correction is suggested for it: said, where any other gap gets one */
    snprintf(out, size, "a gap %s%s%s", gap_side ? "" : "of ",
             amount_or_past(p, gap, gap_side, NULL).s,
             gap_side ? "; no correction is suggested for a gap past what an amount in cents "
                        "holds: check this total against its cells"
                      : "");
}

/* A stated total (a line's, a funder's, the grand total) against the sum of what it covers.
 * An unreadable total gets that sum as its value when every cell it covers is readable; a
 * readable one that differs is a row-, column- or grand-total finding (the kind follows from
 * the place: ESS_AT_TOTAL as funder is a line's total, as line a funder's, as both the grand
 * total).  sum_side and gap_side: the side the sum or the gap leaves int64 cents by, 0 when
 * held -- the finding still said, the figure past them worded as such (no expected value for a
 * sum past them).  Returns ESS_ENOMEM only. */
static int check_stated_total(const ess_plan *p, const ess_plan_cell *t, int line, int funder,
                              int64_t sum, int sum_side, int64_t gap, int gap_side,
                              int cells_readable, ess_findings *out)
{
    if (t->state == ESS_CELL_MALFORMED)
        return report_malformed(p, t, line, funder, sum, cells_readable && sum_side == 0, out)
                   ? ESS_ENOMEM
                   : ESS_OK;
    if (t->state != ESS_CELL_VALUE || !cells_readable || (gap == 0 && gap_side == 0))
        return ESS_OK;
    int code = line != ESS_AT_TOTAL     ? ESS_F_ROW_TOTAL
               : funder != ESS_AT_TOTAL ? ESS_F_COLUMN_TOTAL
                                        : ESS_F_GRAND_TOTAL;
    ess_finding *x = ess_findings_add(out, code, line, funder);
    if (x == NULL)
        return ESS_ENOMEM;
    x->has_expected = sum_side == 0;
    x->has_actual = 1;
    x->expected = sum_side == 0 ? sum : 0;
    x->actual = t->cents;
    x->source_line = t->line;
    x->source_column = t->column;
    const char *u = ess_unit_symbol(p->unit);
    amount_text cells = amount_or_past(p, sum, sum_side, u);
    char gap_said[256];
    past_sum_gap(p, sum_side, gap, gap_side, x, gap_said, sizeof gap_said);
    if (code == ESS_F_ROW_TOTAL)
        say(x, "%.200s: the stated total %s %s differs from the sum of its cells, %s "
               "(%s).",
            p->line_labels[line], fmt(p, t->cents).s, u, cells.s, gap_said);
    else if (code == ESS_F_COLUMN_TOTAL)
        say(x, "%.200s: the stated total %s %s differs from the sum of its column, %s "
               "(%s).",
            p->funder_labels[funder], fmt(p, t->cents).s, u, cells.s, gap_said);
    else
        say(x, "The stated grand total %s %s differs from the sum of all cells, %s "
               "(%s).",
            fmt(p, t->cents).s, u, cells.s, gap_said);
    return ESS_OK;
}

/* The sum a stated total covers (line i with funder ESS_AT_TOTAL, funder j with line
 * ESS_AT_TOTAL, both for the grand total), *side the side it leaves int64 cents by (0: held);
 * for an unreadable total, its cells' after explanation x's edits when there is one.  A
 * readable total keeps the sum as read (its finding compares the figures printed). */
static void covered_sum(const search *s, const explanation *x, const ess_plan_cell *t,
                        int line, int funder, int64_t *sum, int *side)
{
    int64_t carry;
    *sum = cells_sum(s->p, line, funder, &carry);
    *side = carry == 0 ? 0 : carry < 0 ? ESS_BELOW_INT64 : ESS_ABOVE_INT64;
    if (x == NULL || t->state != ESS_CELL_MALFORMED)
        return;
    ess_edit e;
    memset(&e, 0, sizeof e);
    e.line = line;
    e.funder = funder;
    if (corrected_total(s, x, &e) == ESS_OK) {
        *sum = e.expected;
        *side = 0;
    } else if (*side == 0) {
        *side = ESS_ABOVE_INT64;   /* past them once corrected: no value to give it */
    }
}

/* Every unreadable cell (with the value the most likely explanation leaves for it, if any) and
 * every stated total against its sum.  known[i] / known[L + j] say whether line i / funder j
 * has only readable cells.  A sum or a gap past int64 cents is said at its total, never
 * refused (the total far off is the fault to find).  Returns ESS_ENOMEM. */
static int check_cells_and_totals(const ess_plan *p, const gaps *g, const search *s, int level,
                                  const char *known, ess_findings *out)
{
    size_t L = p->nlines, F = p->nfunders;
    int all_known = 1;
    /* an unreadable total is given what its cells sum to once the likeliest explanation's
     * edits are made: the sum as read kept a wrong cell's error, so with_corrections() gave a
     * plan that still failed (an unreadable grand total plus one mistyped cell) */
    const explanation *best = level >= 0 ? &s->found[0] : NULL;
    int64_t sum;
    int side;
    for (size_t i = 0, b = 0; i < L; i++) {
        for (size_t j = 0; j < F; j++) {
            const ess_plan_cell *c = &p->cells[i * F + j];
            if (c->state != ESS_CELL_MALFORMED)
                continue;
            /* an unreadable cell: its value is what the explanation leaves for it */
            int has = level >= 0 && s->bad_value[b] != UNFILLED;
            if (report_malformed(p, c, (int)i, (int)j, has ? s->bad_value[b] : 0, has, out))
                return ESS_ENOMEM;
            b++;
        }
        covered_sum(s, best, &p->line_totals[i], (int)i, ESS_AT_TOTAL, &sum, &side);
        ESS_RETURN_NOT_OK(check_stated_total(p, &p->line_totals[i], (int)i, ESS_AT_TOTAL, sum,
                                             side, g->row[i], g->row_past[i], known[i], out));
        all_known &= known[i];
    }
    for (size_t j = 0; j < F; j++) {
        covered_sum(s, best, &p->funder_totals[j], ESS_AT_TOTAL, (int)j, &sum, &side);
        ESS_RETURN_NOT_OK(check_stated_total(p, &p->funder_totals[j], ESS_AT_TOTAL, (int)j, sum,
                                             side, g->col[j], g->col_past[j], known[L + j],
                                             out));
    }
    covered_sum(s, best, &p->grand_total, ESS_AT_TOTAL, ESS_AT_TOTAL, &sum, &side);
    return check_stated_total(p, &p->grand_total, ESS_AT_TOTAL, ESS_AT_TOTAL, sum, side,
                              g->grand, g->grand_past, all_known, out);
}

/* ------------------------------------------------------------------ axis sub-totals
 *
 * The sub-totals an axis row prints ("Axe 1 : Structurer;15;35;50") are totals too: each is
 * checked against its lines' cells (a subtotal finding), and among the smallest explanations of
 * the other totals, those after which every sub-total holds are the ones kept -- a sub-total
 * names the axis a wrong cell is in.  When none of them makes every sub-total hold, they are all
 * kept (a sub-total may itself be the typo) and the subtotal findings say what still differs. */

/* The cells sub-total u covers, summed into *sum, after explanation x's edits when x is not
 * NULL.  1 when one of those cells is unreadable (the sum is not known), ESS_EOVERFLOW, 0.
 * What must stay true: the sum is exact whatever the order of the cells and edits (added
 * modulo 2^64, the wraps counted), ESS_EOVERFLOW only when it is itself past int64 cents.
 * Each partial was checked, so an axis's lines [max, max, -max] refused validate() where
 * [max, -max, max] found the sub-total right. */
static int subtotal_sum_wide(const ess_plan *p, const ess_plan_subtotal *u,
                             const explanation *x, int64_t *sum, int64_t *carry_out);
static int subtotal_sum(const ess_plan *p, const ess_plan_subtotal *u, const explanation *x,
                        int64_t *sum)
{
    int64_t carry;
    int rc = subtotal_sum_wide(p, u, x, sum, &carry);
    return rc != 0 ? rc : carry != 0 ? ESS_EOVERFLOW : 0;
}

/* subtotal_sum's sum modulo 2^64, its wraps in *carry_out: 1 when a cell is unreadable, else
 * 0 (the exact sum is *sum + *carry_out * 2^64). */
static int subtotal_sum_wide(const ess_plan *p, const ess_plan_subtotal *u,
                             const explanation *x, int64_t *sum, int64_t *carry_out)
{
    size_t F = p->nfunders;
    int64_t carry = 0;
    *sum = 0;
    *carry_out = 0;
    for (size_t i = u->first; i < u->end; i++)
        for (size_t j = 0; j < F; j++) {
            const ess_plan_cell *c = &p->cells[i * F + j];
            if (u->funder != ESS_AT_TOTAL && (size_t)u->funder != j)
                continue;
            if (c->state == ESS_CELL_MALFORMED)
                return 1;
            if (c->state == ESS_CELL_VALUE)
                ess_add_counting_wraps(sum, c->cents, &carry);
        }
    for (int k = 0; x != NULL && k < x->size; k++) {
        const ess_edit *e = &x->edits[k];
        if (e->line < 0 || (size_t)e->line < u->first || (size_t)e->line >= u->end)
            continue;
        /* an edit's difference added as its two values: expected - actual may itself be past
         * int64 cents while the sum is not */
        if (e->kind == ESS_EDIT_CELL && (u->funder == ESS_AT_TOTAL || u->funder == e->funder)) {
            ess_add_counting_wraps(sum, e->expected, &carry);
            ess_sub_counting_wraps(sum, e->actual, &carry);
        }
        if (e->kind == ESS_EDIT_MOVE && u->funder != ESS_AT_TOTAL) {
            if (u->funder == e->funder)
                ess_sub_counting_wraps(sum, e->actual, &carry);
            else if (u->funder == e->target)
                ess_add_counting_wraps(sum, e->actual, &carry);
        }
    }
    *carry_out = carry;
    return 0;
}

/* Is sub-total k off after explanation x (NULL: as read)?  Not when x corrects it, nor when
 * one of its cells is unreadable (its sum is not known); an overflow counts as off. */
static int subtotal_off(const ess_plan *p, size_t k, const explanation *x)
{
    for (int e = 0; x != NULL && e < x->size; e++)
        if (x->edits[e].kind == ESS_EDIT_SUBTOTAL && (size_t)x->edits[e].target == k)
            return 0;
    int64_t sum;
    int rc = subtotal_sum(p, &p->subtotals[k], x, &sum);
    return rc == ESS_EOVERFLOW || (rc == 0 && sum != p->subtotals[k].stated.cents);
}

/* How many sub-totals are off after explanation x (NULL: as read). */
static int subtotals_off(const ess_plan *p, const explanation *x)
{
    int n = 0;
    for (size_t k = 0; k < p->nsubtotals; k++)
        n += subtotal_off(p, k, x);
    return n;
}

/* Appends to x the correction of every sub-total still off after it: "this sub-total should
 * read what its lines give once x's edits are made".  0, or 1 when a sum overflows. */
static int add_subtotal_edits(const ess_plan *p, explanation *x)
{
    int size = x->size;
    for (size_t k = 0; k < p->nsubtotals; k++) {
        const ess_plan_subtotal *u = &p->subtotals[k];
        int64_t sum;
        if (!subtotal_off(p, k, x))
            continue;
        if (subtotal_sum(p, u, x, &sum) != 0 || size >= FAULTS_LIMIT)
            return 1;
        ess_edit *e = &x->edits[size++];
        memset(e, 0, sizeof *e);
        e->kind = ESS_EDIT_SUBTOTAL;
        e->line = (int)u->first;
        e->funder = u->funder;
        e->target = (int)k;
        e->has_actual = 1;
        e->actual = u->stated.cents;
        e->expected = sum;
        e->evidence = value_evidence(p, e->actual, e->expected);
        x->score += e->evidence;
    }
    x->size = size;
    qsort(x->edits, (size_t)x->size, sizeof *x->edits, edit_order);
    return 0;
}

/* Appends to s->found an explanation: 0, or 1 when the store is full (s->cut), ESS_ENOMEM. */
static int keep_found(search *s, const explanation *x)
{
    if (s->nfound == s->capfound) {
        if (s->capfound >= STORE_LIMIT) {
            s->cut = 1;
            return 1;
        }
        size_t cap = s->capfound ? s->capfound * 2 : 16;
        explanation *items = ess_realloc(s->found, cap * sizeof *items);
        if (items == NULL)
            return ESS_ENOMEM;
        s->found = items;
        s->capfound = cap;
    }
    s->found[s->nfound++] = *x;
    return 0;
}

/* A sub-total's correction is one reading; a cell of its lines that no other stated total
 * covers (no line total, no total of its column, no grand total, no other sub-total) made up
 * for the gap is another, as likely by the totals: each such cell edit, in place of the
 * sub-total's edit k of x, is kept as an explanation too, so that an ambiguity says both
 * rather than the sub-total passing for the answer.  Returns ESS_ENOMEM or ESS_OK. */
static int add_cell_readings(search *s, const explanation *x, int k)
{
    const ess_plan *p = s->p;
    const ess_edit *t = &x->edits[k];
    const ess_plan_subtotal *u = &p->subtotals[t->target];
    size_t F = p->nfunders;
    int64_t d;
    if (t->funder == ESS_AT_TOTAL || p->grand_total.state == ESS_CELL_VALUE ||
        p->funder_totals[t->funder].state == ESS_CELL_VALUE || ess_sub(t->actual, t->expected, &d))
        return ESS_OK;
    for (size_t i = u->first; i < u->end; i++) {
        const ess_plan_cell *c = &p->cells[i * F + (size_t)t->funder];
        int64_t base = c->state == ESS_CELL_VALUE ? c->cents : 0, value = 0;
        int free = p->line_totals[i].state != ESS_CELL_VALUE && c->state != ESS_CELL_MALFORMED &&
                   !ess_add(base, d, &value) && (value >= 0 || s->negatives);
        for (size_t m = 0; m < p->nsubtotals && free; m++) {
            const ess_plan_subtotal *o = &p->subtotals[m];
            free = m == (size_t)t->target || i < o->first || i >= o->end ||
                   (o->funder != ESS_AT_TOTAL && o->funder != t->funder);
        }
        for (int e = 0; e < x->size && free; e++)
            free = x->edits[e].kind == ESS_EDIT_SUBTOTAL || x->edits[e].line != (int)i;
        if (!free)
            continue;
        explanation y = *x;
        ess_edit *e = &y.edits[k];
        y.score -= e->evidence;
        memset(e, 0, sizeof *e);
        e->kind = ESS_EDIT_CELL;
        e->line = (int)i;
        e->funder = t->funder;
        e->target = -1;
        e->has_actual = c->state == ESS_CELL_VALUE;
        e->actual = base;
        e->expected = value;
        e->evidence = !e->has_actual ? ESS_EV_BLANK : value_evidence(p, base, value);
        y.score += e->evidence;
        qsort(y.edits, (size_t)y.size, sizeof *y.edits, edit_order);
        int rc = keep_found(s, &y);
        if (rc)
            return rc == ESS_ENOMEM ? ESS_ENOMEM : ESS_OK;
    }
    return ESS_OK;
}

/* The sub-totals an axis row prints are totals too, checked after the search: of the smallest
 * explanations of the other totals, those that leave the fewest sub-totals off are kept, each
 * completed with the correction of the sub-totals it leaves off (one edit each), so that a
 * sub-total that is itself the typo is said as the edit it is -- alone when its lines and every
 * other total agree (the search then found the empty explanation).  When that would take more
 * than max_faults edits, every explanation is kept as found, *left becomes the number of
 * sub-totals each leaves off at least (0 otherwise), and the caller reports them as partial.
 * *level becomes the size of the explanations kept. */
static int complete_with_subtotals(search *s, int max_faults, int *level, int *left)
{
    const ess_plan *p = s->p;
    *left = 0;
    if (p->nsubtotals == 0 || s->nfound == 0)
        return ESS_OK;
    int least = INT32_MAX;
    for (size_t k = 0; k < s->nfound; k++) {
        int off = subtotals_off(p, &s->found[k]);
        least = off < least ? off : least;
    }
    if (least > 0 && s->found[0].size + least > (max_faults < FAULTS_LIMIT ? max_faults
                                                                            : FAULTS_LIMIT)) {
        /* none of them mends every total: the caller says so, and lists them as partial */
        *left = least;
        return ESS_OK;
    }
    size_t n = 0;
    for (size_t k = 0; k < s->nfound; k++)
        if (subtotals_off(p, &s->found[k]) == least) {
            explanation x = s->found[k];
            if (add_subtotal_edits(p, &x) == 0)
                s->found[n++] = x;
        }
    if (n == 0)
        return ESS_OK;   /* every completion overflowed: kept as found */
    s->nfound = n;
    for (size_t k = 0; k < n; k++)
        for (int e = 0; e < s->found[k].size; e++)
            if (s->found[k].edits[e].kind == ESS_EDIT_SUBTOTAL) {
                explanation x = s->found[k];   /* the store may move */
                ESS_RETURN_NOT_OK(add_cell_readings(s, &x, e));
            }
    sort_unique(s);
    *level = s->found[0].size;
    return ESS_OK;
}

/* A subtotal finding for each sub-total that differs from its lines' cells as read.  Returns
 * ESS_ENOMEM only. */
static int check_subtotals(const ess_plan *p, ess_findings *out)
{
    const char *u = ess_unit_symbol(p->unit);
    for (size_t k = 0; k < p->nsubtotals; k++) {
        const ess_plan_subtotal *st = &p->subtotals[k];
        int64_t sum, carry, gap = 0;
        if (subtotal_sum_wide(p, st, NULL, &sum, &carry) != 0)
            continue;   /* an unreadable cell: the sum is not known */
        /* lines past int64 cents, or a gap past them ("-max" printed over lines giving "max"),
         * are said at the sub-total as such, never refused: the sub-total far off is the fault
         * to find */
        int sum_side = carry == 0 ? 0 : carry < 0 ? ESS_BELOW_INT64 : ESS_ABOVE_INT64;
        int gap_side = exact_gap(st->stated.cents, sum, carry, &gap);
        if (gap == 0 && gap_side == 0)
            continue;
        ess_finding *x = ess_findings_add(out, ESS_F_SUBTOTAL, (int)st->first, st->funder);
        if (x == NULL)
            return ESS_ENOMEM;
        x->has_expected = sum_side == 0;
        x->has_actual = 1;
        x->expected = sum_side == 0 ? sum : 0;
        x->actual = st->stated.cents;
        x->source_line = st->stated.line;
        x->source_column = st->stated.column;
        char gap_said[256];
        past_sum_gap(p, sum_side, gap, gap_side, x, gap_said, sizeof gap_said);
        say(x, "%.200s: the sub-total %s %s printed under %s differs from the sum of the axis's "
               "lines, %s (%s).",
            p->group_labels[st->group], fmt(p, st->stated.cents).s, u,
            st->funder == ESS_AT_TOTAL ? "Total" : p->funder_labels[st->funder],
            amount_or_past(p, sum, sum_side, u).s, gap_said);
    }
    return ESS_OK;
}

/* The smallest explanations: deepen one edit at a time, up to max_faults.  *level is the
 * number of edits of the explanations found (-1: none), *searched the deepest level searched
 * in full without one (-1: none).  Returns the search's status. */
static int find_explanations(search *s, const ess_reconcile_limits *lim, int *level,
                             int *searched, int *left)
{
    *left = 0;
    for (int k = 0; k <= lim->max_faults && *level < 0 && !s->cut; k++) {
        s->limit = k;
        dfs(s);
        if (s->status)
            return s->status;
        if (s->nfound)
            *level = k;
        else if (!s->cut)
            *searched = k;
    }
    sort_unique(s);
    if (*level >= 0)
        return complete_with_subtotals(s, lim->max_faults, level, left);
    return ESS_OK;
}

/* Nothing small explains every total: say how far the search went, then the single edits
 * that mend part of it.  part receives them (owned by the caller). */
static int report_unexplained(const ess_plan *p, const gaps *g, search *s,
                              const ess_reconcile_limits *lim, size_t mismatches, int at_least,
                              partials *part, ess_findings *out)
{
    while (s->depth)
        pop(s);
    ess_finding *x = ess_findings_add(out, ESS_F_UNEXPLAINED, ESS_AT_NONE, ESS_AT_NONE);
    if (x == NULL)
        return ESS_ENOMEM;
    x->faults = at_least;
    if (s->cut)
        say(x, "No explanation with at most %d correction%s found before the search "
               "stopped (%llu steps); the %zu totals that disagree need at least %d.",
            lim->max_faults, lim->max_faults > 1 ? "s" : "", (unsigned long long)s->work,
            mismatches, x->faults);
    else
        say(x, "No set of at most %d correction%s reconciles the %zu totals that disagree; "
               "it would take at least %d.",
            lim->max_faults, lim->max_faults > 1 ? "s" : "", mismatches, x->faults);
    ESS_RETURN_NOT_OK(find_partials(s, part));   /* adds no finding: x stays valid */
    x->count = part->total;
    x->count_exact = 1;
    x->partial = 1;
    size_t listed = part->count < lim->max_listed ? part->count : lim->max_listed;
    for (size_t k = 0; k < listed; k++)
        if (suggest_single(p, g, &part->items[k], (int)k + 1, 0, out))
            return ESS_ENOMEM;
    if (part->total > listed) {
        ess_finding *m = ess_findings_add(out, ESS_F_TOO_MANY, ESS_AT_NONE, ESS_AT_NONE);
        if (m == NULL || (listed && attach_edits(p, m, part->items, listed)))
            return ESS_ENOMEM;
        m->count = part->total;
        m->count_exact = 1;
        m->partial = 1;
        m->faults = 1;
        say(m, "%llu equivalent single corrections each reconcile part of the totals, too "
               "many to tell apart; the first %zu are listed.",
            (unsigned long long)part->total, listed);
    }
    return ESS_OK;
}

/* The smallest explanations of the line, column and grand totals leave `left` printed
 * sub-totals off, and their corrections would take more than max_faults edits: no
 * explanation is complete.  Said as unexplained (it would take the explanation's edits and
 * one per sub-total left off), each explanation listed as a partial suggestion -- a
 * cell-correction saying "reconciles" there told the analyst one edit mends the plan when
 * its sub-totals still differ after it. */
static int report_subtotals_left(const ess_plan *p, const gaps *g, const search *s,
                                 const ess_reconcile_limits *lim, int level, int left,
                                 ess_findings *out)
{
    ess_finding *x = ess_findings_add(out, ESS_F_UNEXPLAINED, ESS_AT_NONE, ESS_AT_NONE);
    if (x == NULL)
        return ESS_ENOMEM;
    x->faults = level + left;
    x->count = s->nfound;
    x->count_exact = !s->cut;
    x->partial = 1;
    say(x, "No set of at most %d correction%s reconciles every total and sub-total: the smallest "
           "explanation%s of the other totals leave%s %d sub-total%s off; it would take %d.",
        lim->max_faults, lim->max_faults > 1 ? "s" : "", s->nfound > 1 ? "s" : "",
        s->nfound > 1 ? "" : "s", left, left > 1 ? "s" : "", x->faults);
    size_t listed = level == 0 ? 0 : s->nfound < lim->max_listed ? s->nfound : lim->max_listed;
    for (size_t k = 0; k < listed; k++) {
        if (level == 1) {
            if (suggest_single(p, g, &s->found[k], (int)k + 1, 0, out))
                return ESS_ENOMEM;
            continue;
        }
        if (suggest_set(p, &s->found[k], (int)k + 1, out))
            return ESS_ENOMEM;
        ess_finding *f = &out->items[out->count - 1];
        char what[ESS_FINDING_MESSAGE_MAX - 96];
        describe_set(p, &s->found[k], what, sizeof what);
        f->partial = 1;
        say(f, "%d corrections together would reconcile the totals but not every sub-total: %s.",
            s->found[k].size, what);
    }
    return ESS_OK;
}

/* Whether the table prints no total, readable or not, for a plan that has cells. */
static int states_no_total(const ess_plan *p)
{
    if (p->nlines == 0 || p->nfunders == 0 || p->grand_total.state != ESS_CELL_BLANK)
        return 0;
    for (size_t i = 0; i < p->nlines; i++)
        if (p->line_totals[i].state != ESS_CELL_BLANK)
            return 0;
    for (size_t j = 0; j < p->nfunders; j++)
        if (p->funder_totals[j].state != ESS_CELL_BLANK)
            return 0;
    return 1;
}

/* ------------------------------------------------------------------ a line the totals leave out */

/* Does every stated total hold once line i is taken away?  The line's own total must agree with
 * its cells (it is a line like the others), every other line's too, every funder's total must
 * fall short by exactly the line's cell and the grand total by the line's sum; and at least two
 * of its cells must count, or one cell set to 0 already says it.  A doubled line (the figures of
 * another line typed again under a new label, or a line added after the totals were written)
 * otherwise needed one edit per cell: at most three were searched, so a line of four funders
 * came out "unexplained", and one of two or three as an ambiguity of rewritten totals. */
static int line_is_uncounted(const ess_plan *p, const gaps *g, size_t i, int64_t *sum)
{
    size_t F = p->nfunders;
    int counted = 0;
    /* the line's exact sum, whatever the funders' order (wraps counted): each partial was
     * checked, so a line [max - 100, max, -max] left out of the totals was said in one order of
     * the columns and not in another.  A single gap + value needs no more: when it overflows,
     * its exact value is not 0. */
    int64_t carry = 0;
    *sum = 0;
    for (size_t j = 0; j < F; j++) {
        const ess_plan_cell *c = &p->cells[i * F + j];
        int64_t v = c->state == ESS_CELL_VALUE ? c->cents : 0, z;
        ess_add_counting_wraps(sum, v, &carry);
        if (!g->col_known[j])
            continue;
        if (ess_add(g->col[j], v, &z) || z != 0)
            return 0;
        counted += v != 0;
    }
    int64_t z;
    if (carry != 0 || (g->grand_known && (ess_add(g->grand, *sum, &z) || z != 0)))
        return 0;
    return counted >= 2;
}

/* The lines whose taking away reconciles every total, each said with the line whose figures it
 * repeats when there is one; *said is how many.  None when a total or cell is unreadable (its
 * value would have to be guessed with the line and without), when a line's total is off, or
 * when nothing is.  Returns ESS_ENOMEM only. */
static int report_uncounted_lines(const ess_plan *p, const gaps *g, ess_findings *out, int *said)
{
    size_t L = p->nlines, F = p->nfunders;
    *said = 0;
    if (g->row_off || (!g->col_off && !g->grand_off) ||
        p->grand_total.state == ESS_CELL_MALFORMED)
        return ESS_OK;
    for (size_t k = 0; k < L * F; k++)
        if (p->cells[k].state == ESS_CELL_MALFORMED)
            return ESS_OK;
    for (size_t i = 0; i < L; i++)
        if (p->line_totals[i].state == ESS_CELL_MALFORMED)
            return ESS_OK;
    for (size_t j = 0; j < F; j++)
        if (p->funder_totals[j].state == ESS_CELL_MALFORMED)
            return ESS_OK;
    for (size_t i = 0; i < L; i++) {
        int64_t sum;
        if (!line_is_uncounted(p, g, i, &sum))
            continue;
        int twin = -1;   /* the first other line with the same figures */
        for (size_t k = 0; k < L && twin < 0; k++) {
            int same = k != i;
            for (size_t j = 0; j < F && same; j++) {
                const ess_plan_cell *a = &p->cells[i * F + j], *b = &p->cells[k * F + j];
                same = a->state == b->state && a->cents == b->cents;
            }
            if (same)
                twin = (int)k;
        }
        ess_finding *x = ess_findings_add(out, ESS_F_UNCOUNTED_LINE, (int)i, ESS_AT_NONE);
        if (x == NULL)
            return ESS_ENOMEM;
        x->target = twin;
        x->has_actual = 1;
        x->actual = sum;
        /* the place of the line: its first printed cell */
        for (size_t j = 0; j < F && !x->source_line; j++) {
            x->source_line = p->cells[i * F + j].line;
            x->source_column = p->cells[i * F + j].column;
        }
        const char *u = ess_unit_symbol(p->unit);
        if (twin >= 0)
            say(x, "%.200s: every total holds without this line (%s %s in all); its figures are "
                   "those of %.200s (file line %ld): typed twice?",
                p->line_labels[i], fmt(p, sum).s, u, p->line_labels[twin],
                p->cells[(size_t)twin * F].line);
        else
            say(x, "%.200s: every total holds without this line (%s %s in all): the totals leave "
                   "it out (a line added after they were written?).",
                p->line_labels[i], fmt(p, sum).s, u);
        ++*said;
    }
    return ESS_OK;
}

int ess_plan_validate_with(const ess_plan *p, const ess_reconcile_limits *limits,
                           ess_findings *out, ess_error *err)
{
    size_t L = p->nlines, F = p->nfunders;
    ess_reconcile_limits lim;
    limits_or_defaults(limits, &lim);
    gaps g;
    search s;
    partials part = {NULL, 0, 0, 0};
    ess_findings uncounted = {NULL, 0, 0};   /* lines every total holds without */
    char *known = NULL;   /* line i / funder L + j: every cell readable (its sum is known) */
    memset(&s, 0, sizeof s);
    int rc = compute_gaps(p, &g);
    if (rc == ESS_OK)
        rc = search_init(&s, p, &g, &lim);
    if (rc != ESS_OK)
        goto fail;
    if ((known = ess_malloc(L + F + 1)) == NULL)
        goto nomem;
    memset(known, 1, L + F + 1);
    for (size_t i = 0; i < L; i++)
        for (size_t j = 0; j < F; j++)
            if (p->cells[i * F + j].state == ESS_CELL_MALFORMED)
                known[i] = known[L + j] = 0;

    int level = -1, searched = -1, left = 0, root_bound = lower_bound(&s);
    size_t mismatches = s.off_rows + s.off_cols + (size_t)grand_off(&s);
    /* a line the totals leave out is one fault, however many cells it has: said instead of
     * the cell edits that would erase it */
    int said = 0;
    if ((rc = report_uncounted_lines(p, &g, &uncounted, &said)) != ESS_OK)
        goto fail;
    /* a sub-total off with every other total holding: the empty explanation, completed */
    if (!said && (mismatches || s.nbad || subtotals_off(p, NULL)) &&
        (rc = find_explanations(&s, &lim, &level, &searched, &left)) != ESS_OK)
        goto fail;
    /* the unreadable cells' values under the most likely explanation */
    if (level >= 0 && !replay(&s, &s.found[0]))
        level = -1;   /* cannot happen: every explanation recorded was checked by peel() */
    if ((rc = check_cells_and_totals(p, &g, &s, level, known, out)) != ESS_OK ||
        (rc = check_subtotals(p, out)) != ESS_OK)
        goto fail;

    if (states_no_total(p)) {   /* a clean report must not pass for "the totals agree" */
        ess_finding *x = ess_findings_add(out, ESS_F_NO_TOTAL, ESS_AT_NONE, ESS_AT_NONE);
        if (x == NULL)
            goto nomem;
        say(x, "The table states no total (no Total row or column, no grand total): nothing "
               "checks its cells.");
    }

    for (size_t k = 0; k < uncounted.count; k++) {
        ess_finding *x = ess_findings_add(out, ESS_F_UNCOUNTED_LINE, 0, 0);
        if (x == NULL)
            goto nomem;
        *x = uncounted.items[k];
    }

    /* suggestions, most likely first; the fix of an unreadable cell is already in its
     * malformed-number finding */
    if (said) {
        /* the uncounted line is the explanation: no cell search was made */
    } else if (level >= 0 && left > 0) {
        if ((rc = report_subtotals_left(p, &g, &s, &lim, level, left, out)) != ESS_OK)
            goto fail;
    } else if (level > 0) {
        size_t listed = s.nfound < lim.max_listed ? s.nfound : lim.max_listed;
        for (size_t k = 0; k < listed; k++)
            if (level == 1 ? suggest_single(p, &g, &s.found[k], (int)k + 1, 1, out)
                           : suggest_set(p, &s.found[k], (int)k + 1, out))
                goto nomem;
        if (s.nfound > 1 && report_ambiguity(p, &s, listed < 2 ? 2 : listed, out))
            goto nomem;
    } else if (level < 0 && mismatches) {
        int at_least = root_bound > searched + 1 ? root_bound : searched + 1;
        if ((rc = report_unexplained(p, &g, &s, &lim, mismatches, at_least, &part, out)) !=
            ESS_OK)
            goto fail;
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
    ess_free(uncounted.items);
    ess_free(known);
    ess_free(part.items);
    search_free(&s);
    gaps_free(&g);
    return rc;
}
