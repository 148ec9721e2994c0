/*
 * plan.c -- a financing plan: action lines (grouped under axes) x funders, amounts in cents,
 * with the totals the table printed kept apart from the sums the cells give.
 *
 * Reading a plan recognises the layout as people print it rather than by fixed positions:
 *   - title rows above the header (one text cell) are skipped; the header is the first row
 *     with three or more non-blank cells;
 *   - the leading label columns are those holding no amount (one: the line; two: the group
 *     or axis, then the line); a blank group cell carries the group above it down; a "N°" /
 *     "Code" column before them numbers the lines and is passed over (count_label_columns);
 *   - an axis printed on a row of its own ("Axe 1 : Structurer;;", or the group cell alone)
 *     heads the lines under it; figures on that row are their sub-totals, checked against
 *     them and never added (check_axis_rows);
 *   - so does a heading numbered otherwise ("I. Structurer", "A) Former", "Axe stratégique :
 *     ...", capitals) with blank cells, or printing its lines' sums (heading_kind,
 *     blank_heading, subtotal_heading) -- a row in capitals with blank cells only where the
 *     table shows it is one, refused where it shows neither (capitals_heading); otherwise it
 *     is a line (one not funded yet); a
 *     heading over headings printing its lines' sums is a checked sub-total, and refused
 *     when they are not (outer_heading);
 *   - the Total column and the Total row are found by their label ("Total", "TOTAL",
 *     "Totaux", "Total général"; for the column also "Coût total"...), wherever they are, and
 *     may be absent;
 *   - a row "Total des actions de formation" with lines under it and figures that are not the
 *     sums of the lines above is no Total row: a line when a Total row follows, else refused
 *     (is_bare_total_label, lines_after_total); with figures that are those sums, a partial
 *     total (checked, never added) when a Total row follows, else refused (partial_total);
 *   - the unit comes from the header ("en K€") unless the caller forces it.
 * Every problem is collected (not just the first): a ragged row or a duplicate header, line
 * of one axis, or axis (two differing only in case, spaces or accents included: label_key) is
 * structural and fails the read; an unreadable amount is recorded on its cell as MALFORMED and
 * the plan still loads, so validation can report it with everything else.
 *
 * Layer: tables (calls csv.c's table, money.c, dict.c, text.c, error.c; never a ledger).
 *
 * Invariants: cells[i * nfunders + j]; a VALUE cell has its cents, BLANK and MALFORMED cells
 * have 0 cents; raw holds the printed text of every non-blank cell, and of a BLANK cell
 * printing "p.m." (pour mémoire: listed, no amount) or "néant".
 */
#include "internal.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ess_problems_clear(ess_problems *p)
{
    if (p == NULL)
        return;
    ess_free(p->items);
    p->items = NULL;
    p->count = p->cap = 0;
}

static int add_problem(ess_problems *p, long line, long column, int structural, const char *fmt,
                       ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static int add_problem(ess_problems *p, long line, long column, int structural, const char *fmt,
                       ...)
{
    if (p == NULL)
        return ESS_OK;
    if (p->count == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        ess_problem *items = ess_realloc(p->items, cap * sizeof *items);
        if (items == NULL)
            return ESS_ENOMEM;
        p->items = items;
        p->cap = cap;
    }
    ess_problem *pr = &p->items[p->count++];
    *pr = (ess_problem){.line = line, .column = column, .structural = structural};
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pr->message, sizeof pr->message, fmt, ap);
    va_end(ap);
    ess_text_mend(pr->message);
    return ESS_OK;
}

/* Gives the problem just added its kind (ESS_PLAN_*), numbers and text, for a host to word it
 * in its reader's language (the message stays the English wording). */
static void tag_problem(ess_problems *p, int kind, long n, long m, const char *text)
{
    if (p == NULL || p->count == 0)
        return;
    ess_problem *pr = &p->items[p->count - 1];
    pr->kind = kind;
    pr->kind_n = n;
    pr->kind_m = m;
    snprintf(pr->kind_text, sizeof pr->kind_text, "%s", text ? text : "");
    ess_text_mend(pr->kind_text);
}

/* The same with a second text (the other label of two) and a third number. */
static void tag_problem2(ess_problems *p, int kind, long n, long m, const char *text,
                         const char *other, long k)
{
    tag_problem(p, kind, n, m, text);
    if (p == NULL || p->count == 0)
        return;
    ess_problem *pr = &p->items[p->count - 1];
    pr->kind_k = k;
    snprintf(pr->kind_other, sizeof pr->kind_other, "%s", other ? other : "");
    ess_text_mend(pr->kind_other);
}

const char *ess_plan_problem_name(int kind)
{
    static const char *const names[] = {
        [ESS_PLAN_ROW_WIDTH] = "plan-row-width",
        [ESS_PLAN_ROW_WIDTH_COMMA] = "plan-row-width-comma",
        [ESS_PLAN_SECOND_TOTAL_COLUMN] = "plan-second-total-column",
        [ESS_PLAN_COLUMN_NO_FUNDER] = "plan-column-no-funder",
        [ESS_PLAN_FUNDER_TWICE] = "plan-funder-twice",
        [ESS_PLAN_SECOND_TOTAL_ROW] = "plan-second-total-row",
        [ESS_PLAN_HEADER_TWO_ROWS] = "plan-header-two-rows",
        [ESS_PLAN_DETAIL_ROW] = "plan-detail-row",
        [ESS_PLAN_SUBTOTAL_ROW] = "plan-subtotal-row",
        [ESS_PLAN_NO_LABEL] = "plan-no-label",
        [ESS_PLAN_NO_LABEL_NO_LINE] = "plan-no-label-no-line",
        [ESS_PLAN_LINE_TWICE] = "plan-line-twice",
        [ESS_PLAN_SUBTOTAL_COLUMN] = "plan-subtotal-column",
        [ESS_PLAN_DETAIL_COLUMN] = "plan-detail-column",
        [ESS_PLAN_SHARE_COLUMN] = "plan-share-column",
        [ESS_PLAN_CODE_COLUMN] = "plan-code-column",
        [ESS_PLAN_FUNDER_SIMILAR] = "plan-funder-similar",
        [ESS_PLAN_LINE_SIMILAR] = "plan-line-similar",
        [ESS_PLAN_AXIS_SIMILAR] = "plan-axis-similar",
        [ESS_PLAN_CAPITALS_UNDECIDED] = "plan-capitals-undecided",
        [ESS_PLAN_BAD_AMOUNT] = "plan-bad-amount",
        [ESS_PLAN_NOTE_MARK_CELL] = "plan-note-mark-cell",
        [ESS_PLAN_NOTE_ROW] = "plan-note-row",
        [ESS_PLAN_PARTIAL_TOTAL_COUNTED] = "plan-partial-total-counted",
        [ESS_PLAN_PARTIAL_TOTAL_LAST] = "plan-partial-total-last",
        [ESS_PLAN_TOTAL_MISPLACED] = "plan-total-misplaced",
        [ESS_PLAN_OUTER_HEADING] = "plan-outer-heading",
        [ESS_PLAN_SUBTOTAL_MISMATCH] = "plan-subtotal-mismatch",
        [ESS_PLAN_UNIT_TWO] = "plan-unit-two",
        [ESS_PLAN_UNIT_TITLE] = "plan-unit-title",
        [ESS_PLAN_UNIT_GIVEN] = "plan-unit-given",
        [ESS_PLAN_UNIT_ONE_COLUMN] = "plan-unit-one-column",
        [ESS_PLAN_UNIT_ASSUMED] = "plan-unit-assumed",
        [ESS_PLAN_TAX_MIX] = "plan-tax-mix",
        [ESS_PLAN_CELL_UNIT] = "plan-cell-unit",
        [ESS_PLAN_HEADER_REPEATED] = "plan-header-repeated",
        [ESS_PLAN_UNIT_ASSUMED_EUROS] = "plan-unit-assumed-euros",
        [ESS_PLAN_UNIT_CURRENCY] = "plan-unit-currency",
        [ESS_PLAN_HEADER_UNITS_REPEATED] = "plan-header-units-repeated",
        [ESS_PLAN_UNIT_AGAIN] = "plan-unit-again",
        [ESS_PLAN_UNIT_UNREAD] = "plan-unit-unread",
    };
    if (kind <= 0 || (size_t)kind >= sizeof names / sizeof *names)
        return NULL;
    return names[kind];
}

static int is_blank(const char *s) { return s == NULL || ess_text_is_blank(s, strlen(s)); }

/* Does the text hold a letter (ASCII, or a Latin letter with a diacritic)? */
static int has_letter(const char *s)
{
    for (const unsigned char *u = (const unsigned char *)s; *u; u++)
        if ((*u >= 'A' && *u <= 'Z') || (*u >= 'a' && *u <= 'z') || *u == 0xC3 || *u == 0xC5)
            return 1;
    return 0;
}

/* The length of the first of words (written in lower case) that s starts with, case folded
 * (0: none).  Both sides compare as unsigned bytes: a word's UTF-8 byte as a (signed) char never
 * equalled the folded byte, so "Thème", "Opération", "Total de l’axe" never matched.  Accented
 * capitals fold too (text.c's ess_text_fold_at), character by character: "COÛT TOTAL",
 * "RÉPARTITION" are the words "coût total", "répartition".  The folded length of a character
 * is its length, so the length returned is s's too. */
static size_t starts_with_one_of(const char *s, const char *const *words, size_t nwords)
{
    for (size_t w = 0; w < nwords; w++) {
        size_t n = strlen(words[w]), k = 0;
        while (k < n && s[k]) {
            char folded[2];
            size_t m = ess_text_fold_at(s + k, s[k + 1] ? 2 : 1, folded);
            if (k + m > n || memcmp(folded, words[w] + k, m) != 0)
                break;
            k += m;
        }
        if (k == n)
            return n;
    }
    return 0;
}

/* Headers that name a column of labels rather than a funder. */
static int is_label_header(const char *s)
{
    static const char *words[] = {"axe", "ligne", "action", "dispositif", "libell", "intitul",
                                  "mesure", "programme", "objet", "poste", "rubrique", "cat",
                                  "th\xc3\xa8me", "theme", "op\xc3\xa9ration", "operation",
                                  "projet", "line", "item", "label"};
    while (*s == ' ' || *s == '\t')
        s++;
    return starts_with_one_of(s, words, sizeof words / sizeof words[0]) > 0;
}

/* A header that is a label word and nothing else but what it labels: "Ligne", "Actions",
 * "Intitulé de l'action", "Libellé (ligne)" -- not "Action Logement" (a funder), nor "Projet
 * Europe".  For a column with no cell to read, where is_label_header's prefixes would take
 * such a funder for the lines' labels. */
static size_t starts_with_word(const char *s, const char *const *words, size_t nwords);
static int is_bare_label_header(const char *s)
{
    static const char *words[] = {
        "action line", "budget line", "axe", "axes", "ligne", "lignes", "action", "actions", "dispositif", "dispositifs",
        "libell\xc3\xa9", "libelle", "intitul\xc3\xa9", "intitule", "mesure", "mesures",
        "programme", "programmes", "objet", "poste", "postes", "rubrique", "rubriques",
        "cat\xc3\xa9gorie", "categorie", "th\xc3\xa8me", "th\xc3\xa8mes", "theme", "themes",
        "op\xc3\xa9ration", "op\xc3\xa9rations", "operation", "operations", "projet", "projets",
        "line", "lines", "item", "items", "label", "labels"};
    if (s == NULL)
        return 0;
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = starts_with_word(s, words, sizeof words / sizeof words[0]);
    if (n == 0)
        return 0;
    const char *rest = s + n;
    while (*rest == ' ' || *rest == '\t')
        rest++;
    static const char *of[] = {"de ", "du ", "des ", "d'", "d\xe2\x80\x99", "of ", "(", ":"};
    return *rest == '\0' || starts_with_one_of(rest, of, sizeof of / sizeof *of) > 0;
}

/* "Total", "TOTAL", "Totaux", "Total général", "Total (k€)", "Sous-total" is NOT a grand
 * total of the table but we do not expect one in a plan of lines. */
static int is_total_label(const char *s)
{
    if (s == NULL)
        return 0;
    while (*s == ' ' || *s == '\t')
        s++;
    static const char *words[] = {"total", "totaux", "montant total"};
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
        size_t n = starts_with_one_of(s, &words[w], 1);
        char next = n ? s[n] : 'x';
        /* "Total", "Total général", "TOTAL:" -- not "Totalement" */
        if (next == '\0' || next == ' ' || next == ':' || next == '(' || next == '\t' ||
            (unsigned char)next >= 0x80)
            return 1;
    }
    return 0;
}

/* "Sous-total Axe 1", "Sous total", "S/total", "Subtotal", "Total axe 2", "Total de l'axe":
 * an axis's sub-total row.  The plan model has no place for one: read as an action line it
 * doubled every column, and the correct Total row was "corrected" to the doubled sums; as
 * "Total axe 1" it was taken for the Total row.  Such a row is refused by name instead. */
static int is_subtotal_label(const char *s)
{
    if (s == NULL)
        return 0;
    while (*s == ' ' || *s == '\t')
        s++;
    static const char *words[] = {"sous-total", "sous total", "sous-totaux", "s/total",
                                  "s/s total", "subtotal", "sub-total", "sub total",
                                  "total axe", "total de l'axe", "total de l\xe2\x80\x99" "axe",
                                  "total par axe", "total du axe", "total de axe"};
    return starts_with_one_of(s, words, sizeof words / sizeof words[0]) > 0;
}

/* Is the byte at s a word's end: the end, white space, punctuation, a symbol -- anything but
 * a letter or a digit ("é", "œ": UTF-8 lead bytes 0xC3, 0xC5, as has_letter reads them)? */
static int word_ends_at(const char *s)
{
    unsigned char c = (unsigned char)*s;
    return c == '\0' || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == 0xC3 || c == 0xC5);
}

/* The length of the first of words that s starts with as a whole word (0: none): "totales"
 * is the word "totales", never "total" followed by more letters. */
static size_t starts_with_word(const char *s, const char *const *words, size_t nwords)
{
    for (size_t w = 0; w < nwords; w++) {
        size_t n = starts_with_one_of(s, &words[w], 1);
        if (n && word_ends_at(s + n))
            return n;
    }
    return 0;
}

/* A column of notes beside the figures: its header is a remark word, alone or followed by more
 * words ("Commentaires", "Observations du comité", "Remarques éventuelles", "Précisions").  Its
 * cells are the committee's remarks, no funder's amounts: read as a funder, each remark was an
 * unreadable amount and a number typed there was added to every total.  A whole word only:
 * "Observatoire" is a funder. */
int ess_plan_is_note_header(const char *s)
{
    static const char *words[] = {"commentaires", "commentaire", "comments", "comment",
                                  "observations", "observation", "remarques", "remarque",
                                  "remarks", "remark", "pr\xc3\xa9" "cisions",
                                  "pr\xc3\xa9" "cision", "precisions", "precision"};
    if (s == NULL)
        return 0;
    for (;;) {   /* spaces before the word: a spreadsheet's no-break ones too (U+00A0, U+202F) */
        if (*s == ' ' || *s == '\t')
            s++;
        else if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
            s += 2;
        else if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
                 (unsigned char)s[2] == 0xAF)
            s += 3;
        else
            break;
    }
    return starts_with_word(s, words, sizeof words / sizeof words[0]) > 0;
}

/* A column header that names the total of the line in other words than "Total ...": "Coût
 * total", "Budget total", "Montant total du projet", "Financement total".  Read as a funder,
 * such a column added every line a second time and, its own column total matching the Total
 * row, validated clean with total() doubled.  The header must start with a word that names an
 * amount and hold "total" as a word after it: "total" anywhere took "Fondation Total" (the
 * TotalEnergies foundation funds ESS) for the Total column, and its amounts out of every sum. */
static int is_total_header(const char *s)
{
    if (is_total_label(s))
        return 1;
    if (s == NULL)
        return 0;
    while (*s == ' ' || *s == '\t')
        s++;
    static const char *amount_words[] = {"co\xc3\xbbt", "cout", "co\xc3\xbbts", "couts",
                                         "montant", "montants", "budget", "financement",
                                         "financements", "d\xc3\xa9pense", "d\xc3\xa9penses",
                                         "depense", "depenses", "somme", "cost", "amount",
                                         "funding", "grand"};
    size_t first = starts_with_word(s, amount_words, sizeof amount_words / sizeof amount_words[0]);
    if (!first)
        return 0;
    static const char *words[] = {"total", "totaux", "totale", "totales"};
    for (const char *p = s + first; *p; p++) {
        if (!word_ends_at(p - 1))
            continue;   /* the word must start after a space or punctuation */
        if (starts_with_word(p, words, sizeof words / sizeof words[0]))
            return 1;
    }
    return 0;
}

/* "dont FSE", "- dont Europe", "(dont 50 de FSE)", "of which": a line that details the line
 * above it, whose amounts already include it.  Read as a line of its own it counted its amounts
 * twice in every total; without a Total row nothing said so.  Such a row (or column) is refused
 * by name instead. */
static int is_detail_label(const char *s)
{
    if (s == NULL)
        return 0;
    for (;;) {   /* white space and the bullets a word processor prints before a sub-line */
        const unsigned char *u = (const unsigned char *)s;
        if (*u == ' ' || *u == '\t' || *u == '-' || *u == '*' || *u == '(' || *u == '>' ||
            *u == '+' || *u == '.')
            s++;
        else if (u[0] == 0xC2 && (u[1] == 0xA0 || u[1] == 0xB7 || u[1] == 0xBB))
            s += 2;   /* NBSP, middle dot, >> */
        else if (u[0] == 0xE2 && u[1] == 0x80 &&
                 (u[2] == 0x93 || u[2] == 0x94 || u[2] == 0xA2 || u[2] == 0xAF || u[2] == 0xA6))
            s += 3;   /* en dash, em dash, bullet, narrow NBSP, ellipsis */
        else if (u[0] == 0xE2 && u[1] == 0x86 && u[2] == 0x92)
            s += 3;   /* right arrow */
        else
            break;
    }
    static const char *words[] = {"dont", "of which", "incl.", "including"};
    size_t n = starts_with_one_of(s, words, sizeof words / sizeof words[0]);
    return n && (s[n - 1] == '.' || word_ends_at(s + n));
}

/* "%", "Part", "Part (%)", "Taux", "Pourcentage", "Répartition": a column of shares, not of a
 * funder's amounts.  Read as a funder, its percentages were added to every line in euros. */
static int is_share_header(const char *s)
{
    if (s == NULL)
        return 0;
    if (strchr(s, '%') != NULL)
        return 1;
    while (*s == ' ' || *s == '\t')
        s++;
    /* "Part" alone, not "Part. usagers" (the users' participation, an amount) */
    static const char *alone[] = {"part", "parts", "part du total", "part relative"};
    for (size_t w = 0; w < sizeof alone / sizeof alone[0]; w++) {
        size_t n = starts_with_one_of(s, &alone[w], 1);
        if (n && is_blank(s + n))
            return 1;
    }
    static const char *words[] = {"quote-part", "quote part", "pourcentage", "taux",
                                  "r\xc3\xa9partition", "repartition", "ratio", "share",
                                  "percent", "percentage"};
    return starts_with_word(s, words, sizeof words / sizeof words[0]) > 0;
}

/* "N°", "Code", "Réf.", "Année": a column of numbers that are no amounts.  After the line
 * labels, read as a funder, its codes (101, 102...) or years (2010) were added to every total,
 * silently when the table printed no Total. */
static int is_reference_header(const char *s)
{
    if (s == NULL)
        return 0;
    while (*s == ' ' || *s == '\t')
        s++;
    static const char *words[] = {"n\xc2\xb0", "n\xc2\xba", "no.", "num", "num\xc3\xa9ro",
                                  "numero", "code", "r\xc3\xa9" "f", "ref", "r\xc3\xa9" "f\xc3\xa9rence",
                                  "reference", "id", "identifiant", "ann\xc3\xa9" "e", "annee",
                                  "year", "exercice", "siret", "siren"};
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
        size_t n = starts_with_one_of(s, &words[w], 1);
        if (n && (s[n - 1] == '.' || (unsigned char)s[n - 1] >= 0x80 || word_ends_at(s + n)))
            return 1;
    }
    return 0;
}

/* The header columns a plan refuses, each with why (a printf format taking the header). */
static const struct {
    int (*is)(const char *header);
    int kind;   /* ESS_PLAN_*: for a host to word it */
    const char *why;
} refused_columns[] = {
    {is_subtotal_label, ESS_PLAN_SUBTOTAL_COLUMN, "a sub-total column ('%.60s'): a plan holds funders' columns and one Total "
                        "column; remove it (essconv rolls funders up to their parties itself: "
                        "by_party)"},
    {is_detail_label, ESS_PLAN_DETAIL_COLUMN, "a 'dont' column ('%.60s'): it details the column before it, whose amounts "
                      "already include it; read as a funder it would be counted twice: remove it"},
    {is_share_header, ESS_PLAN_SHARE_COLUMN, "a percentage column ('%.60s'): a plan's columns hold funders' amounts, and "
                      "shares read as amounts would be added to every total; remove it "
                      "(plan.shares() computes them)"},
    {is_reference_header, ESS_PLAN_CODE_COLUMN, "a column of codes or numbers ('%.60s') after the line labels: its "
                          "figures are no funder's amounts and would be added to every total; "
                          "remove it, or join it to the line label ('1.2 Observatoire')"},
};


/* Copies s without its surrounding white space. */
static char *trimmed_copy(const char *s)
{
    if (s == NULL)
        return ess_strndup("", 0);
    size_t n = strlen(s);
    ess_text_trim(&s, &n);
    return ess_strndup(s, n);
}

static int breaks_label(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Copies s[0..n) on one line: each run of white space holding a line break is one space.  A
 * label typed on two lines in its cell (Alt+Enter in Excel, a quoted CSV cell: "Région\nNPDC",
 * "Structures\r\naccompagnement") is shown wrapped, one name; kept with its break it was
 * another funder or line than the same name typed on one line, and every finding naming it
 * was cut in two in a listing that gives each its own line. */
static char *one_line_copy(const char *s, size_t n)
{
    char *out = ess_malloc(n + 1);
    if (out == NULL)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        if (!breaks_label(s[i])) {
            out[o++] = s[i++];
            continue;
        }
        size_t j = i;
        int line_break = 0;
        while (j < n && breaks_label(s[j])) {
            line_break |= s[j] == '\r' || s[j] == '\n';
            j++;
        }
        if (line_break) {
            out[o++] = ' ';
        } else {
            memcpy(out + o, s + i, j - i);
            o += j - i;
        }
        i = j;
    }
    out[o] = '\0';
    return out;
}

/* A line's or an axis's label: trimmed, on one line (one_line_copy). */
static char *label_copy(const char *s)
{
    if (s == NULL)
        return ess_strndup("", 0);
    size_t n = strlen(s);
    ess_text_trim(&s, &n);
    return one_line_copy(s, n);
}

/* Whether s[0..n) is a unit alone, as a header prints it after a funder's name: words each of
 * "en", "k€", "M€", "€", "keur", "euros", "milliers", "millions", "d'euros", "1 000"... */
static int unit_words_only(const char *s, size_t n)
{
    static const char *const words[] = {
        "en", "k\xe2\x82\xac", "m\xe2\x82\xac", "\xe2\x82\xac", "k", "m", "keur", "meur",
        "eur", "euro", "euros", "keuros", "meuros", "keuro", "meuro", "millier", "milliers",
        "million", "millions", "d", "de", "1000", "1", "000",
        /* the tax basis printed beside the unit ("CR (K€ HT)", "CDC (k€ TTC)"): the unit's
         * words, not the funder's name -- kept in it, no party of the convention bore the
         * funder "CR (K€ HT)" (plan_tax_basis reads it, for a header mixing the two) */
        "ht", "h.t.", "h.t", "ttc", "t.t.c.", "t.t.c", "hors", "taxe", "taxes", "toutes",
        "comprises", "k\xe2\x82\xacht", "k\xe2\x82\xacttc", "m\xe2\x82\xacht",
        "m\xe2\x82\xacttc", "\xe2\x82\xacht", "\xe2\x82\xacttc"};
    size_t i = 0, count = 0;
    while (i < n) {
        size_t sep = 0;   /* the separator's length at i: spaces, apostrophes, commas */
        if (s[i] == ' ' || s[i] == '\'' || s[i] == ',')
            sep = 1;
        else if (i + 1 < n && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0)
            sep = 2;
        else if (i + 2 < n && (unsigned char)s[i] == 0xE2 && (unsigned char)s[i + 1] == 0x80 &&
                 ((unsigned char)s[i + 2] == 0xAF || (unsigned char)s[i + 2] == 0x99))
            sep = 3;   /* narrow no-break space, typographic apostrophe */
        if (sep) {
            i += sep;
            continue;
        }
        size_t j = i;
        while (j < n && s[j] != ' ' && s[j] != '\'' && s[j] != ',' && (unsigned char)s[j] != 0xC2 &&
               !((unsigned char)s[j] == 0xE2 && j + 2 < n && (unsigned char)s[j + 1] == 0x80 &&
                 ((unsigned char)s[j + 2] == 0xAF || (unsigned char)s[j + 2] == 0x99)))
            j++;
        if (j == i)
            return 0;
        int known = 0;
        for (size_t w = 0; w < sizeof words / sizeof *words && !known; w++) {
            size_t len = strlen(words[w]);
            known = len == j - i;
            for (size_t k = 0; k < len && known; k++)
                known = ess_text_fold((unsigned char)s[i + k]) ==
                        ess_text_fold((unsigned char)words[w][k]);
        }
        if (!known)
            return 0;
        count++;
        i = j;
    }
    return count > 0;
}

/* The tax basis a header cell prints: 1 "HT" ("hors taxes"), 2 "TTC" ("toutes taxes
 * comprises"), 0 neither -- as a word of its own ("CHTS" names neither). */
enum { TAX_NONE = 0, TAX_HT = 1, TAX_TTC = 2 };
static int plan_tax_basis(const char *h)
{
    /* folded as it is read, with no copy: a header is read with no allocation to fail */
    if (h == NULL)
        return TAX_NONE;
    static const char *const ht_words[] = {"hors tax"}, *const ttc_words[] = {"toutes taxes"};
    for (size_t i = 0; h[i] != '\0'; i++) {
        if (starts_with_one_of(h + i, ht_words, 1))
            return TAX_HT;
        if (starts_with_one_of(h + i, ttc_words, 1))
            return TAX_TTC;
    }
    for (size_t i = 0; h[i] != '\0';) {
        /* a word: letters and dots ("H.T."), between any other characters */
        size_t j = i;
        char word[6];
        size_t n = 0;
        for (; (ess_text_fold((unsigned char)h[j]) >= 'a' &&
                ess_text_fold((unsigned char)h[j]) <= 'z') || h[j] == '.'; j++)
            if (n < sizeof word)
                word[n++] = (char)ess_text_fold((unsigned char)h[j]);
        if (j == i) {
            i++;
            continue;
        }
        if (j - i <= sizeof word) {
            while (n > 0 && word[n - 1] == '.')
                n--;   /* "H.T." and "HT." are "h.t" and "ht" */
            if ((n == 2 && memcmp(word, "ht", 2) == 0) || (n == 3 && memcmp(word, "h.t", 3) == 0))
                return TAX_HT;
            if ((n == 3 && memcmp(word, "ttc", 3) == 0) || (n == 5 && memcmp(word, "t.t.c", 5) == 0))
                return TAX_TTC;
        }
        i = j;
    }
    return TAX_NONE;
}

/* A funder's name from its header: "CDC (M€)", "Région (en k€)", "CDC en k€" are CDC and
 * Région -- the unit is the plan's (choose_style refuses a column in another one), and kept in
 * the name it made "CDC (k€)" a funder no convention bears and another funder than "CDC" of
 * the next year's plan.  A malloc'd copy, trimmed. */
/* "CR k€", "CDC - K€ HT", "CG 59 : k€": a unit printed after the name with neither
 * parentheses nor "en" -- kept in the name, it made "CR k€" a funder no convention bears,
 * another than the next year's "CR".  The length of the name before it (n: none); the tail
 * must be unit words only and name the euro, so that "CG 59" or "Fondation K" keep theirs. */
static size_t bare_unit_tail(const char *h, size_t n)
{
    for (size_t k = 1; k + 1 < n; k++) {
        if (h[k] != ' ')
            continue;
        const char *tail = h + k + 1;
        size_t m = n - k - 1;
        int euro = 0;
        for (size_t i = 0; i < m && !euro; i++)
            euro = (i + 2 < m && memcmp(tail + i, "\xe2\x82\xac", 3) == 0) ||
                   (i + 2 < m && ess_text_fold((unsigned char)tail[i]) == 'e' &&
                    ess_text_fold((unsigned char)tail[i + 1]) == 'u' &&
                    ess_text_fold((unsigned char)tail[i + 2]) == 'r');
        if (!euro || !unit_words_only(tail, m))
            continue;
        size_t keep = k;   /* then the separator before the unit: " - ", " : ", " / ", dashes */
        for (;;) {
            while (keep > 0 && (h[keep - 1] == ' ' || h[keep - 1] == '-' || h[keep - 1] == ':' ||
                                h[keep - 1] == '/'))
                keep--;
            if (keep >= 3 && (unsigned char)h[keep - 3] == 0xE2 &&
                (unsigned char)h[keep - 2] == 0x80 &&
                ((unsigned char)h[keep - 1] == 0x93 || (unsigned char)h[keep - 1] == 0x94))
                keep -= 3;   /* en dash, em dash */
            else
                break;
        }
        return keep > 0 ? keep : n;
    }
    return n;
}

static char *funder_name_copy(const char *h)
{
    size_t n = h ? strlen(h) : 0;
    if (h == NULL)
        return ess_strndup("", 0);
    ess_text_trim(&h, &n);
    size_t full = n;
    /* "CR (k€) HT": the tax basis after the unit's parentheses is the unit's words too */
    for (size_t k = n; k-- > 1;)
        if (h[k] == ' ') {
            if (plan_tax_basis(h + k) != TAX_NONE && unit_words_only(h + k, n - k)) {
                size_t m = k;
                while (m > 0 && h[m - 1] == ' ')
                    m--;
                if (m > 0 && h[m - 1] == ')')
                    n = m;
            }
            break;
        }
    size_t keep = n;
    if (n > 0 && h[n - 1] == ')') {
        size_t open = n - 1;
        while (open > 0 && h[open - 1] != '(')
            open--;
        if (open > 1 && unit_words_only(h + open, n - 1 - open))
            keep = open - 1;
    } else {
        for (size_t k = n; k-- > 1;)   /* the last " en " and what follows it */
            if (h[k - 1] == ' ' && k + 2 < n && ess_text_fold((unsigned char)h[k]) == 'e' &&
                ess_text_fold((unsigned char)h[k + 1]) == 'n' && h[k + 2] == ' ') {
                if (unit_words_only(h + k, n - k))
                    keep = k - 1;
                break;
            }
    }
    if (keep == n && n == full)
        keep = bare_unit_tail(h, n);
    if (keep == n && n != full)
        keep = full;   /* "Europe (FSE) HT": no unit in the parentheses, the name is kept whole */
    const char *name = h;
    size_t len = keep;
    ess_text_trim(&name, &len);
    if (len == 0)   /* "(k€)" alone: no name left to keep */
        name = h, len = full;
    return one_line_copy(name, len);
}

void ess_plan_free(ess_plan *plan)
{
    if (plan == NULL)
        return;
    for (size_t i = 0; i < plan->nlines; i++) {
        ess_free(plan->line_labels ? plan->line_labels[i] : NULL);
        if (plan->line_totals)
            ess_free(plan->line_totals[i].raw);
    }
    for (size_t j = 0; j < plan->nfunders; j++) {
        ess_free(plan->funder_labels ? plan->funder_labels[j] : NULL);
        if (plan->funder_totals)
            ess_free(plan->funder_totals[j].raw);
    }
    for (size_t g = 0; g < plan->ngroups; g++)
        ess_free(plan->group_labels ? plan->group_labels[g] : NULL);
    if (plan->cells)
        for (size_t k = 0; k < plan->nlines * plan->nfunders; k++)
            ess_free(plan->cells[k].raw);
    ess_free(plan->grand_total.raw);
    ess_free(plan->line_labels);
    ess_free(plan->funder_labels);
    ess_free(plan->group_labels);
    ess_free(plan->line_group);
    ess_free(plan->cells);
    ess_free(plan->line_totals);
    ess_free(plan->funder_totals);
    ess_free(plan->corner);
    ess_free(plan->title);
    for (size_t k = 0; plan->subtotals && k < plan->nsubtotals; k++)
        ess_free(plan->subtotals[k].stated.raw);
    ess_free(plan->subtotals);
    ess_free(plan->funder_places);
    ess_free(plan);
}

/* Allocates the arrays of a plan of the given shape, every cell blank. */
static ess_plan *plan_alloc(size_t nlines, size_t nfunders, size_t ngroups)
{
    ess_plan *p = ess_calloc(1, sizeof *p);
    if (p == NULL)
        return NULL;
    p->nlines = nlines;
    p->nfunders = nfunders;
    p->ngroups = ngroups;
    p->line_labels = ess_calloc(nlines, sizeof(char *));
    p->funder_labels = ess_calloc(nfunders, sizeof(char *));
    p->group_labels = ess_calloc(ngroups, sizeof(char *));
    p->line_group = ess_calloc(nlines, sizeof(int32_t));
    p->cells = nlines && nfunders ? ess_calloc(nlines * nfunders, sizeof(ess_plan_cell))
                                  : ess_calloc(1, sizeof(ess_plan_cell));
    p->line_totals = ess_calloc(nlines, sizeof(ess_plan_cell));
    p->funder_totals = ess_calloc(nfunders, sizeof(ess_plan_cell));
    if (!p->line_labels || !p->funder_labels || !p->group_labels || !p->line_group ||
        !p->cells || !p->line_totals || !p->funder_totals ||
        (nlines && nfunders && nlines > SIZE_MAX / nfunders)) {
        /* counts must be zero before free so it does not walk NULL arrays' contents */
        ess_plan_free(p);
        return NULL;
    }
    return p;
}

static int copy_cell(ess_plan_cell *dst, const ess_plan_cell *src)
{
    *dst = *src;
    dst->raw = NULL;
    if (src->raw && (dst->raw = ess_strndup(src->raw, strlen(src->raw))) == NULL)
        return ESS_ENOMEM;
    return ESS_OK;
}

ess_plan *ess_plan_copy(const ess_plan *src)
{
    ess_plan *p = plan_alloc(src->nlines, src->nfunders, src->ngroups);
    if (p == NULL)
        return NULL;
    p->unit = src->unit;
    p->decimal_mark = src->decimal_mark;
    p->money_flags = src->money_flags;
    p->year = src->year;
    p->has_total_column = src->has_total_column;
    p->has_total_row = src->has_total_row;
    if (src->corner && (p->corner = ess_strndup(src->corner, strlen(src->corner))) == NULL)
        goto fail;
    if (src->title && (p->title = ess_strndup(src->title, strlen(src->title))) == NULL)
        goto fail;
    for (size_t i = 0; i < src->nlines; i++) {
        if ((p->line_labels[i] = ess_strndup(src->line_labels[i], strlen(src->line_labels[i]))) ==
            NULL)
            goto fail;
        p->line_group[i] = src->line_group[i];
        if (copy_cell(&p->line_totals[i], &src->line_totals[i]))
            goto fail;
        for (size_t j = 0; j < src->nfunders; j++)
            if (copy_cell(&p->cells[i * src->nfunders + j], &src->cells[i * src->nfunders + j]))
                goto fail;
    }
    for (size_t j = 0; j < src->nfunders; j++) {
        if ((p->funder_labels[j] =
                 ess_strndup(src->funder_labels[j], strlen(src->funder_labels[j]))) == NULL)
            goto fail;
        if (copy_cell(&p->funder_totals[j], &src->funder_totals[j]))
            goto fail;
    }
    for (size_t g = 0; g < src->ngroups; g++)
        if ((p->group_labels[g] = ess_strndup(src->group_labels[g], strlen(src->group_labels[g]))) ==
            NULL)
            goto fail;
    if (copy_cell(&p->grand_total, &src->grand_total))
        goto fail;
    if (src->nsubtotals) {
        if ((p->subtotals = ess_calloc(src->nsubtotals, sizeof *p->subtotals)) == NULL)
            goto fail;
        for (size_t k = 0; k < src->nsubtotals; k++, p->nsubtotals++) {
            p->subtotals[k] = src->subtotals[k];
            if (copy_cell(&p->subtotals[k].stated, &src->subtotals[k].stated))
                goto fail;
        }
    }
    if (src->funder_places && src->nfunders) {
        if ((p->funder_places = ess_calloc(2 * src->nfunders, sizeof(long))) == NULL)
            goto fail;
        memcpy(p->funder_places, src->funder_places, 2 * src->nfunders * sizeof(long));
    }
    return p;
fail:
    ess_plan_free(p);
    return NULL;
}

/* What a plan must keep that a host's image may not: a unit, labels, lines in groups that
 * exist, cells in a known state.  ess_plan_copy then owns a copy of every string. */
int ess_plan_restore(const ess_plan *image, ess_plan **out, ess_error *err)
{
    *out = NULL;
    if (image->unit != ESS_UNIT_EUR && image->unit != ESS_UNIT_KEUR && image->unit != ESS_UNIT_MEUR)
        return ess_error_set(err, ESS_EINVAL, 0, 0, "not the state of a plan: unit %d",
                             (int)image->unit);
    for (size_t i = 0; i < image->nlines; i++)
        if (image->line_group[i] < -1 || image->line_group[i] >= (int64_t)image->ngroups)
            return ess_error_set(err, ESS_EINVAL, 0, 0, "line %zu is in group %d of %zu", i,
                                 (int)image->line_group[i], image->ngroups);
    const ess_plan_cell *const runs[] = {image->cells, image->line_totals, image->funder_totals,
                                         &image->grand_total};
    const size_t lengths[] = {image->nlines * image->nfunders, image->nlines, image->nfunders, 1};
    for (size_t r = 0; r < 4; r++)
        for (size_t k = 0; k < lengths[r]; k++)
            if (runs[r][k].state > ESS_CELL_MALFORMED)
                return ess_error_set(err, ESS_EINVAL, 0, 0, "a plan cell in state %d",
                                     (int)runs[r][k].state);
    for (size_t k = 0; k < image->nsubtotals; k++) {
        const ess_plan_subtotal *u = &image->subtotals[k];
        if (u->first >= u->end || u->end > image->nlines || u->stated.state != ESS_CELL_VALUE ||
            u->group < 0 || (size_t)u->group >= image->ngroups ||
            (u->funder != ESS_AT_TOTAL && (u->funder < 0 || (size_t)u->funder >= image->nfunders)))
            return ess_error_set(err, ESS_EINVAL, 0, 0, "not the state of a plan: sub-total %zu",
                                 k);
    }
    char *const *const labels[] = {image->line_labels, image->funder_labels, image->group_labels};
    const size_t nlabels[] = {image->nlines, image->nfunders, image->ngroups};
    for (size_t r = 0; r < 3; r++)
        for (size_t k = 0; k < nlabels[r]; k++)
            if (labels[r][k] == NULL)
                return ess_error_set(err, ESS_EINVAL, 0, 0, "a plan's label %zu is missing", k);
    if ((*out = ess_plan_copy(image)) == NULL)
        return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory restoring a plan");
    return ESS_OK;
}

int ess_plan_set_cell(ess_plan *plan, size_t line, size_t funder, int state, int64_t cents)
{
    ess_plan_cell *c;
    if (funder == (size_t)ESS_AT_TOTAL && line == (size_t)ESS_AT_TOTAL)
        c = &plan->grand_total;
    else if (funder == (size_t)ESS_AT_TOTAL && line < plan->nlines)
        c = &plan->line_totals[line];
    else if (line == (size_t)ESS_AT_TOTAL && funder < plan->nfunders)
        c = &plan->funder_totals[funder];
    else if (line < plan->nlines && funder < plan->nfunders)
        c = &plan->cells[line * plan->nfunders + funder];
    else
        return ESS_EINVAL;
    if (state != ESS_CELL_BLANK && state != ESS_CELL_VALUE)
        return ESS_EINVAL;
    c->state = (uint8_t)state;
    c->cents = state == ESS_CELL_VALUE ? cents : 0;
    ess_free(c->raw);
    c->raw = NULL;
    if (state == ESS_CELL_VALUE) {
        char buf[64];
        ess_money_format(cents, plan->unit, " ", ',',
                         ess_money_shown_decimals(cents, plan->unit), buf, sizeof buf);
        if ((c->raw = ess_strndup(buf, strlen(buf))) == NULL)
            return ESS_ENOMEM;
    }
    return ESS_OK;
}

/* The plan's sums add modulo 2^64 and count their wraps (ess_add_counting_wraps): a partial
 * sum may pass int64 cents and come back, and only the final value must fit.  Each partial was
 * checked, so a line [max, max, -max] was refused where the ledger's group-by and total give
 * its sum: the answer depended on the order of addition.  What must stay true: every margin is
 * the exact sum of the cells under it (never of other margins, which may not fit themselves),
 * refused only when that exact sum is past int64 cents, *out then saying by which end. */
static int exact_or_side(int64_t sum, int64_t carry, int64_t *out)
{
    if (carry != 0) {
        *out = carry < 0 ? ESS_BELOW_INT64 : ESS_ABOVE_INT64;
        return ESS_EOVERFLOW;
    }
    *out = sum;
    return ESS_OK;
}

int ess_plan_line_sum(const ess_plan *plan, size_t line, int64_t *out)
{
    int64_t s = 0, carry = 0;
    assert(line < plan->nlines);
    for (size_t j = 0; j < plan->nfunders; j++) {
        const ess_plan_cell *c = &plan->cells[line * plan->nfunders + j];
        assert(c->state == ESS_CELL_VALUE || c->cents == 0);   /* blank, unreadable: 0 cents */
        ess_add_counting_wraps(&s, c->cents, &carry);
    }
    return exact_or_side(s, carry, out);
}

int ess_plan_funder_sum(const ess_plan *plan, size_t funder, int64_t *out)
{
    int64_t s = 0, carry = 0;
    for (size_t i = 0; i < plan->nlines; i++)
        ess_add_counting_wraps(&s, plan->cells[i * plan->nfunders + funder].cents, &carry);
    return exact_or_side(s, carry, out);
}

/* Every cell of the lines under group (all lines when group is -1): a line's own sum may be
 * past int64 cents while the group's fits. */
static int lines_sum(const ess_plan *plan, long group, int64_t *out)
{
    int64_t s = 0, carry = 0;
    for (size_t i = 0; i < plan->nlines; i++) {
        if (group >= 0 && plan->line_group[i] != (int32_t)group)
            continue;
        for (size_t j = 0; j < plan->nfunders; j++)
            ess_add_counting_wraps(&s, plan->cells[i * plan->nfunders + j].cents, &carry);
    }
    return exact_or_side(s, carry, out);
}

int ess_plan_group_sum(const ess_plan *plan, size_t group, int64_t *out)
{
    return lines_sum(plan, (long)group, out);
}

int ess_plan_total(const ess_plan *plan, int64_t *out)
{
    return lines_sum(plan, -1, out);
}

int ess_plan_pivot(const ess_plan *plan, const int32_t *funder_group, size_t ncolgroups,
                   int64_t *out)
{
    size_t L = plan->nlines, G = plan->ngroups, F = plan->nfunders, K = ncolgroups;
    size_t width = F + K + 1, n = (L + G + 1) * width;
    /* each slot's wraps: a margin is checked once every cell is in (exact_or_side) */
    int64_t *carry = ess_calloc(n, sizeof *carry);
    if (carry == NULL)
        return ESS_ENOMEM;
    memset(out, 0, n * sizeof *out);
    for (size_t i = 0; i < L; i++) {
        size_t rows[3] = {i, 0, L + G};
        size_t nr = 1;
        if (plan->line_group[i] >= 0)
            rows[nr++] = L + (size_t)plan->line_group[i];
        rows[nr++] = L + G;
        for (size_t j = 0; j < F; j++) {
            const ess_plan_cell *c = &plan->cells[i * F + j];
            if (c->state != ESS_CELL_VALUE)
                continue;
            size_t cols[3] = {j, 0, F + K};
            size_t nc = 1;
            if (funder_group && funder_group[j] >= 0 && (size_t)funder_group[j] < K)
                cols[nc++] = F + (size_t)funder_group[j];
            cols[nc++] = F + K;
            for (size_t r = 0; r < nr; r++)
                for (size_t k = 0; k < nc; k++) {
                    size_t at = rows[r] * width + cols[k];
                    ess_add_counting_wraps(&out[at], c->cents, &carry[at]);
                }
        }
    }
    for (size_t at = 0; at < n; at++)
        if (carry[at] != 0) {
            int64_t side;
            exact_or_side(0, carry[at], &side);
            out[0] = side;   /* the table is refused: its first slot says the side */
            ess_free(carry);
            return ESS_EOVERFLOW;
        }
    ess_free(carry);
    return ESS_OK;
}

/* The magnitude of a readable figure, as uint64 (|INT64_MIN| fits). */
static uint64_t magnitude(const ess_plan_cell *c)
{
    if (c->state != ESS_CELL_VALUE)
        return 0;
    return c->cents < 0 ? (uint64_t)(-(c->cents + 1)) + 1u : (uint64_t)c->cents;
}

/* A plan's sum that leaves int64 cents was "the plan's sums overflow int64 cents", naming no
 * cell: in a table of hundreds, the analyst had to find the figure himself.  Every figure fits
 * (read_amount refuses one that does not), so a sum overflows because one or two are absurd (a
 * SIRET or a phone number pasted, a unit applied twice): the error names the largest figure,
 * stated totals included, by its place in the source and its line and funder, as the likeliest
 * (never as surely wrong: a right figure and a typo elsewhere overflow alike).  The first of
 * equal ones; a plan with no readable figure cannot overflow, and gets no place. */
/* The side a sum of the plan leaves int64 cents by, when its caller (validation, which adds
 * many sums) does not know it: the grand total's, a line's, a funder's or a group's (each exact:
 * a line's may be past int64 cents while the total fits), else a stated total's gap to its cells
 * (stated - cells, exact in 128 bits); 0 when none of them overflows. */
static int64_t plan_overflow_side(const ess_plan *plan)
{
    size_t L = plan->nlines, F = plan->nfunders;
    int64_t s;
    if (ess_plan_total(plan, &s))
        return s;
    for (size_t i = 0; i < L; i++)
        if (ess_plan_line_sum(plan, i, &s))
            return s;
    for (size_t j = 0; j < F; j++)
        if (ess_plan_funder_sum(plan, j, &s))
            return s;
    for (size_t g = 0; g < plan->ngroups; g++)
        if (ess_plan_group_sum(plan, g, &s))
            return s;
    for (size_t k = 0; k < L + F + 1; k++) {
        const ess_plan_cell *stated = k < L       ? &plan->line_totals[k]
                                      : k < L + F ? &plan->funder_totals[k - L]
                                                  : &plan->grand_total;
        int64_t cells = 0;
        if (stated->state != ESS_CELL_VALUE ||
            (k < L ? ess_plan_line_sum(plan, k, &cells)
                   : k < L + F ? ess_plan_funder_sum(plan, k - L, &cells)
                               : ess_plan_total(plan, &cells)))
            continue;
        __int128 gap = (__int128)stated->cents - cells;
        if (gap > INT64_MAX || gap < INT64_MIN)
            return gap < 0 ? ESS_BELOW_INT64 : ESS_ABOVE_INT64;
    }
    return 0;
}

int ess_plan_overflow_error(const ess_plan *plan, int64_t side, ess_error *err)
{
    if (side == 0)
        side = plan_overflow_side(plan);
    /* the limit passed, as the English says amounts (a French figure among English words read
     * as a misprint); none when the side is not known */
    const char *limit = ess_int64_limit_said(side == ESS_BELOW_INT64   ? ESS_BELOW_INT64
                                             : side == ESS_ABOVE_INT64 ? ESS_ABOVE_INT64
                                                                       : 0);
    size_t L = plan->nlines, F = plan->nfunders;
    const ess_plan_cell *big = NULL;
    long big_line = -1, big_funder = -1;   /* an index, or -1 for the Total row or column */
    uint64_t largest = 0;
    size_t figures = 0;   /* the readable figures: any sum that overflows adds some of them */
    for (size_t k = 0; k < L * F + L + F + 1; k++) {
        const ess_plan_cell *c;
        long i = -1, j = -1;
        if (k < L * F)
            c = &plan->cells[k], i = (long)(k / F), j = (long)(k % F);
        else if (k < L * F + L)
            c = &plan->line_totals[k - L * F], i = (long)(k - L * F);
        else if (k < L * F + L + F)
            c = &plan->funder_totals[k - L * F - L], j = (long)(k - L * F - L);
        else
            c = &plan->grand_total;
        figures += c->state == ESS_CELL_VALUE;
        if (c->state == ESS_CELL_VALUE && (big == NULL || magnitude(c) > largest))
            largest = magnitude(c), big = c, big_line = i, big_funder = j;
    }
    int rc;
    if (big == NULL) {
        rc = ess_error_set(err, ESS_EOVERFLOW, 0, 0, "the plan's sums overflow int64 cents%s",
                           limit);
        goto said;
    }
    char figure[64];
    ess_money_format(big->cents, plan->unit, ",", '.',
                     ess_money_shown_decimals(big->cents, plan->unit), figure, sizeof figure);
    const char *line = big_line >= 0 ? plan->line_labels[big_line] : "Total";
    const char *funder = big_funder >= 0 ? plan->funder_labels[big_funder] : "Total";
    if (big->line <= 0)   /* a sum of records (a ledger's pivot): no figure was typed */
        rc = ess_error_set(err, ESS_EOVERFLOW, 0, 0,
                           "the plan's sums overflow int64 cents%s: its largest figure is %s "
                           "(%.60s x %.40s)",
                           *limit ? limit : " (92,233,720,368,547,758.07\xc2\xa0\xe2\x82\xac)",
                           figure, line, funder);
    else {
        /* Which figure is wrong cannot be proved: a right large figure and a typo elsewhere make
         * the same overflow.  What is sure: a sum of at most `figures` of them past the limit holds
         * one of INT64_MAX / figures or more -- said, so the analyst sees why the largest is the
         * likeliest, and is told to look further when it is right. */
        char floor_figure[64];
        int64_t per_unit = plan->unit == ESS_UNIT_MEUR ? 100000000 : plan->unit == ESS_UNIT_KEUR
                                                                         ? 100000 : 100;
        int64_t floor_cents = INT64_MAX / (int64_t)figures / per_unit * per_unit;   /* whole units */
        ess_money_format(floor_cents, plan->unit, ",", '.', -1, floor_figure, sizeof floor_figure);
        rc = ess_error_set(err, ESS_EOVERFLOW, big->line, big->column,
                           "the plan's sums overflow int64 cents%s; most likely its largest figure, "
                           "'%.25s' (%.24s x %.20s), is wrong: an overflowing sum of these %zu "
                           "figures holds one of %s %s or more. Check it (a code pasted? a unit "
                           "applied twice?), then the next largest",
                           limit, big->raw ? big->raw : figure, line, funder, figures,
                           floor_figure,
                           ess_unit_symbol(plan->unit));
    }
said:
    if (err != NULL) {   /* which sum and its side, for a host to word in its reader's language */
        err->detail = ESS_OVERFLOW_PLAN;
        err->detail_n = side;
    }
    return rc;
}

/* ------------------------------------------------------------------ reading */

/* Whether text is the French budget's mark of a line listed with no amount: "p.m." (pour
 * mémoire, "pm", "P.M."), "pour mémoire", "néant" -- in any case, with or without points and
 * spaces, accents or not.  Such a cell holds no amount, exactly like a blank one: reported as
 * an unreadable number, it made a committee's usual plan fail validation. */
static int is_no_amount_mark(const char *text)
{
    char key[16];
    size_t n = 0;
    for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
        int c;
        if (*s == ' ' || *s == '.')
            continue;
        if (s[0] == 0xC2 && s[1] == 0xA0) {   /* NBSP */
            s++;
            continue;
        }
        if (s[0] == 0xC3 && (s[1] == 0xA9 || s[1] == 0x89)) {   /* é, É */
            c = 'e';
            s++;
        } else if (*s < 0x80 && ((*s | 0x20) >= 'a' && (*s | 0x20) <= 'z')) {
            c = *s | 0x20;
        } else {
            return 0;
        }
        if (n + 1 >= sizeof key)
            return 0;
        key[n++] = (char)c;
    }
    key[n] = '\0';
    return strcmp(key, "pm") == 0 || strcmp(key, "pourmemoire") == 0 ||
           strcmp(key, "neant") == 0;
}

/* A cell's place for a problem ("DLA x CDC") from where (its line and funder joined by a
 * '\x1f', as a host gets them to word it). */
static const char *english_where(const char *where, char *buf, size_t size)
{
    const char *sep = strchr(where, '\x1f');
    if (sep == NULL)
        return where;
    snprintf(buf, size, "%.*s x %s", (int)(sep - where), where, sep + 1);
    return buf;
}

/* Reads one printed amount into cell; an unreadable one becomes MALFORMED and a problem. */
static int read_amount(ess_plan_cell *cell, const char *text, long line, long column,
                       const ess_money_style *style, const char *where, ess_problems *problems)
{
    ess_error e;
    ess_error_clear(&e);
    cell->line = line;
    cell->column = column;
    cell->state = ESS_CELL_BLANK;
    cell->cents = 0;
    cell->raw = NULL;
    if (is_blank(text))
        return ESS_OK;
    if ((cell->raw = trimmed_copy(text)) == NULL)
        return ESS_ENOMEM;
    if (is_no_amount_mark(cell->raw))
        return ESS_OK;   /* blank, its "p.m." kept for the display */
    int64_t cents;
    ess_unit seen = ESS_UNIT_NONE;
    int rc = ess_money_parse(text, strlen(text), style, &cents, &seen, &e);
    if (rc == ESS_OK) {
        cell->state = ESS_CELL_VALUE;
        cell->cents = cents;
        if (seen == ESS_UNIT_NONE || seen == style->unit || style->unit == ESS_UNIT_NONE)
            return ESS_OK;
        /* "10 €" in a plan in k€ is read exactly (0,01 k€), but a cell printing its own unit
         * is most often a figure typed in the wrong unit (10 meant as k€): said at its cell,
         * never silently scaled */
        char place[200], read[64], other[128];
        ess_money_format(cents, style->unit, ",", '.', -1, read, sizeof read);
        rc = add_problem(problems, line, column, 0,
                         "%s: '%s' prints its own unit, %s, where the plan's is %s: read as %s %s; "
                         "if the figure is meant in %s, write it without its unit",
                         english_where(where, place, sizeof place), cell->raw,
                         ess_unit_symbol(seen), ess_unit_symbol(style->unit), read,
                         ess_unit_symbol(style->unit), ess_unit_symbol(style->unit));
        if (rc == ESS_OK) {
            snprintf(other, sizeof other, "%.100s\x1f%lld", where ? where : "", (long long)cents);
            tag_problem2(problems, ESS_PLAN_CELL_UNIT, (long)seen, (long)style->unit, cell->raw,
                         other, 0);
        }
        return rc;
    }
    cell->state = ESS_CELL_MALFORMED;
    char place[200];
    rc = add_problem(problems, line, column, 0, "%s: %s",
                     english_where(where, place, sizeof place), e.message);
    if (rc == ESS_OK)
        tag_problem2(problems, ESS_PLAN_BAD_AMOUNT, e.detail, e.detail_n, cell->raw, where,
                     e.column);
    return rc;
}

/* What reading a plan learns of its table, one step after another (ess_plan_from_table).
 * Each step fills its fields and returns a status; the reading frees what it owns once. */
typedef struct plan_reading {
    const ess_table *t;
    ess_problems *problems;       /* where unreadable amounts and structural problems go */
    size_t header;                /* the header row: the first with three non-blank cells */
    size_t given_header;          /* the header row a host found, (size_t)-1 to search */
    size_t units_row;             /* the header's units line under it, (size_t)-1 if none */
    size_t first_row;             /* the first row after the header (and its units line):
                                   * every step reads the plan's rows from it, none the
                                   * units line ("en euros;€;€;€" is no line of the plan) */
    long header_line;
    ess_unit title_unit;          /* a unit printed above the header, ESS_UNIT_NONE if none */
    int unit_assumed_euros;       /* no unit printed anywhere nor given: read in euros */
    size_t ncols;                 /* the width a row may have: the header's, less blank ends */
    size_t lead;                  /* a numbering column before the labels: 1, else 0 */
    size_t nlabel;                /* label columns after it: 1 (line) or 2 (group, line) */
    ess_money_style style;        /* how the amounts are printed */
    size_t total_col, total_row;  /* the Total column and row, (size_t)-1 if none */
    size_t *funder_col;           /* table column of each funder (owned) */
    size_t nfunders;
    size_t *line_row;             /* table row of each line (owned) */
    int32_t *row_group;           /* group of each line, -1 if none (owned) */
    size_t nlines;
    char **groups;                /* group labels, moved into the plan (owned until then) */
    size_t ngroups;
    ess_dict group_names;         /* the group labels again: their codes are their indices */
    ess_dict group_keys;          /* their label_keys: one axis typed two ways is refused */
    size_t *group_of_key;         /* the group of each of those keys (owned) */
    long *group_line;             /* the line each group is first printed on (owned) */
    size_t *axis_row;             /* axis rows printing figures, and their lines [first, end) */
    size_t *axis_first, *axis_end;
    int *axis_kind;               /* each axis row's heading_kind, HEADING_NONE for "Axe 1" */
    size_t naxis_rows;
    ess_plan_subtotal *subtotals; /* axis rows' sub-totals kept for validation (owned) */
    size_t nsubtotals, capsubtotals;
    size_t *scratch_rows;         /* room for the table's rows (subtotal_heading) */
    int subtotal_kind;            /* the kind of the last heading read with sub-totals, or 0 */
    int outer_kind;               /* the kind of the last heading over headings (outer_heading) */
    size_t partial_from;          /* the first line after the last partial total (partial_total) */
    size_t *partial_rows;         /* the rows read as partial totals (owned) */
    size_t npartial;
    int64_t *above_sum;           /* each column's sum over lines [0, above_upto) modulo 2^64
                                   * (owned); above_carry its wraps (add_cell: exact) */
    int64_t *above_carry;
    signed char *above_known;     /* 1: that sum holds; 0: a cell unreadable */
    size_t above_upto;
    size_t open_axis;             /* the axis row whose lines are being read, (size_t)-1 if none */
    int group_kind;               /* the heading_kind of the row that gave the current group
                                   * (HEADING_NONE: an axis row or the group column) */
    size_t group_since;           /* the number of lines read when that group was entered */
    int capitals_headings;        /* rows in capitals that blank_heading takes: -1 not counted */
    struct note_cache *notes;     /* what note_row and referenced_note found, by mark (owned) */
    int64_t *cut_sum;             /* scratch sums of a capitals heading's block (block_cuts) */
    int64_t *cut_carry;           /* as above_carry, for cut_sum */
    signed char *cut_known;       /* as above_known, for cut_sum */
    size_t cut_heading;           /* the heading block_cuts last read (0: none), and there */
    size_t cut_first, cut_count;  /* the first row its sub-totals end the block at, how many */
    size_t text_tail;             /* the first row of the table's tail of text-only rows */
    int marked_lines;             /* a line's label starts with a note's mark ("(1) Former") */
} plan_reading;

/* A note's mark ("(1)", "(a)", "(**)": fewer than 160 of them) and what the table says of it,
 * found once each: a table of many cells "(1)" is still read in linear time. */
struct note_cache {
    size_t n;
    struct {
        char mark[6];
        size_t row;              /* its note's row, (size_t)-1 if none */
        signed char referenced;  /* an amount cell carries it: 1, 0, -1 not looked for yet */
    } item[160];
    /* above_total_row's last run of notes and blank rows (rows run_from up to run_end, 0 0:
     * none yet) and whether the Total row ends it: each row of a long run looked once */
    size_t run_from, run_end;
    int run_total;
};

static void reading_free(plan_reading *rd)
{
    for (size_t g = 0; rd->groups && g < rd->ngroups; g++)
        ess_free(rd->groups[g]);
    ess_free(rd->groups);
    ess_dict_clear(&rd->group_names);
    ess_dict_clear(&rd->group_keys);
    ess_free(rd->group_of_key);
    ess_free(rd->group_line);
    ess_free(rd->funder_col);
    ess_free(rd->line_row);
    ess_free(rd->row_group);
    ess_free(rd->axis_row);
    for (size_t k = 0; rd->subtotals && k < rd->nsubtotals; k++)
        ess_free(rd->subtotals[k].stated.raw);
    ess_free(rd->subtotals);
    ess_free(rd->axis_first);
    ess_free(rd->axis_end);
    ess_free(rd->axis_kind);
    ess_free(rd->scratch_rows);
    ess_free(rd->partial_rows);
    ess_free(rd->above_sum);
    ess_free(rd->above_carry);
    ess_free(rd->above_known);
    ess_free(rd->notes);
    ess_free(rd->cut_sum);
    ess_free(rd->cut_carry);
    ess_free(rd->cut_known);
}

static int no_memory(ess_error *err)
{
    return ess_error_set(err, ESS_ENOMEM, 0, 0, "out of memory reading the plan");
}

/* The header: the first row with three non-blank cells; rows above are titles. */
/* The unit a header or title cell says: ess_unit_in_text's, and "en 1000 €", "(en 1 000
 * euros)": thousands of euros, which the "€" in them read as euros -- a plan 1000 times
 * smaller than printed. */
/* Whether the bytes that end at s + end spell word, ASCII letters in any case. */
static int word_before(const char *s, size_t end, const char *word)
{
    size_t n = strlen(word);
    if (end < n)
        return 0;
    for (size_t k = 0; k < n; k++)
        if (ess_text_fold((unsigned char)s[end - n + k]) != word[k])
            return 0;
    return 1;
}

/* Where the spaces (and NBSPs) that end at s + k begin. */
static size_t spaces_before(const char *s, size_t k)
{
    for (;;) {
        if (k > 0 && s[k - 1] == ' ')
            k--;
        else if (k > 1 && s[k - 2] == '\xc2' && s[k - 1] == '\xa0')   /* NBSP */
            k -= 2;
        else
            return k;
    }
}

/* Whether the "1000" at s + i is introduced as a unit: "en 1000 €", "(1000 €)", "unité :
 * 1000 €".  A title's "aides de 1 000 € par structure" names an amount, not the table's unit:
 * read as k€, its plan in euros would come out 1000 times too large. */
static int introduces_unit(const char *s, size_t i)
{
    size_t k = spaces_before(s, i);
    if (k > 0 && s[k - 1] == '(')
        return 1;
    if (k > 0 && s[k - 1] == ':') {
        k = spaces_before(s, k - 1);
        return word_before(s, k, "unit\xc3\xa9") || word_before(s, k, "unit\xc3\x89") ||
               word_before(s, k, "unite") || word_before(s, k, "unit");
    }
    int letter_before = k >= 3 && ((s[k - 3] | 0x20) >= 'a' && (s[k - 3] | 0x20) <= 'z');
    return word_before(s, k, "en") && !letter_before;
}

static ess_unit plan_unit_in_text(const char *s)
{
    static const char *const thousand[] = {"1000", "1 000", "1.000", "1\xc2\xa0" "000",
                                           "1\xe2\x80\xaf" "000"};
    static const char *const euro[] = {"\xe2\x82\xac", "euros", "euro", "eur"};
    size_t len = s ? strlen(s) : 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '1' || (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9'))
            continue;
        for (size_t k = 0; k < sizeof thousand / sizeof *thousand; k++) {
            size_t n = strlen(thousand[k]);
            if (strncmp(s + i, thousand[k], n) != 0 || (s[i + n] >= '0' && s[i + n] <= '9'))
                continue;
            const char *after = s + i + n;
            while (*after == ' ' || (after[0] == '\xc2' && after[1] == '\xa0'))
                after += *after == ' ' ? 1 : 2;
            size_t e = starts_with_one_of(after, euro, sizeof euro / sizeof *euro);
            if (e && word_ends_at(after + e) && introduces_unit(s, i))
                return ESS_UNIT_KEUR;
        }
    }
    return s ? ess_unit_in_text(s, len) : ESS_UNIT_NONE;
}

/* A multiplier essconv does not read, said as a title's or header cell's unit: "Plan 2010 (en
 * centaines d'euros)", "CDC (mil €)", "en centaines de milliers d'euros".  Its "euros" (or
 * "milliers") was read, and the plan 100 or 1000 times off, silently.  The word is one of
 * ess_unit_word_unread's (the amount columns' list), introduced as a unit ("(", "en",
 * "unité :"); a number is left to plan_unit_in_text ("en 1000 €" reads k€).  Its length, 0 if
 * none; *word where it starts. */
static size_t plan_unit_word_unread(const char *s, const char **word)
{
    size_t len = s ? strlen(s) : 0, from = 0;
    ess_unit unit = plan_unit_in_text(s);
    int multiplied = unit == ESS_UNIT_KEUR || unit == ESS_UNIT_MEUR;
    while (from < len) {
        const char *at = NULL;
        size_t n = ess_unit_word_unread(s + from, len - from, multiplied, &at);
        if (n == 0)
            return 0;
        from = (size_t)(at - s) + n;
        if (!(*at >= '0' && *at <= '9') && introduces_unit(s, (size_t)(at - s))) {
            *word = at;
            return n;
        }
    }
    return 0;
}

/* The header search's reading of a cell: what a row of amounts holds under its funders. */
enum { CELL_BLANK, CELL_AMOUNT, CELL_YEAR, CELL_TEXT };

/* Whether text says an amount is not communicated: "n.c.", "NC", "n/c". */
static int is_not_communicated(const char *text)
{
    char key[8];
    size_t n = 0;
    for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
        if (*s == ' ' || *s == '.' || *s == '/')
            continue;
        if (*s >= 0x80 || n + 1 >= sizeof key)
            return 0;
        key[n++] = (char)(*s | 0x20);
    }
    key[n] = '\0';
    return strcmp(key, "nc") == 0;
}

static int header_search_cell(const char *cell)
{
    if (is_blank(cell))
        return CELL_BLANK;
    const char *s = cell;
    size_t n = strlen(cell);
    ess_text_trim(&s, &n);
    /* "2010" in a title ("Convention ESS;Annexe 1;2010") is a year before an amount */
    if (n == 4) {
        int y = 0, digits = 1;
        for (size_t k = 0; k < 4 && digits; k++)
            digits = s[k] >= '0' && s[k] <= '9', y = 10 * y + (s[k] - '0');
        if (digits && y >= 1990 && y <= 2099)
            return CELL_YEAR;
    }
    if (is_no_amount_mark(cell) || is_not_communicated(cell))
        return CELL_AMOUNT;
    /* a share ("50 %") reads as a figure too */
    while (n > 0 && (s[n - 1] == '%' || s[n - 1] == ' '))
        n--;
    int64_t cents;
    const ess_money_style comma = {',', ESS_UNIT_EUR, 0}, point = {'.', ESS_UNIT_EUR, 0};
    int rc = ess_money_parse(s, n, &comma, &cents, NULL, NULL);
    if (rc == ESS_OK || rc == ESS_BLANK)   /* ESS_BLANK: a dash, the French zero */
        return CELL_AMOUNT;
    rc = ess_money_parse(s, n, &point, &cents, NULL, NULL);
    return rc == ESS_OK || rc == ESS_BLANK ? CELL_AMOUNT : CELL_TEXT;
}

/* Whether row r is a row of amounts: beside its labels (column 0), its cells read as amounts
 * at least as often as text (a remark beside a figure still leaves it one), or as years with
 * no text at all. */
static int is_amount_row(const ess_table *t, size_t r)
{
    size_t count[4] = {0};
    for (size_t c = 1; c < ess_table_row_len(t, r); c++)
        count[header_search_cell(ess_table_cell(t, r, c))]++;
    return (count[CELL_AMOUNT] > 0 && count[CELL_AMOUNT] >= count[CELL_TEXT]) ||
           (count[CELL_YEAR] > 0 && count[CELL_TEXT] == 0 && count[CELL_AMOUNT] == 0);
}

static size_t nonblank_cells(const ess_table *t, size_t r)
{
    size_t n = 0;
    for (size_t c = 0; c < ess_table_row_len(t, r); c++)
        n += !is_blank(ess_table_cell(t, r, c));
    return n;
}

/* The first row of amounts below row first (a row of three cells or more), (size_t)-1 if
 * none. */
static size_t first_amount_row(const ess_table *t, size_t first)
{
    for (size_t r = first + 1; r < t->nrows; r++)
        if (nonblank_cells(t, r) && is_amount_row(t, r))
            return r;
    return (size_t)-1;
}

/* Whether row r says it is a header, as a title does not: a corner naming the labels
 * ("Action", "Ligne") or the unit alone ("en k€"), a Total column, a column of notes. */
static int looks_like_header(const ess_table *t, size_t r)
{
    const char *corner = ess_table_cell(t, r, 0);
    if (!is_blank(corner)) {
        const char *s = corner;
        size_t n = strlen(corner);
        ess_text_trim(&s, &n);
        if (is_bare_label_header(corner) || unit_words_only(s, n))
            return 1;
    }
    for (size_t c = 1; c < ess_table_row_len(t, r); c++) {
        const char *cell = ess_table_cell(t, r, c);
        if (!is_blank(cell) && (is_total_header(cell) || ess_plan_is_note_header(cell)))
            return 1;
    }
    return 0;
}

/* The unit a cell of a units line prints alone ("€", "k€", "K€", "M€", "euros", "keur"; the
 * corner's "en euros", "en k€", "in €"), ESS_UNIT_NONE for anything else.  A digit makes it an
 * amount ("1 000 €"), never a unit. */
static ess_unit unit_alone(const char *cell, int corner)
{
    if (is_blank(cell))
        return ESS_UNIT_NONE;
    const char *s = cell;
    size_t n = strlen(cell);
    ess_text_trim(&s, &n);
    if (corner && n > 3 && ess_text_fold((unsigned char)s[0]) == 'i' &&
        ess_text_fold((unsigned char)s[1]) == 'n' && s[2] == ' ') {
        s += 3;   /* "in €": unit_words_only knows the French "en" only */
        n -= 3;
        ess_text_trim(&s, &n);
    }
    for (size_t k = 0; k < n; k++)
        if (s[k] >= '0' && s[k] <= '9')
            return ESS_UNIT_NONE;
    return unit_words_only(s, n) ? ess_unit_in_text(s, n) : ESS_UNIT_NONE;
}

/* Whether row r is a header's units line, as Excel's financing plans print one under their
 * header ("en euros;€;€;€", ";k€;k€;k€"): its first cell blank or a unit's words, every other
 * cell blank or a unit alone, one at least.  Read as a line, it was a line « en euros » of
 * units with no amount, or with its first cell blank a header over two rows.  The units may
 * differ: choose_style refuses that at the cell. */
static int is_units_row(const ess_table *t, size_t r)
{
    size_t n = ess_table_row_len(t, r), units = 0;
    const char *corner = n ? ess_table_cell(t, r, 0) : NULL;
    if (n < 2 || (!is_blank(corner) && unit_alone(corner, 1) == ESS_UNIT_NONE))
        return 0;
    for (size_t c = 1; c < n; c++) {
        const char *cell = ess_table_cell(t, r, c);
        if (is_blank(cell))
            continue;
        if (unit_alone(cell, 0) == ESS_UNIT_NONE)
            return 0;
        units++;
    }
    return units > 0;
}

static int repeats_header(const plan_reading *rd, size_t r);

/* Is row r a units line under the header printed again at r - 1 ("en euros;€;€;€" under
 * "ligne;État;Région;Total" on each page of an export)?  Like that header, no line of the
 * plan: read as one, it was a line « en euros » of units with no amount.  choose_style
 * refuses one saying another unit than the plan's; every step passes over the rest. */
static int repeats_units_row(const plan_reading *rd, size_t r)
{
    return r > rd->first_row && is_units_row(rd->t, r) && repeats_header(rd, r - 1);
}

/* The header above the first row of amounts: the last row from first on that holds labels
 * (two cells or more) over every column where that row has an amount -- an axis' heading
 * ("Axe 1 : Emploi") or a units line ("en k€") names no funder's column, and a title
 * above the header is never the last.  The first row that also looks like a header ends the
 * search. */
static size_t header_above(const ess_table *t, size_t first, size_t amounts)
{
    size_t header = first;
    for (size_t r = first; r < amounts; r++) {
        if (nonblank_cells(t, r) < 2 || (r > first && is_amount_row(t, r)))
            continue;
        int names_all = 1;
        for (size_t c = 1; c < ess_table_row_len(t, amounts) && names_all; c++)
            if (header_search_cell(ess_table_cell(t, amounts, c)) == CELL_AMOUNT)
                names_all = c < ess_table_row_len(t, r) && !is_blank(ess_table_cell(t, r, c));
        if (!names_all)
            continue;
        header = r;
        if (looks_like_header(t, r))
            break;   /* the rows below it are the plan's: a first line whose every figure is
                        unreadable ("DLA;x;y;z") names no funder */
    }
    return header;
}

/* With no row of amounts to tell: the next row with more cells, none of them an amount, is
 * the header, the first a title ("Convention ESS;Annexe 1;2010" above "Action;CR;CG;Total"). */
static size_t wider_row_below(const ess_table *t, size_t header)
{
    for (;;) {
        size_t next = header + 1;
        while (next < t->nrows && nonblank_cells(t, next) == 0)
            next++;
        if (next >= t->nrows)
            return header;
        int amount = 0;
        ess_money_style euros = {',', ESS_UNIT_EUR, 0};
        for (size_t c = 0; c < ess_table_row_len(t, next) && !amount; c++) {
            const char *cell = ess_table_cell(t, next, c);
            int64_t cents;
            amount = !is_blank(cell) &&
                     ess_money_parse(cell, strlen(cell), &euros, &cents, NULL, NULL) == ESS_OK;
        }
        if (amount || nonblank_cells(t, next) <= nonblank_cells(t, header))
            return header;
        header = next;
    }
}

/* With no row of amounts to tell: the first row from first on that looks like a header
 * ("Action;CR;CDC" under "Convention ESS;Annexe 1;2010"), else the width decides. */
static size_t header_without_amounts(const ess_table *t, size_t first)
{
    for (size_t r = first; r < t->nrows; r++)
        if (nonblank_cells(t, r) >= 2 && looks_like_header(t, r))
            return r;
    return wider_row_below(t, first);
}

static int find_header(plan_reading *rd, ess_error *err)
{
    const ess_table *t = rd->t;
    size_t header = (size_t)-1;
    if (rd->given_header != (size_t)-1 && rd->given_header < t->nrows) {
        /* found by the host on the table as printed (ess_plan_header), before it set a column
         * of notes aside: "Ligne;Région;Observations" has a header of two cells without it */
        for (size_t r = 0; r <= rd->given_header; r++)
            for (size_t c = 0; c < ess_table_row_len(t, r); c++) {
                const char *cell = ess_table_cell(t, r, c);
                if (rd->title_unit == ESS_UNIT_NONE && cell)
                    rd->title_unit = plan_unit_in_text(cell);
            }
        header = rd->given_header;
        goto found;
    }
    for (size_t r = 0; r < t->nrows && header == (size_t)-1; r++) {
        size_t nonblank = 0, n = ess_table_row_len(t, r);
        for (size_t c = 0; c < n; c++) {
            const char *cell = ess_table_cell(t, r, c);
            nonblank += !is_blank(cell);
            if (rd->title_unit == ESS_UNIT_NONE && cell)
                rd->title_unit = plan_unit_in_text(cell);
        }
        if (nonblank >= 3)
            header = r;
    }
    /* "Convention ESS;Annexe 1;2010" above "en k€;CR;Total": a title as wide as the header
     * was taken for it, its cells for funders ("Annexe 1", "2010").  Width says nothing here:
     * the header is the row of labels just above the first row of amounts, titles, a units
     * line ("en k€") and blank lines above it. */
    if (header != (size_t)-1) {
        size_t amounts = first_amount_row(t, header);
        if (amounts != (size_t)-1)
            header = header_above(t, header, amounts);
        else   /* no amount yet: an empty plan, or one whose every figure is unreadable */
            header = header_without_amounts(t, header);
        for (size_t r = 0; r <= header; r++)   /* a unit said anywhere above the header */
            for (size_t c = 0; c < ess_table_row_len(t, r); c++) {
                const char *cell = ess_table_cell(t, r, c);
                if (rd->title_unit == ESS_UNIT_NONE && cell)
                    rd->title_unit = plan_unit_in_text(cell);
            }
    }
    if (header == (size_t)-1 && t->broken.status != ESS_OK) {
        if (err)
            *err = t->broken;   /* the break hides the header: it is the whole story */
        return t->broken.status;
    }
    if (header == (size_t)-1)
        return ess_error_set(err, ESS_EFORMAT, t->nrows ? t->row_line[0] : 1, 1,
                             t->ncells ? "no header row: no row has three cells or more"
                                       : "the file is empty");
found:
    rd->header = header;
    rd->header_line = t->row_line[header];
    /* the units line directly under the header is the header's: skipped once here, every
     * step after reads from first_row.  The header search never takes it for the header: a
     * unit alone ("€", "keur", "milliers d'euros") reads as a blank figure to
     * header_search_cell, a units line as a row of amounts, which header_above stops above */
    rd->units_row = header + 1 < t->nrows && is_units_row(t, header + 1) ? header + 1
                                                                          : (size_t)-1;
    rd->first_row = rd->units_row != (size_t)-1 ? header + 2 : header + 1;
    /* the width a row may have: the header's, plus trailing blank cells */
    size_t ncols = ess_table_row_len(t, header);
    while (ncols > 0 && is_blank(ess_table_cell(t, header, ncols - 1))) {
        /* a blank header column with amounts below it is kept, to be reported */
        int used = 0;
        for (size_t r = header + 1; r < t->nrows && !used; r++)
            used = !is_blank(ess_table_cell(t, r, ncols - 1));
        if (used)
            break;
        ncols--;
    }
    rd->ncols = ncols;
    return ESS_OK;
}

/* A refusal of the header's units (err, set): also the one problem of the list, with its kind,
 * units and headers, for a host to word it in its reader's language.  Returns err's status, or
 * ESS_ENOMEM. */
static int unit_problem(plan_reading *rd, ess_error *err, int kind, long n, long m,
                        const char *text, const char *other)
{
    if (err == NULL || rd->problems == NULL)
        return ESS_EFORMAT;
    if (add_problem(rd->problems, err->line, err->column, 1, "%s", err->message) != ESS_OK)
        return ESS_ENOMEM;
    tag_problem2(rd->problems, kind, (long)n, (long)m, text, other, 0);
    return err->status;
}

/* What a "Part ..." column is (funder_share): no share, a funder's share in %, or a funder's
 * part printed in a money unit (its amounts). */
enum { PART_NONE, PART_PERCENT, PART_AMOUNT };
static int funder_share(const plan_reading *rd, size_t c, const char *h, int *kind,
                        size_t *other_column);

/* The unit a title cell above the header states for the amounts, ESS_UNIT_NONE when it states
 * none: the unit alone in its cell ("k€", "en milliers d'euros"), or a unit's words introduced
 * as one -- after "en", "(" or "unité :" ("Montants en k€", "PLAN 2012 (en M€)").  An amount a
 * title names ("Aides de 1 000 € par structure", "Budget total 3 M€") states no unit: a unit
 * given beside it must stay unrefused. */
static ess_unit title_states_unit(const char *s)
{
    if (is_blank(s))
        return ESS_UNIT_NONE;
    if (unit_alone(s, 1) != ESS_UNIT_NONE)
        return plan_unit_in_text(s);
    size_t len = strlen(s);
    for (size_t i = 0; i < len; i++) {
        int starts = i == 0 || s[i - 1] == ' ' || s[i - 1] == '(' ||
                     (i > 1 && s[i - 2] == '\xc2' && s[i - 1] == '\xa0');
        if (!starts || s[i] == ' ' || !introduces_unit(s, i))
            continue;
        /* the words from i up to a bracket, a comma or the end: one of their prefixes is a
         * unit's words alone ("k€" of "k€ - année 2012") */
        for (size_t j = i + 1; j <= len; j++) {
            if (j < len && s[j] != ' ' && s[j] != ')' && s[j] != ',' && s[j] != ';')
                continue;
            if (unit_words_only(s + i, j - i) && ess_unit_in_text(s + i, j - i) != ESS_UNIT_NONE)
                return plan_unit_in_text(s);
            if (j < len && (s[j] == ')' || s[j] == ',' || s[j] == ';'))
                break;
        }
    }
    return ESS_UNIT_NONE;
}

/* The unit: the first printed in the header, else the one given, else the titles', else €.
 * A unit given that contradicts the one the table prints is an error naming both: the given one
 * used to win silently, every amount 1000 times off. */
static int choose_style(plan_reading *rd, const ess_money_style *given, ess_error *err)
{
    ess_unit unit = ESS_UNIT_NONE, wanted = given ? given->unit : ESS_UNIT_NONE;
    const char *said = NULL, *bare = NULL;
    int whole = 0;   /* a unit printed for the whole table: the corner, or a labels' header */
    int total_unit = 0;   /* a unit printed over the Total column, which adds every column */
    size_t said_column = 0, funders_with_unit = 0, funders_bare = 0;
    /* "Plan 2010 -- montants en USD", "CDC (USD)": read as euros, silently.  A title or a
     * header cell saying another currency as the amounts' unit (ess_currency_in_header's
     * rule: in brackets or after "en") is refused at its cell; no rate is guessed */
    for (size_t r = 0; r <= rd->header; r++)
        for (size_t c = 0; c < ess_table_row_len(rd->t, r); c++) {
            const char *cell = ess_table_cell(rd->t, r, c), *word = NULL;
            size_t n = cell ? ess_currency_in_header(cell, strlen(cell), &word) : 0;
            if (n == 0)
                continue;
            const ess_table *t = rd->t;
            char currency[40];
            snprintf(currency, sizeof currency, "%.*s", (int)(n < 39 ? n : 39), word);
            ess_error_set(err, ESS_EFORMAT, t->row_line[r], t->cell_column[t->row_first[r] + c],
                          "'%.60s' says the plan's amounts are in another currency than the "
                          "euro ('%s'): they would be read as euros, silently; convert them to "
                          "euros, or correct the %s if the currency in it is a mistake",
                          cell, currency, r == rd->header ? "header" : "title");
            return unit_problem(rd, err, ESS_PLAN_UNIT_CURRENCY, r == rd->header, 0, cell,
                                currency);
        }
    /* "Plan 2010 (en centaines d'euros)": refused at its cell as a currency is, the unit
     * to be printed as one essconv reads (plan_unit_word_unread) */
    for (size_t r = 0; r <= rd->header; r++)
        for (size_t c = 0; c < ess_table_row_len(rd->t, r); c++) {
            const char *cell = ess_table_cell(rd->t, r, c), *word = NULL;
            size_t n = plan_unit_word_unread(cell, &word);
            if (n == 0)
                continue;
            const ess_table *t = rd->t;
            char unread[40];
            snprintf(unread, sizeof unread, "%.*s", (int)(n < 39 ? n : 39), word);
            ess_error_set(err, ESS_EFORMAT, t->row_line[r], t->cell_column[t->row_first[r] + c],
                          "'%.60s' says the plan's amounts are in a unit essconv does not read "
                          "('%s'): they would be read as euros, or in the unit beside it, "
                          "silently; print the unit as 'k\xe2\x82\xac', 'M\xe2\x82\xac' or "
                          "'\xe2\x82\xac' in the %s", cell, unread,
                          r == rd->header ? "header" : "title");
            return unit_problem(rd, err, ESS_PLAN_UNIT_UNREAD, r == rd->header, 0, cell, unread);
        }
    for (size_t c = 0; c < rd->ncols; c++) {
        const char *h = ess_table_cell(rd->t, rd->header, c);
        /* the Total column's unit too: "Total (€)" beside "en k€" was passed over, the Total
         * column read 1000 times off (its cells reported as wrong totals, not as a unit) */
        ess_unit here = plan_unit_in_text(h);
        /* a funder's column: amounts, neither labels, nor the Total, nor codes, nor shares */
        /* "Part CDC" beside "CDC (k€)" is CDC's share too, refused by read_funder_columns as
         * such: counted as a funder printing no unit, it turned that refusal into "a unit
         * over some columns only", naming another cause than the true one */
        int part = PART_NONE;
        if (c > 0 && !is_share_header(h) && funder_share(rd, c, h, &part, NULL) != ESS_OK)
            return no_memory(err);
        /* "Part CDC (k€)" beside "CDC" is CDC's second column, refused as such: no funder
         * of its own either */
        int share = is_share_header(h) || part != PART_NONE;
        int funder = c > 0 && !is_blank(h) && !is_label_header(h) && !is_total_header(h) &&
                     !is_reference_header(h) && !share;
        if (here == ESS_UNIT_NONE) {
            if (c > 0 && bare == NULL && !is_blank(h) && !is_label_header(h) && !share)
                bare = h;   /* a column of amounts, no unit printed: a funder's, say */
            funders_bare += funder;
            continue;
        }
        funders_with_unit += funder;
        total_unit |= c > 0 && is_total_header(h);
        whole |= c == 0 || is_label_header(h);
        if (unit == ESS_UNIT_NONE) {
            unit = here;
            said = h;
            said_column = c;
        } else if (here != unit) {
            /* "CR (k€)" beside "CG (€)": one unit read for both put one column 1000 times
             * off, silently when the table printed no Total */
            const ess_table *t = rd->t;
            ess_error_set(err, ESS_EFORMAT, rd->header_line,
                          t->cell_column[t->row_first[rd->header] + c],
                          "the header prints two units, '%.60s' (%s) and '%.60s' (%s): a "
                          "plan's amounts are all in one unit; convert the column",
                          said, ess_unit_symbol(unit), h, ess_unit_symbol(here));
            return unit_problem(rd, err, ESS_PLAN_UNIT_TWO, unit, here, said, h);
        }
    }
    size_t said_row = rd->header;   /* the row printing said: the header or its units line */
    if (rd->units_row != (size_t)-1) {
        /* "en euros;€;€;€" under the header: the unit of the whole table, as if printed in the
         * header's first cell.  Another unit in the header ("CR (k€)" over "€") or in the
         * title ("Plan 2010 (en k€)") leaves the amounts 1000 times off in one of the two
         * readings: refused at the units line's cell, both named */
        const ess_table *t = rd->t;
        size_t r = rd->units_row;
        const char *title = NULL;
        ess_unit above = ESS_UNIT_NONE;
        for (size_t q = 0; q < rd->header && above == ESS_UNIT_NONE; q++)
            for (size_t c = 0; c < ess_table_row_len(t, q) && above == ESS_UNIT_NONE; c++)
                above = plan_unit_in_text(title = ess_table_cell(t, q, c));
        for (size_t c = 0; c < ess_table_row_len(t, r); c++) {
            const char *cell = ess_table_cell(t, r, c);
            ess_unit here = unit_alone(cell, c == 0);
            if (here == ESS_UNIT_NONE)
                continue;
            long column = t->cell_column[t->row_first[r] + c];
            if (unit != ESS_UNIT_NONE && here != unit) {
                ess_error_set(err, ESS_EFORMAT, t->row_line[r], column,
                              "the header prints two units, '%.60s' (%s) and '%.60s' (%s): a "
                              "plan's amounts are all in one unit; convert the column",
                              said, ess_unit_symbol(unit), cell, ess_unit_symbol(here));
                return unit_problem(rd, err, ESS_PLAN_UNIT_TWO, unit, here, said, cell);
            }
            if (above != ESS_UNIT_NONE && here != above) {
                ess_error_set(err, ESS_EFORMAT, t->row_line[r], column,
                              "the header prints two units, '%.60s' (%s) in the title above "
                              "it and '%.60s' (%s) under it: a plan's amounts are all in one "
                              "unit; print the one they are in",
                              title, ess_unit_symbol(above), cell, ess_unit_symbol(here));
                return unit_problem(rd, err, ESS_PLAN_UNIT_TWO, above, here, title, cell);
            }
            if (unit == ESS_UNIT_NONE) {
                unit = here;
                said = cell;
                said_column = c;
                said_row = r;
            }
        }
        whole = 1;
    }
    if (unit != ESS_UNIT_NONE && !whole && bare != NULL && rd->title_unit != ESS_UNIT_NONE &&
        rd->title_unit != unit && wanted == ESS_UNIT_NONE) {
        /* "PLAN 2009 (en k€)" above "Action;CR;CG-59 (€);CDC": the unit printed over one
         * column was read for all, CR's and CDC's k€ taken for €, silently.  Which unit the
         * columns printing none are in, the title and the header say otherwise.  Placed at
         * the header's cell that prints the unit (not at the line's first cell) */
        const ess_table *t = rd->t;
        ess_error_set(err, ESS_EFORMAT, rd->header_line,
                      t->cell_column[t->row_first[rd->header] + said_column],
                      "the title above the table says %s and the header says %s over "
                      "'%.60s' only: the columns with no unit ('%.40s'...) are in %s by "
                      "one and %s by the other; print the unit over every column, or "
                      "once in the header's first cell",
                      ess_unit_symbol(rd->title_unit), ess_unit_symbol(unit), said, bare,
                      ess_unit_symbol(rd->title_unit), ess_unit_symbol(unit));
        return unit_problem(rd, err, ESS_PLAN_UNIT_TITLE, rd->title_unit, unit, said, bare);
    }
    /* a unit printed above the header (rd->title_unit also reads the header's own cells) */
    ess_unit above = ESS_UNIT_NONE;
    for (size_t r = 0; r < rd->header && above == ESS_UNIT_NONE; r++)
        for (size_t c = 0; c < ess_table_row_len(rd->t, r) && above == ESS_UNIT_NONE; c++)
            above = plan_unit_in_text(ess_table_cell(rd->t, r, c));
    if (unit != ESS_UNIT_NONE && !whole && !total_unit && above == ESS_UNIT_NONE &&
        wanted == ESS_UNIT_NONE && funders_with_unit > 0 && funders_with_unit <= funders_bare) {
        /* "Action;CR;CG;CDC (M€)": the M€ over CDC's column was read for CR's and CG's too,
         * their k€ taken for millions, silently.  A unit printed over some funders' columns
         * but not over as many others, with nothing printed for the whole table (its first
         * cell, a title, the Total column), is that column's: which unit the others are in,
         * nothing says, and guessing would scale a column by a unit not printed over it */
        const ess_table *t = rd->t;
        ess_error_set(err, ESS_EFORMAT, rd->header_line,
                      t->cell_column[t->row_first[rd->header] + said_column],
                      "the header prints %s over '%.60s' but no unit over '%.40s' (%zu of the "
                      "funders' columns print%s none) and nothing gives the table's unit: print "
                      "the unit over every column, or once in the header's first cell",
                      ess_unit_symbol(unit), said, bare, funders_bare,
                      funders_bare == 1 ? "s" : "");
        return unit_problem(rd, err, ESS_PLAN_UNIT_ONE_COLUMN, (long)unit, (long)funders_bare,
                            said, bare);
    }
    if (wanted != ESS_UNIT_NONE && unit != ESS_UNIT_NONE && wanted != unit) {
        /* placed at the header's cell that prints the unit, not at 1:1 */
        const ess_table *t = rd->t;
        ess_error_set(err, ESS_EFORMAT, t->row_line[said_row],
                      t->cell_column[t->row_first[said_row] + said_column],
                      "the unit given, %s, contradicts the table's header, which says "
                      "'%.60s' (%s): give the header's unit or none",
                      ess_unit_symbol(wanted), said, ess_unit_symbol(unit));
        return unit_problem(rd, err, ESS_PLAN_UNIT_GIVEN, wanted, unit, said, NULL);
    }
    if (wanted != ESS_UNIT_NONE && unit == ESS_UNIT_NONE) {
        /* "Montants en k€" above a header printing no unit, and a unit given against it (a
         * description's `unit = "€"` beside its plan file): the given one won, every amount
         * 1000 times off, silently.  Refused at the title's cell, as against a header's; a
         * title's passing mention of an amount (title_states_unit) is no contradiction */
        const ess_table *t = rd->t;
        for (size_t r = 0; r < rd->header; r++)
            for (size_t c = 0; c < ess_table_row_len(t, r); c++) {
                const char *cell = ess_table_cell(t, r, c);
                ess_unit stated = title_states_unit(cell);
                if (stated == ESS_UNIT_NONE || stated == wanted)
                    continue;
                ess_error_set(err, ESS_EFORMAT, t->row_line[r],
                              t->cell_column[t->row_first[r] + c],
                              "the unit given, %s, contradicts the title above the table, "
                              "which says '%.60s' (%s): give the title's unit or none",
                              ess_unit_symbol(wanted), cell, ess_unit_symbol(stated));
                /* other set: the contradiction is the title's, not the header's */
                return unit_problem(rd, err, ESS_PLAN_UNIT_GIVEN, wanted, stated, cell, cell);
            }
    }
    if (unit != ESS_UNIT_NONE && !whole && !total_unit && above == ESS_UNIT_NONE &&
        wanted == ESS_UNIT_NONE && funders_bare > 0 && funders_with_unit > funders_bare) {
        /* "Région (M€);CDC (M€);CG 59 (M€);Europe": the most columns decide, Europe's figures
         * are read in M€ -- but nothing prints it over Europe's column: said at each such
         * column's header, the unit assumed named, for the analyst to check */
        const ess_table *t = rd->t;
        for (size_t c = 1; c < rd->ncols; c++) {
            const char *h = ess_table_cell(t, rd->header, c);
            if (is_blank(h) || is_label_header(h) || is_total_header(h) ||
                is_reference_header(h) || is_share_header(h) ||
                plan_unit_in_text(h) != ESS_UNIT_NONE)
                continue;
            int part;
            if (funder_share(rd, c, h, &part, NULL) != ESS_OK)
                return no_memory(err);
            if (part != PART_NONE)
                continue;
            if (add_problem(rd->problems, rd->header_line,
                            t->cell_column[t->row_first[rd->header] + c], 0,
                            "'%.60s' prints no unit, where %zu of the funders' columns print "
                            "%s ('%.60s'...): its figures are read in %s; print the unit over "
                            "it, or once in the header's first cell",
                            h, funders_with_unit, ess_unit_symbol(unit), said,
                            ess_unit_symbol(unit)) != ESS_OK)
                return ESS_ENOMEM;
            tag_problem2(rd->problems, ESS_PLAN_UNIT_ASSUMED, (long)unit,
                         (long)funders_with_unit, h, said, 0);
        }
    }
    /* "CR (K€ HT);CDC (k€ TTC)": amounts before tax beside amounts with tax, added in every
     * total as if on one basis (the VAT between them, 20 %, unseen).  Read as printed, and
     * said at the first cell printing the other basis, both columns named */
    const char *tax_said[3] = {NULL, NULL, NULL};
    /* "PLAN 2009 (en k€ HT)" above "CDC (k€ TTC)": the title's basis against a column's, read
     * without a word as well -- said at the header's cell, the title's cell named by its line
     * and column (the first cell above the header printing a basis) */
    const char *title_tax = NULL;
    int title_basis = TAX_NONE;
    long title_line = 0, title_column = 0;
    for (size_t r = 0; r < rd->header && title_basis == TAX_NONE; r++)
        for (size_t c = 0; c < ess_table_row_len(rd->t, r) && title_basis == TAX_NONE; c++) {
            const char *h = ess_table_cell(rd->t, r, c);
            title_basis = plan_tax_basis(h);
            if (title_basis != TAX_NONE) {
                title_tax = h;
                title_line = rd->t->cell_line[rd->t->row_first[r] + c];
                title_column = rd->t->cell_column[rd->t->row_first[r] + c];
            }
        }
    int title_said = 0;
    for (size_t c = 0; c < rd->ncols; c++) {
        const char *h = ess_table_cell(rd->t, rd->header, c);
        int basis = is_share_header(h) ? TAX_NONE : plan_tax_basis(h);
        if (basis != TAX_NONE && title_basis != TAX_NONE && basis != title_basis && !title_said) {
            const ess_table *t = rd->t;
            const char *ht = basis == TAX_HT ? h : title_tax;
            const char *ttc = basis == TAX_TTC ? h : title_tax;
            title_said = 1;
            if (add_problem(rd->problems, rd->header_line,
                            t->cell_column[t->row_first[rd->header] + c], 0,
                            "the title (line %ld, column %ld) and the header print amounts "
                            "before tax ('%.60s', HT) and with tax ('%.60s', TTC): every total "
                            "adds the two bases as one; print all the amounts HT or all TTC",
                            title_line, title_column, ht, ttc) != ESS_OK)
                return ESS_ENOMEM;
            tag_problem2(rd->problems, ESS_PLAN_TAX_MIX, title_line, title_column, ht, ttc, 0);
        }
        if (basis == TAX_NONE || tax_said[basis] != NULL)
            continue;
        tax_said[basis] = h;
        const char *other = tax_said[basis == TAX_HT ? TAX_TTC : TAX_HT];
        if (other == NULL)
            continue;
        const ess_table *t = rd->t;
        const char *ht = basis == TAX_HT ? h : other, *ttc = basis == TAX_TTC ? h : other;
        if (add_problem(rd->problems, rd->header_line,
                        t->cell_column[t->row_first[rd->header] + c], 0,
                        "the header prints amounts before tax ('%.60s', HT) and with tax "
                        "('%.60s', TTC): every total adds the two bases as one; print all the "
                        "amounts HT or all TTC", ht, ttc) != ESS_OK)
            return ESS_ENOMEM;
        tag_problem2(rd->problems, ESS_PLAN_TAX_MIX, 0, 0, ht, ttc, 0);
    }
    if (wanted != ESS_UNIT_NONE)
        unit = wanted;   /* a title's passing mention of an amount does not overrule it */
    /* nothing printed, nothing given: euros, said once the plan loads (a table copied from an
     * annex in k€ without its header's unit read 1000 times too small, silently) */
    rd->unit_assumed_euros = unit == ESS_UNIT_NONE && rd->title_unit == ESS_UNIT_NONE;
    if (unit == ESS_UNIT_NONE)
        unit = rd->title_unit != ESS_UNIT_NONE ? rd->title_unit : ESS_UNIT_EUR;
    /* a units line under the header printed again (a page break) is passed over only when it
     * says the plan's unit: "en k€" there after "en euros" on the first page says the amounts
     * under it are in k€, and read in € they would be 1000 times off, silently.  Refused at
     * the cell printing the other unit, the plan's unit and where it is printed named */
    for (size_t r = rd->first_row + 1; r < rd->t->nrows; r++) {
        const ess_table *t = rd->t;
        if (!repeats_units_row(rd, r))
            continue;
        for (size_t c = 0; c < ess_table_row_len(t, r); c++) {
            const char *cell = ess_table_cell(t, r, c);
            ess_unit here = unit_alone(cell, c == 0);
            if (here == ESS_UNIT_NONE || here == unit)
                continue;
            const char *source = wanted != ESS_UNIT_NONE ? NULL : said;
            long source_line = source != NULL ? t->row_line[said_row] : 0;
            int from = wanted != ESS_UNIT_NONE ? ESS_UNIT_FROM_GIVEN
                       : said != NULL ? ESS_UNIT_FROM_HEADER
                       : rd->title_unit != ESS_UNIT_NONE ? ESS_UNIT_FROM_TITLE
                                                         : ESS_UNIT_FROM_NONE;
            /* the title's cell that printed the unit, and its line: named as a header's cell
             * is (the first above the header saying that unit, as find_header read it) */
            for (size_t q = 0; from == ESS_UNIT_FROM_TITLE && source == NULL && q < rd->header;
                 q++)
                for (size_t k = 0; k < ess_table_row_len(t, q) && source == NULL; k++)
                    if (plan_unit_in_text(ess_table_cell(t, q, k)) == rd->title_unit) {
                        source = ess_table_cell(t, q, k);
                        source_line = t->row_line[q];
                    }
            char whence[120];
            if (source != NULL)
                snprintf(whence, sizeof whence, "%s'%.60s' on line %ld",
                         from == ESS_UNIT_FROM_TITLE ? "the title " : "", source, source_line);
            else
                snprintf(whence, sizeof whence, "%s",
                         from == ESS_UNIT_FROM_GIVEN ? "the unit given"
                         : from == ESS_UNIT_FROM_TITLE ? "the title above the table"
                                                       : "no unit printed above it");
            ess_error_set(err, ESS_EFORMAT, t->row_line[r], t->cell_column[t->row_first[r] + c],
                          "the units line under the header printed again says '%.60s' (%s), "
                          "where the plan's amounts are read in %s (%s): the amounts under it "
                          "would be read in %s; print them in the plan's unit",
                          cell, ess_unit_symbol(here), ess_unit_symbol(unit), whence,
                          ess_unit_symbol(unit));
            int rc = unit_problem(rd, err, ESS_PLAN_UNIT_AGAIN, unit, source_line, cell, source);
            /* where the unit came from, for a host to name it in its reader's language as
             * the message above does: with m 0, the given unit and euros assumed differ
             * by it alone */
            if (rd->problems != NULL && rd->problems->count > 0 &&
                rd->problems->items[rd->problems->count - 1].kind == ESS_PLAN_UNIT_AGAIN)
                rd->problems->items[rd->problems->count - 1].kind_k = from;
            return rc;
        }
    }
    rd->style = (ess_money_style){given && given->decimal_mark ? given->decimal_mark : ',', unit,
                                  given ? given->flags : 0};
    return ESS_OK;
}

/* Does column c read as labels: no data cell an amount, and -- for a column after the first
 * label column (second) -- text in it that looks like labels: a blank or label-like header
 * ("Ligne", "Action"), or text in two rows or more (one "n.c." under "CDC" is an unreadable
 * amount, not a column of line names). */
static int label_column(const plan_reading *rd, size_t c, int second)
{
    const ess_table *t = rd->t;
    size_t texts = 0, filled = 0;
    for (size_t r = rd->first_row; r < t->nrows; r++) {
        const char *cell = ess_table_cell(t, r, c);
        if (is_blank(cell))
            continue;
        filled++;
        int64_t cents;
        if (ess_money_parse(cell, strlen(cell), &rd->style, &cents, NULL, NULL) == ESS_OK)
            return 0;
        if (has_letter(cell) && !(cell[0] >= '0' && cell[0] <= '9'))
            texts++;   /* "1e3" or a dash in an amount column does not make it a label */
    }
    if (!second)
        return 1;
    const char *h = ess_table_cell(t, rd->header, c);
    /* "Axe;Ligne;CR;Total" and no line yet (a template): nothing under "Ligne" to count, so
     * "Ligne" was read as a funder.  With no cell to read, the header's own words decide --
     * a label word standing alone ("Ligne", "Intitulé de l'action"), never a funder that
     * starts with one ("Action Logement") */
    if (filled == 0)
        return is_bare_label_header(h);
    return texts >= 2 || (texts == 1 && (is_blank(h) || is_label_header(h)));
}

/* Headers of a column of axes ("Axe", "Thème", "Orientation"): the column names groups of
 * lines even when they are numbered ("1", "2"), which read as amounts. */
static int is_axis_header(const char *s)
{
    if (s == NULL)
        return 0;
    while (*s == ' ' || *s == '\t')
        s++;
    static const char *words[] = {"axe", "axes", "axis", "th\xc3\xa8me", "th\xc3\xa8mes",
                                  "theme", "themes", "orientation", "orientations", "objectif",
                                  "objectifs", "priorit\xc3\xa9", "priorite", "volet", "volets"};
    return starts_with_word(s, words, sizeof words / sizeof words[0]) > 0;
}

/* A row label that reads as an axis: "Axe 1 : Structurer", "AXE 2 -", "Axe I", "Axe n° 3",
 * "Orientation 2", "Thème B" -- an axis word, then a number, a roman numeral or a capital
 * letter standing alone.  "Axe" without one ("Axe routier") may be a line's name. */
static int is_axis_label(const char *s)
{
    if (s == NULL)
        return 0;
    while (*s == ' ' || *s == '\t')
        s++;
    static const char *words[] = {"axe", "axis", "orientation", "objectif", "priorit\xc3\xa9",
                                  "priorite", "th\xc3\xa8me", "theme", "volet"};
    size_t n = starts_with_word(s, words, sizeof words / sizeof words[0]);
    if (!n)
        return 0;
    const unsigned char *p = (const unsigned char *)s + n;
    while (*p == ' ' || *p == '\t' || (p[0] == 0xC2 && p[1] == 0xA0))
        p += *p == 0xC2 ? 2 : 1;
    if ((*p == 'n' || *p == 'N') && p[1] == 0xC2 && (p[2] == 0xB0 || p[2] == 0xBA)) {
        p += 3;   /* "n°" */
        while (*p == ' ' || (p[0] == 0xC2 && p[1] == 0xA0))
            p += *p == 0xC2 ? 2 : 1;
    }
    const unsigned char *q = p;
    if (*q >= '0' && *q <= '9')
        while (*q >= '0' && *q <= '9')
            q++;
    else if (*q && strchr("IVXLivxl", *q))
        while (*q && strchr("IVXLivxl", *q))
            q++;
    else if (*q >= 'A' && *q <= 'Z')
        q++;
    return q > p && word_ends_at((const char *)q);
}

/* Label columns: the leading columns that read as labels (label_column), at most two: one, the
 * line; two, the group (axis), then the line.
 *
 * A first column headed "N°", "Code", "Réf." (is_reference_header) before a column of labels is
 * the lines' numbering (rd->lead = 1): its numbers read as amounts, so the numbers became the
 * line names and the label column a funder whose every cell was unreadable; its codes ("A1")
 * became axes, one per line, silently.  It is passed over: the line is named by its label
 * alone, and the numbers are in no sum.  A first column headed "Axe" whose axes are numbered
 * ("1", "2") before a column of labels is the axis column, likewise. */
static void count_label_columns(plan_reading *rd)
{
    const ess_table *t = rd->t;
    rd->lead = 0;
    if (rd->ncols >= 3 && is_reference_header(ess_table_cell(t, rd->header, 0)) &&
        label_column(rd, 1, 1))
        rd->lead = 1;
    size_t nlabel = 0;
    for (size_t c = rd->lead; c < rd->ncols && c < rd->lead + 2; c++) {
        int second = c > rd->lead;
        if (!label_column(rd, c, second) &&
            (second || !is_axis_header(ess_table_cell(t, rd->header, c)) ||
             c + 1 >= rd->ncols || !label_column(rd, c + 1, 1)))
            break;
        nlabel = c - rd->lead + 1;
    }
    rd->nlabel = nlabel ? nlabel : 1;   /* the first column always names the line */
}

/* The structural problem of an amount the table leaves undecided, with its kind and why
 * (ESS_AMBIGUOUS_*) for a host to word it in its reader's language, as the CSV reader's
 * refusal carries them in ess_error.detail. */
static int ambiguous_problem(ess_problems *p, long line, long column, const char *why, long n)
{
    int rc = add_problem(p, line, column, 1, "%s", why);
    if (rc == ESS_OK && p != NULL) {
        p->items[p->count - 1].detail = ESS_AMOUNT_AMBIGUOUS;
        p->items[p->count - 1].detail_n = n;
    }
    return rc;
}

/* "12.500" alone is 12 500 (the point grouping thousands) or 12,5 (three decimals): when the
 * decimal mark was not given, the table's other amounts decide, or nobody does (a structural
 * problem).  Returns ESS_ENOMEM only. */
static int settle_decimal_point(plan_reading *rd)
{
    const ess_table *t = rd->t;
    size_t ambiguous = 0, point_decimal = 0, point_groups = 0, comma_ambiguous = 0;
    size_t arow = 0, acol = 0, crow = 0, ccol = 0;
    for (size_t r = rd->first_row; r < t->nrows; r++)
        for (size_t c = rd->lead + rd->nlabel; c < rd->ncols; c++) {
            const char *cell = ess_table_cell(t, r, c);
            int64_t cents;
            /* only amounts testify: "n.c." says nothing of the point */
            if (cell == NULL ||
                ess_money_parse(cell, strlen(cell), &rd->style, &cents, NULL, NULL) != ESS_OK)
                continue;
            switch (ess_money_point_use(cell, strlen(cell))) {
            case ESS_POINT_AMBIGUOUS:
                if (ambiguous++ == 0)
                    arow = r, acol = c;
                break;
            case ESS_POINT_DECIMAL: point_decimal++; break;
            case ESS_POINT_GROUPS: point_groups++; break;
            case ESS_POINT_COMMA_AMBIGUOUS:
                if (comma_ambiguous++ == 0)
                    crow = r, ccol = c;
                break;
            default: break;
            }
        }
    /* "1,500" is 1,5 (French) unless the table's point is decimal ("250.75"): then 1 500 */
    if ((ambiguous || comma_ambiguous) && point_decimal && !point_groups) {
        rd->style.decimal_mark = '.';
    } else if (ambiguous && (!point_groups || point_decimal)) {
        size_t k = t->row_first[arow] + acol;
        char why[300];
        ess_point_ambiguity(why, sizeof why, ess_table_cell(t, arow, acol), point_groups > 0);
        return ambiguous_problem(rd->problems, t->cell_line[k], t->cell_column[k], why,
                                 point_groups > 0 ? ESS_AMBIGUOUS_OTHERS_DISAGREE
                                                  : ESS_AMBIGUOUS_NO_OTHER);
    } else if (comma_ambiguous && point_decimal) {   /* both marks decimal in one table */
        size_t k = t->row_first[crow] + ccol;
        char why[300];
        ess_point_ambiguity(why, sizeof why, ess_table_cell(t, crow, ccol), 1);
        return ambiguous_problem(rd->problems, t->cell_line[k], t->cell_column[k], why,
                                 ESS_AMBIGUOUS_OTHERS_DISAGREE);
    }
    return ESS_OK;
}

/* The key under which two labels are one: the label trimmed, with case and Latin accents
 * folded (text.c's French sort key) and white space (the no-break, narrow, thin and figure
 * spaces too) dropped.  "CR" and "cr", "Etat" and "État", "CG 59" and "CG59" are one funder
 * typed twice: read as two, by_funder() and the pivot split it, and every total still agreed.
 * Likewise "Formation" and "formation" as two lines of one axis, "Économie" and "Economie" as
 * two axes.  Owned; NULL: no memory. */
static char *label_key(const char *h)
{
    size_t n = h ? strlen(h) : 0;
    if (h != NULL)
        ess_text_trim(&h, &n);
    char *key = ess_malloc(n + 1);
    if (key == NULL)
        return NULL;
    size_t len = n ? ess_text_sort_key(h, n, key) : 0, o = 0;
    for (size_t i = 0; i < len;) {
        const unsigned char *u = (const unsigned char *)key + i;
        if (*u == ' ' || *u == '\t')
            i++;
        else if (i + 1 < len && u[0] == 0xC2 && u[1] == 0xA0)
            i += 2;
        else if (i + 2 < len && u[0] == 0xE2 && u[1] == 0x80 &&
                 (u[2] == 0xAF || u[2] == 0x89 || u[2] == 0x87))
            i += 3;   /* narrow no-break, thin, figure: the spaces text.c counts as space */
        else
            key[o++] = key[i++];
    }
    key[o] = '\0';
    return key;
}

/* "Part CDC", "Part de la Région", "Part financeurs": a funder's share of each line (in %)
 * printed beside the amounts.  Read as a funder, its shares were added to every total --
 * silently when the table printed no Total.  "Part" then the name of another column's funder,
 * or of the funders: a share (PART_PERCENT); "Part usagers" (the users' participation, an
 * amount) names no funder of the header and stays one (PART_NONE).
 *
 * "Part CDC (k€)" beside "CDC": a share printed in a money unit is CDC's part of each line in
 * k€, that is CDC's amounts -- a second column of the funder CDC (PART_AMOUNT, *other its
 * first column), never a funder "Part CDC" whose amounts were added a second time to every
 * total.
 *
 * Returns ESS_OK, or ESS_ENOMEM: a failed allocation was once answered "not a share", and the
 * column silently read as a funder. */
static int english_funder_share(const plan_reading *rd, size_t c, const char *h, int *kind,
                                size_t *other_column);
static int share_of_named_funder(const plan_reading *rd, size_t c, char *named_funder,
                                 int words_after, int printed_unit, int *kind,
                                 size_t *other_column);
static int funder_share(const plan_reading *rd, size_t c, const char *h, int *kind,
                        size_t *other_column)
{
    static const char *part[] = {"part"};
    *kind = PART_NONE;
    if (other_column)
        *other_column = (size_t)-1;
    if (h == NULL)
        return ESS_OK;
    while (*h == ' ' || *h == '\t')
        h++;
    size_t n = starts_with_one_of(h, part, 1);
    if (n == 0 || (h[n] != ' ' && h[n] != '\t'))
        return english_funder_share(rd, c, h, kind, other_column);
    const char *rest = h + n;
    while (*rest == ' ' || *rest == '\t')
        rest++;
    static const char *of[] = {"de la ", "de l'", "de l\xe2\x80\x99", "du ", "des ", "de ", "d'",
                               "d\xe2\x80\x99"};
    for (size_t w = 0; w < sizeof of / sizeof *of; w++) {
        size_t k = starts_with_one_of(rest, &of[w], 1);
        if (k) {
            rest += k;
            break;
        }
    }
    static const char *all[] = {"financeur", "financeurs", "partenaire", "partenaires",
                                "financement", "cofinanceur", "cofinanceurs"};
    size_t k = starts_with_word(rest, all, sizeof all / sizeof *all);
    if (k && is_blank(rest + k)) {
        *kind = PART_PERCENT;
        return ESS_OK;
    }
    /* the funder named, its unit and any words after it aside ("Part CDC (k€)", "Part CDC
     * HT", "Part CDC (montant)" name CDC) */
    int printed_unit = plan_unit_in_text(rest) != ESS_UNIT_NONE;
    char *named_funder = ess_strndup(rest, strlen(rest));
    if (named_funder == NULL)
        return ESS_ENOMEM;
    return share_of_named_funder(rd, c, named_funder, 1, printed_unit, kind, other_column);
}

/* The English order, the funder first: "CDC share", "CDC's share", "CDC share (k€)" beside
 * "CDC" -- read as a funder "CDC share", its percentages were added to every total.  So is
 * the French "CDC part", and either with words after ("CDC part HT", "CDC share (amount)"). */
static int english_funder_share(const plan_reading *rd, size_t c, const char *h, int *kind,
                                size_t *other_column)
{
    static const char *share[] = {"share", "part"};
    size_t n = strlen(h);
    for (size_t at = 1; at + 4 <= n; at++) {
        if (h[at - 1] != ' ' && h[at - 1] != '\t' && h[at - 1] != '(')
            continue;
        size_t w = starts_with_word(h + at, share, 2);
        if (w == 0)
            continue;
        size_t end = at - 1;   /* the funder before: "CDC", "CDC's", "CDC’s", "CDC (part)" */
        if (h[end] == '(' && (end == 0 || h[end - 1] != ' '))
            continue;
        while (end > 0 && (h[end - 1] == ' ' || h[end - 1] == '\t'))
            end--;
        if (end > 2 && h[end - 2] == '\'' && (h[end - 1] == 's' || h[end - 1] == 'S'))
            end -= 2;
        else if (end > 4 && memcmp(h + end - 4, "\xe2\x80\x99", 3) == 0 &&
                 (h[end - 1] == 's' || h[end - 1] == 'S'))
            end -= 4;
        if (end == 0)
            continue;
        char *name = ess_strndup(h, end);
        if (name == NULL)
            return ESS_ENOMEM;
        int rc = share_of_named_funder(rd, c, name, 0, plan_unit_in_text(h) != ESS_UNIT_NONE,
                                       kind, other_column);
        if (rc != ESS_OK || *kind != PART_NONE)
            return rc;
    }
    return ESS_OK;
}

/* What the cells under a "Part X" column hold, X a funder of column o: its share in % or its
 * amounts.  "Part CDC (montant)" and "Part CDC HT" print no money unit, so their header cannot
 * tell: a cell printing '%' is a share; a money unit or the word "montant" in the header, the
 * cells of X's own column copied line by line, a figure over 100 (no percentage) or printed
 * in a money unit ("12 €") are amounts.  Else a share, as "Part CDC" over 50, 30 is read. */
static int part_kind_from_cells(const plan_reading *rd, size_t c, size_t o, const char *h,
                                int printed_unit)
{
    const ess_table *t = rd->t;
    int any = 0, copied = 1, amount_seen = 0;
    ess_money_style style = {rd->style.decimal_mark ? rd->style.decimal_mark : ',',
                             ESS_UNIT_EUR, 0};
    for (size_t r = rd->first_row; r < t->nrows; r++) {
        const char *cell = ess_table_cell(t, r, c);
        if (cell != NULL && strchr(cell, '%') != NULL)
            return PART_PERCENT;
        const char *mine = cell ? cell : "", *theirs = ess_table_cell(t, r, o);
        theirs = theirs ? theirs : "";
        size_t lm = strlen(mine), lt = strlen(theirs);
        ess_text_trim(&mine, &lm);
        ess_text_trim(&theirs, &lt);
        if (lm == 0 && lt == 0)
            continue;
        copied &= lm == lt && memcmp(mine, theirs, lm) == 0;
        any |= lm > 0;
        int64_t cents;
        ess_unit seen = ESS_UNIT_NONE;
        ess_error e;
        ess_error_clear(&e);
        /* "12 €" (a cell printing a money unit, an .xlsx cell formatted so) is an amount */
        if (lm > 0 && ess_money_parse(mine, lm, &style, &cents, &seen, &e) == ESS_OK &&
            (cents > 10000 || cents < -10000 || seen != ESS_UNIT_NONE))
            amount_seen = 1;
    }
    if (printed_unit)
        return PART_AMOUNT;
    static const char *amount[] = {"montant", "montants", "amount", "amounts"};
    for (const char *s = h; s && *s; s++)
        if ((s == h || word_ends_at(s - 1)) && starts_with_word(s, amount, 4))
            return PART_AMOUNT;
    return (any && copied) || amount_seen ? PART_AMOUNT : PART_PERCENT;
}

/* Is named_funder (owned, freed here) the funder of another column of the header: then the
 * column is that funder's share (PART_PERCENT), or its amounts (PART_AMOUNT), as its cells
 * say (part_kind_from_cells).  With words_after, named_funder may carry words after the
 * funder's name ("CDC HT", "CDC (montant)", "de la CDC 2010"): compared whole only, "Part CDC
 * HT" was read as a funder of its own and CDC's amounts added twice to every total.  The
 * longest name that is a funder's wins ("Part CG 59 HT" beside "CG" and "CG 59" is CG 59's). */
static int share_of_named_funder(const plan_reading *rd, size_t c, char *named_funder,
                                 int words_after, int printed_unit, int *kind,
                                 size_t *other_column)
{
    /* the keys to try, longest first: the name as funder_name_copy keeps it, then each
     * shorter run of its words */
    size_t n = strlen(named_funder), ncand = 0;
    char **cand = ess_calloc(n + 2, sizeof *cand);
    int rc = ESS_OK;
    if (cand == NULL) {
        ess_free(named_funder);
        return ESS_ENOMEM;
    }
    char *whole = funder_name_copy(named_funder);
    if (whole == NULL || (cand[ncand] = label_key(whole)) == NULL)
        rc = ESS_ENOMEM;
    else if (cand[ncand][0] != '\0')
        ncand++;
    else
        ess_free(cand[ncand]);
    ess_free(whole);
    for (size_t p = n; rc == ESS_OK && words_after && p-- > 1;) {
        /* a separator at p ends a run of words: "CDC HT", "CDC (montant)", "CDC - 2010" */
        unsigned char b = (unsigned char)named_funder[p];
        if (!(b == ' ' || b == '\t' || b == '(' || b == ',' || b == ':' || b == '/' ||
              b == '[' || (b == '-' && named_funder[p + 1] == ' ')))
            continue;
        char *prefix = ess_strndup(named_funder, p);
        char *key = prefix ? label_key(prefix) : NULL;
        ess_free(prefix);
        if (key == NULL) {
            rc = ESS_ENOMEM;
            break;
        }
        if (key[0] == '\0' || (ncand > 0 && strcmp(key, cand[ncand - 1]) == 0))
            ess_free(key);
        else
            cand[ncand++] = key;
    }
    ess_free(named_funder);
    /* the other columns' funders by name, their unit aside: "Part CDC" beside "CDC (k€)" is
     * CDC's share -- compared with the header as printed, it was read as a funder, and its
     * percentages summed as k€.  Before the label columns are counted (choose_style), every
     * column after the first */
    size_t from = rd->lead + rd->nlabel > 0 ? rd->lead + rd->nlabel : 1;
    size_t found = (size_t)-1, best = ncand;   /* the longest candidate matched */
    for (size_t o = from; rc == ESS_OK && o < rd->ncols && best > 0; o++) {
        if (o == c)
            continue;
        char *name = funder_name_copy(ess_table_cell(rd->t, rd->header, o));
        char *other = name ? label_key(name) : NULL;
        ess_free(name);
        if (other == NULL) {
            rc = ESS_ENOMEM;
            break;
        }
        for (size_t k = 0; k < best; k++)
            if (strcmp(other, cand[k]) == 0) {
                best = k;
                found = o;
                break;
            }
        ess_free(other);
    }
    for (size_t k = 0; k < ncand; k++)
        ess_free(cand[k]);
    ess_free(cand);
    if (rc == ESS_OK && found != (size_t)-1) {
        if (other_column)
            *other_column = found;
        *kind = part_kind_from_cells(rd, c, found, ess_table_cell(rd->t, rd->header, c),
                                     printed_unit);
    }
    return rc;
}

/* Funders and the Total column; duplicates (label_key) and headerless columns are structural
 * problems. */
static int read_funder_columns(plan_reading *rd)
{
    const ess_table *t = rd->t;
    int rc = ESS_ENOMEM;
    ess_dict seen;                /* funder labels: a duplicate is a code seen before */
    size_t *seen_funder = NULL;   /* funder index of each label in seen */
    memset(&seen, 0, sizeof seen);
    rd->total_col = (size_t)-1;
    rd->funder_col = ess_calloc(rd->ncols + 1, sizeof(size_t));
    seen_funder = ess_calloc(rd->ncols + 1, sizeof(size_t));
    if (rd->funder_col == NULL || seen_funder == NULL)
        goto done;
    for (size_t c = rd->lead + rd->nlabel; c < rd->ncols; c++) {
        const char *h = ess_table_cell(t, rd->header, c);
        long col = t->cell_column[t->row_first[rd->header] + c];
        /* columns that are no funder's amounts, refused by what their header says: read as
         * funders they would be added to every total */
        int refused = 0;
        for (size_t k = 0; k < sizeof refused_columns / sizeof *refused_columns && !refused; k++) {
            if (!refused_columns[k].is(h))
                continue;
            refused = 1;
            if (add_problem(rd->problems, rd->header_line, col, 1, refused_columns[k].why, h))
                goto done;
            tag_problem(rd->problems, refused_columns[k].kind, 0, 0, h);
        }
        int part = PART_NONE;
        size_t named_column = (size_t)-1;
        if (!refused && funder_share(rd, c, h, &part, &named_column) != ESS_OK)
            goto done;
        if (part == PART_AMOUNT) {
            /* "Part CDC (k€)" beside "CDC": CDC's amounts a second time, never added twice */
            refused = 1;
            size_t first = named_column < c ? named_column : c;
            size_t second = named_column < c ? c : named_column;
            char *funder = funder_name_copy(ess_table_cell(t, rd->header, named_column));
            if (funder == NULL)
                goto done;
            /* "Part CDC HT" prints no unit: its cells are CDC's amounts (part_kind_from_cells) */
            int added = add_problem(rd->problems, rd->header_line, col, 1,
                                    "'%.60s' prints the part of the funder '%.60s' in %s: "
                                    "its amounts, a second column of that funder (columns %zu and "
                                    "%zu); read as another funder they would be added twice to "
                                    "every total; keep one column per funder", h, funder,
                                    plan_unit_in_text(h) != ESS_UNIT_NONE ? "a money unit"
                                                                          : "amounts",
                                    first + 1, second + 1);
            if (added == ESS_OK)
                tag_problem(rd->problems, ESS_PLAN_FUNDER_TWICE, (long)(first + 1),
                            (long)(second + 1), funder);
            ess_free(funder);
            if (added != ESS_OK)
                goto done;
        }
        if (part == PART_PERCENT) {
            refused = 1;
            if (add_problem(rd->problems, rd->header_line, col, 1,
                            "a percentage column ('%.60s'): a funder's share of each line, no "
                            "funder's amounts; read as a funder it would be added to every total; "
                            "remove it (plan.shares() computes them)", h))
                goto done;
            tag_problem(rd->problems, ESS_PLAN_SHARE_COLUMN, 0, 0, h);
        }
        if (refused)
            continue;
        if (is_total_header(h)) {
            if (rd->total_col != (size_t)-1) {
                if (add_problem(rd->problems, rd->header_line, col, 1,
                                "a second Total column (column %zu)", c + 1))
                    goto done;
                tag_problem(rd->problems, ESS_PLAN_SECOND_TOTAL_COLUMN, (long)(c + 1), 0, NULL);
            }
            rd->total_col = c;
            continue;
        }
        if (is_blank(h)) {
            /* a blank separator column (Excel's narrow spacer, a merged cell's right half):
             * nothing in it to read, and nothing lost by passing it */
            int used = 0;
            for (size_t r = rd->first_row; r < t->nrows && !used; r++)
                used = !is_blank(ess_table_cell(t, r, c));
            if (!used)
                continue;
            if (add_problem(rd->problems, rd->header_line, col, 1,
                            "column %zu has amounts but no funder in the header", c + 1))
                goto done;
            tag_problem(rd->problems, ESS_PLAN_COLUMN_NO_FUNDER, (long)(c + 1), 0, NULL);
            continue;
        }
        /* duplicates through a dictionary of funder keys: a header of 200 000 columns stays
         * linear */
        char *name = funder_name_copy(h);   /* "CDC (k€)" and "CDC" are one funder */
        char *a = name ? label_key(name) : NULL;
        ess_free(name);
        if (a == NULL)
            goto done;
        size_t before = seen.count;
        int32_t code = ess_dict_intern(&seen, a, strlen(a));
        ess_free(a);
        if (code < 0)
            goto done;
        if ((size_t)code < before) {
            size_t first = rd->funder_col[seen_funder[code]];
            const char *named = ess_table_cell(t, rd->header, first);
            size_t ln = strlen(named), lh = strlen(h);
            ess_text_trim(&named, &ln);
            ess_text_trim(&h, &lh);
            if (ln == lh && memcmp(named, h, lh) == 0) {
                if (add_problem(rd->problems, rd->header_line, col, 1,
                                "the funder '%.*s' heads two columns (%zu and %zu)",
                                (int)(lh < 60 ? lh : 60), h, first + 1, c + 1))
                    goto done;
                char said[61];
                snprintf(said, sizeof said, "%.*s", (int)(lh < 60 ? lh : 60), h);
                tag_problem(rd->problems, ESS_PLAN_FUNDER_TWICE, (long)(first + 1), (long)(c + 1),
                            said);
            } else {
                if (add_problem(rd->problems, rd->header_line, col, 1,
                                "the funders '%.*s' (column %zu) and '%.*s' (column %zu) differ "
                                "only in case, spaces or accents: surely one funder typed "
                                "twice, which by_funder() and the pivot would split in two; "
                                "merge the two columns under one name (or, if they are two "
                                "funders, name them apart)",
                                (int)(ln < 60 ? ln : 60), named, first + 1,
                                (int)(lh < 60 ? lh : 60), h, c + 1))
                    goto done;
                char one[61], two[61];
                snprintf(one, sizeof one, "%.*s", (int)(ln < 60 ? ln : 60), named);
                snprintf(two, sizeof two, "%.*s", (int)(lh < 60 ? lh : 60), h);
                tag_problem2(rd->problems, ESS_PLAN_FUNDER_SIMILAR, (long)(first + 1),
                             (long)(c + 1), one, two, 0);
            }
            continue;
        }
        seen_funder[code] = rd->nfunders;
        rd->funder_col[rd->nfunders++] = c;
    }
    rc = ESS_OK;
done:
    ess_dict_clear(&seen);
    ess_free(seen_funder);
    return rc;
}

/* Is row r the header printed again (a Word table repeats its header on each page, and the
 * copy keeps every one)?  Cell by cell, white space aside: it holds no amount to lose. */
static int repeats_header(const plan_reading *rd, size_t r)
{
    const ess_table *t = rd->t;
    size_t n = ess_table_row_len(t, r), nh = ess_table_row_len(t, rd->header);
    size_t width = n > nh ? n : nh;
    for (size_t c = 0; c < width; c++) {
        const char *a = c < n ? ess_table_cell(t, r, c) : NULL;
        const char *b = c < nh ? ess_table_cell(t, rd->header, c) : NULL;
        if (is_blank(a) || is_blank(b)) {
            if (is_blank(a) != is_blank(b))
                return 0;
            continue;
        }
        size_t la = strlen(a), lb = strlen(b);
        ess_text_trim(&a, &la);
        ess_text_trim(&b, &lb);
        if (la != lb || memcmp(a, b, la) != 0)
            return 0;
    }
    return 1;
}

/* The first of a row's label cells (the line's, the group's, the numbering's; NULL where the
 * table has none) that says what it is; NULL if none. */
static const char *first_that(int (*is)(const char *), const char *line, const char *group,
                              const char *number)
{
    return is(line) ? line : is(group) ? group : is(number) ? number : NULL;
}

/* The column (in characters, as problems name it) of row r's label cell holding text. */
static long label_cell_column(const plan_reading *rd, size_t r, const char *text)
{
    size_t c = 0;
    while (c + 1 < rd->lead + rd->nlabel && ess_table_cell(rd->t, r, c) != text)
        c++;
    return rd->t->cell_column[rd->t->row_first[r] + c];
}

/* Enters the group (axis) of that label, printed on row r: a known label is the same axis
 * again.  A new label differing from a known one only in case, spaces or accents ("Économie"
 * and "Economie") is one axis typed twice: read as two, by_axis() and the pivot split it and
 * every total still agreed.  It is a structural problem naming both.  Returns ESS_ENOMEM only. */
static int enter_group(plan_reading *rd, size_t r, const char *text, int32_t *current_group)
{
    char *label = label_copy(text);
    if (label == NULL)
        return ESS_ENOMEM;
    /* an axis printed again further down (lines sorted by funder, a block moved) is the same
     * axis: as a second group of the same label, by_axis() kept only the later block's sum
     * and the pivot lost the axis */
    size_t before = rd->group_names.count;
    int32_t code = ess_dict_intern(&rd->group_names, label, strlen(label));
    if (code < 0) {
        ess_free(label);
        return ESS_ENOMEM;
    }
    *current_group = code;
    if ((size_t)code < before) {
        ess_free(label);
        return ESS_OK;
    }
    rd->group_line[rd->ngroups] = rd->t->row_line[r];
    rd->groups[rd->ngroups++] = label;
    char *key = label_key(label);
    if (key == NULL)
        return ESS_ENOMEM;
    size_t known = rd->group_keys.count;
    int32_t k = ess_dict_intern(&rd->group_keys, key, strlen(key));
    ess_free(key);
    if (k < 0)
        return ESS_ENOMEM;
    if ((size_t)k == known) {
        rd->group_of_key[k] = (size_t)code;
        return ESS_OK;
    }
    const ess_table *t = rd->t;
    size_t first = rd->group_of_key[k];
    int rc = add_problem(rd->problems, t->row_line[r], label_cell_column(rd, r, text), 1,
                         "the axes '%.40s' (line %ld) and '%.40s' (line %ld) differ only in "
                         "case, spaces or accents: surely one axis typed twice, which by_axis() "
                         "and the pivot would split; write it one way in both places (or name "
                         "two axes apart)",
                         rd->groups[first], rd->group_line[first], label, t->row_line[r]);
    if (rc == ESS_OK)
        tag_problem2(rd->problems, ESS_PLAN_AXIS_SIMILAR, rd->group_line[first], t->row_line[r],
                     rd->groups[first], label, 0);
    return rc;
}

/* The length of a note's mark that s starts with -- "(1)", "(12)", "(a)", "(*)" -- or 0. */
static size_t note_mark(const char *s)
{
    size_t n = 1;
    if (s == NULL || s[0] != '(')
        return 0;
    if (s[1] >= '0' && s[1] <= '9')
        while (n < 3 && s[n] >= '0' && s[n] <= '9')
            n++;
    else if ((s[1] >= 'a' && s[1] <= 'z') || (s[1] >= 'A' && s[1] <= 'Z'))
        n = 2;
    else
        while (n < 4 && s[n] == '*')
            n++;
    return n > 1 && s[n] == ')' ? n + 1 : 0;
}

/* The slot of mark (len bytes, a note_mark) in the cache, added as not looked for yet if new;
 * (size_t)-1 when there is no room (then nothing is cached). */
static size_t note_slot(const plan_reading *rd, const char *mark, size_t len)
{
    struct note_cache *nc = rd->notes;
    if (nc == NULL || len >= sizeof nc->item[0].mark)
        return (size_t)-1;
    for (size_t i = 0; i < nc->n; i++)
        if (strlen(nc->item[i].mark) == len && memcmp(nc->item[i].mark, mark, len) == 0)
            return i;
    if (nc->n == sizeof nc->item / sizeof nc->item[0])
        return (size_t)-1;
    memcpy(nc->item[nc->n].mark, mark, len);
    nc->item[nc->n].mark[len] = '\0';
    nc->item[nc->n].row = (size_t)-2;
    nc->item[nc->n].referenced = -1;
    return nc->n++;
}

static size_t find_note_row(const plan_reading *rd, const char *mark, size_t len);

/* The row of the note that mark (len bytes) heads -- "(1) montant à confirmer" alone in its
 * row's first cell -- or (size_t)-1.  Looked for once a mark (note_slot). */
static size_t note_row(const plan_reading *rd, const char *mark, size_t len)
{
    size_t slot = note_slot(rd, mark, len);
    if (slot != (size_t)-1 && rd->notes->item[slot].row != (size_t)-2)
        return rd->notes->item[slot].row;
    size_t row = find_note_row(rd, mark, len);
    if (slot != (size_t)-1)
        rd->notes->item[slot].row = row;
    return row;
}

static size_t find_note_row(const plan_reading *rd, const char *mark, size_t len)
{
    const ess_table *t = rd->t;
    for (size_t r = rd->first_row; r < t->nrows; r++) {
        size_t n = ess_table_row_len(t, r);
        const char *first = n ? ess_table_cell(t, r, 0) : NULL;
        if (first == NULL)
            continue;
        while (*first == ' ')
            first++;
        if (strncmp(first, mark, len) != 0 || !has_letter(first + len))
            continue;
        int alone = 1;
        for (size_t c = 1; c < n && alone; c++)
            alone = is_blank(ess_table_cell(t, r, c));
        if (alone)
            return r;
    }
    return (size_t)-1;
}

/* Is row r a note ("(1) montant à confirmer;;;") whose mark an amount cell of the table
 * carries ("(1)", "120 (1)")?  Text in its first cell alone, starting with a mark. */
static int referenced_note(const plan_reading *rd, size_t r)
{
    const ess_table *t = rd->t;
    size_t n = ess_table_row_len(t, r);
    const char *first = n ? ess_table_cell(t, r, 0) : NULL;
    if (first == NULL)
        return 0;
    while (*first == ' ')
        first++;
    size_t len = note_mark(first);
    if (len == 0 || !has_letter(first + len))
        return 0;
    for (size_t c = 1; c < n; c++)
        if (!is_blank(ess_table_cell(t, r, c)))
            return 0;
    size_t slot = note_slot(rd, first, len);
    if (slot != (size_t)-1 && rd->notes->item[slot].referenced >= 0)
        return rd->notes->item[slot].referenced;
    int found = 0;
    for (size_t i = rd->first_row; i < t->nrows && !found; i++)
        for (size_t c = rd->lead + rd->nlabel; c < ess_table_row_len(t, i); c++) {
            const char *cell = ess_table_cell(t, i, c);
            size_t m = cell ? strlen(cell) : 0;
            while (m > 0 && cell[m - 1] == ' ')
                m--;
            found |= m >= len && strncmp(cell + m - len, first, len) == 0;
        }
    if (slot != (size_t)-1)
        rd->notes->item[slot].referenced = (signed char)found;
    return found;
}

/* Is row r text in its first cell alone ("(1) montant à confirmer;;;", "Source : Région")? */
static int text_alone(const plan_reading *rd, size_t r)
{
    const ess_table *t = rd->t;
    size_t n = ess_table_row_len(t, r);
    const char *first = n ? ess_table_cell(t, r, 0) : NULL;
    if (first == NULL || !has_letter(first))
        return 0;
    for (size_t c = 1; c < n; c++)
        if (!is_blank(ess_table_cell(t, r, c)))
            return 0;
    return 1;
}

/* The first row of the table's tail of rows of text alone (text_alone), blank rows among
 * them: t->nrows when the last row is none. */
static size_t text_tail(const plan_reading *rd)
{
    const ess_table *t = rd->t;
    size_t r = t->nrows;
    while (r > rd->first_row) {
        int blank = 1;
        for (size_t c = 0; c < ess_table_row_len(t, r - 1) && blank; c++)
            blank = is_blank(ess_table_cell(t, r - 1, c));
        if (!blank && !text_alone(rd, r - 1))
            break;
        r--;
    }
    return r;
}

/* Is row r followed by the Total row, with only blank rows or notes' text alone ("(2) ...;;")
 * between them?  ("(1) montant à confirmer;;;" just above "Total;13;7;20": under the last line,
 * as much a note as under the Total row.) */
static int above_total_row(const plan_reading *rd, size_t r)
{
    const ess_table *t = rd->t;
    struct note_cache *nc = rd->notes;
    if (nc != NULL && nc->run_end > 0 && r >= nc->run_from && r < nc->run_end)
        return nc->run_total;
    size_t i = r + 1;
    int total = 0;
    for (; i < t->nrows; i++) {
        size_t n = ess_table_row_len(t, i);
        int blank = 1;
        for (size_t c = 0; c < n && blank; c++)
            blank = is_blank(ess_table_cell(t, i, c));
        if (blank)
            continue;
        const char *first = ess_table_cell(t, i, 0);
        while (first != NULL && *first == ' ')
            first++;
        if (text_alone(rd, i) && note_mark(first) > 0)
            continue;
        for (size_t c = 0; c < rd->lead + rd->nlabel && c < n && !total; c++)
            total = is_total_label(ess_table_cell(t, i, c));
        break;
    }
    if (nc != NULL) {
        nc->run_from = r;
        nc->run_end = i;
        nc->run_total = total;
    }
    return total;
}

/* Is row r a note whose mark no cell carries ("(1) montant à confirmer;;;" under the last
 * line, before the Total row or in a plan with none)?  Its shape tells: a note's mark then
 * text, in its first cell alone, with lines above it and nothing but such text below it, or
 * only other notes between it and the Total row (above_total_row) --
 * unless lines above it start with a mark too ("(1) Former;12;5", "(2) Observer;;": a list
 * numbered so, whose last item is a line nobody funds yet). */
static int unreferenced_note(const plan_reading *rd, size_t r)
{
    const char *first = ess_table_cell(rd->t, r, 0);
    if (rd->nlines == 0 || rd->marked_lines || !text_alone(rd, r))
        return 0;
    while (*first == ' ')
        first++;
    size_t len = note_mark(first);
    return len > 0 && has_letter(first + len) && (r >= rd->text_tail || above_total_row(rd, r));
}

/* Does a line's label, read so far, carry mark (len bytes): "DLA (1)"? */
static int labelled_note(const plan_reading *rd, const char *mark, size_t len)
{
    char m[8];
    if (len == 0 || len >= sizeof m)
        return 0;
    memcpy(m, mark, len);
    m[len] = '\0';
    for (size_t i = 0; i < rd->nlines; i++)
        for (size_t c = rd->lead; c < rd->lead + rd->nlabel; c++) {
            const char *label = ess_table_cell(rd->t, rd->line_row[i], c);
            if (label != NULL && strstr(label, m) != NULL)
                return 1;
        }
    return 0;
}

/* Does row r hold anything in its amount columns (funders, Total) up to width? */
static int row_has_figures(const plan_reading *rd, size_t r, size_t width)
{
    for (size_t c = rd->lead + rd->nlabel; c < width; c++)
        if (!is_blank(ess_table_cell(rd->t, r, c)))
            return 1;
    return 0;
}

/* The axis row r heads, or NULL when it is no axis row: in a table with a group column, its
 * group cell with the line cell blank ("Axe 1;;;"); in any table, a line cell that reads as an
 * axis ("Axe 1 : Structurer", is_axis_label) with no group beside it -- or, the line cell
 * blank, a numbering cell that does. */
static const char *axis_row_label(const plan_reading *rd, size_t r)
{
    const ess_table *t = rd->t;
    const char *g = rd->nlabel == 2 ? ess_table_cell(t, r, rd->lead) : NULL;
    const char *l = ess_table_cell(t, r, rd->lead + rd->nlabel - 1);
    const char *number = rd->lead ? ess_table_cell(t, r, 0) : NULL;
    if (!is_blank(g))
        return is_blank(l) ? g : NULL;
    if (is_axis_label(l))
        return l;
    return is_blank(l) && is_axis_label(number) ? number : NULL;
}

/* Do lines follow row r: is the next row with something in it (the header repeated aside)
 * neither an axis row, nor a Total, sub-total or 'dont' row, nor the end of the table? */
static int lines_follow(const plan_reading *rd, size_t r)
{
    const ess_table *t = rd->t;
    for (size_t next = r + 1; next < t->nrows; next++) {
        size_t n = ess_table_row_len(t, next);
        int blank = 1;
        for (size_t c = 0; c < n && blank; c++)
            blank = is_blank(ess_table_cell(t, next, c));
        if (blank || repeats_header(rd, next) || repeats_units_row(rd, next))
            continue;
        for (size_t c = 0; c < rd->lead + rd->nlabel && c < n; c++) {
            const char *cell = ess_table_cell(t, next, c);
            if (is_total_label(cell) || is_subtotal_label(cell) || is_detail_label(cell))
                return 0;
        }
        return axis_row_label(rd, next) == NULL;
    }
    return 0;
}

/* The ways a heading is numbered or written (heading_kind); two rows of one kind in a row are
 * items of one list, siblings. */
enum { HEADING_NONE, HEADING_ROMAN, HEADING_LETTER, HEADING_NUMBER, HEADING_AXIS_WORD,
       HEADING_CAPITALS };

/* The length of the separator a heading's number ends with at s -- ".", ")", ":", "-", an en
 * or em dash, spaces before it allowed -- or 0.  "1.2" is no separator: a sub-number. */
static size_t heading_separator(const unsigned char *s)
{
    const unsigned char *p = s;
    while (*p == ' ')
        p++;
    if (*p == '.' && (p[1] == ' ' || p[1] == '\0'))   /* not "1.2", "S.A." */
        return (size_t)(p - s) + 1;
    if (*p == ')' || *p == ':')
        return (size_t)(p - s) + 1;
    if (*p == '-' && (p > s || p[1] == ' '))   /* "A - ...", "II -...", never "E-commerce" */
        return (size_t)(p - s) + 1;
    if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x93 || p[2] == 0x94))
        return (size_t)(p - s) + 3;
    return 0;
}

/* How a row label reads as a heading of a group of lines (HEADING_...), or HEADING_NONE:
 *   "I. Structurer", "II - Développer", "IV) ..."   a roman numeral (I, V, X) and a separator;
 *   "A) Former", "B. Accompagner", "c) ..."        one letter and a separator;
 *   "1. Structurer", "2 - Développer"             one number and a separator ("1.2 ..." not);
 *   "Axe stratégique : Structurer"                 an axis word, then ':' or a dash;
 *   "STRUCTURER L'ÉCONOMIE SOCIALE", "STRUCTURER"  capitals: three words of three letters or
 *                                                  more, or one of eight -- not an acronym or
 *                                                  a short name ("DLA", "CAP EMPLOI").
 * The label alone does not make a heading (read_line_rows decides with the rows around it). */
static int heading_kind(const char *s)
{
    if (s == NULL)
        return HEADING_NONE;
    while (*s == ' ' || *s == '\t')
        s++;
    const unsigned char *u = (const unsigned char *)s;
    size_t n = 0;
    while (u[n] == 'I' || u[n] == 'V' || u[n] == 'X')
        n++;
    if (n > 0 && n <= 6 && heading_separator(u + n))
        return HEADING_ROMAN;   /* "I." above "II.": one list (not "H)" above "I)" then) */
    if (((u[0] >= 'A' && u[0] <= 'Z') || (u[0] >= 'a' && u[0] <= 'z')) &&
        heading_separator(u + 1) && (u[1] == ')' || u[0] <= 'Z'))
        return HEADING_LETTER;   /* "a)" but not "a. ", "a - " (a word's letter) */
    for (n = 0; u[n] >= '0' && u[n] <= '9'; n++)
        ;
    if (n > 0 && n <= 3 && heading_separator(u + n))
        return HEADING_NUMBER;
    static const char *axis_words[] = {"axe", "axes", "axis", "orientation", "objectif",
                                       "priorit\xc3\xa9", "priorite", "th\xc3\xa8me", "theme",
                                       "volet", "programme", "chantier", "enjeu"};
    if (starts_with_word(s, axis_words, sizeof axis_words / sizeof axis_words[0]))
        for (const unsigned char *p = u; *p; p++)
            if (*p == ':' || (p[0] == ' ' && (p[1] == '-' || (p[1] == 0xE2 && p[2] == 0x80 &&
                                                               (p[3] == 0x93 || p[3] == 0x94)))))
                return HEADING_AXIS_WORD;
    /* capitals: no lower-case letter (ASCII, à..ÿ, œ); runs of capitals are its words */
    size_t words = 0, run = 0, longest = 0;
    for (const unsigned char *p = u;; p++) {
        int upper = (*p >= 'A' && *p <= 'Z') ||
                    (p[0] == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E) ||
                    (p[0] == 0xC5 && p[1] == 0x92);
        int lower = (*p >= 'a' && *p <= 'z') || (p[0] == 0xC3 && p[1] >= 0x9F) ||
                    (p[0] == 0xC5 && p[1] == 0x93);
        if (lower)
            return HEADING_NONE;
        if (upper) {
            run++;
            p += *p >= 0x80;   /* the second byte of an accented capital */
            continue;
        }
        words += run >= 3;
        longest = run > longest ? run : longest;
        run = 0;
        if (*p == '\0')
            break;
    }
    return words >= 3 || longest >= 8 ? HEADING_CAPITALS : HEADING_NONE;
}

/* The heading kind of row r's line cell, in a table with a group column only when the group
 * cell is blank (a group cell is the axis already). */
static int row_heading_kind(const plan_reading *rd, size_t r)
{
    const ess_table *t = rd->t;
    if (rd->nlabel == 2 && !is_blank(ess_table_cell(t, r, rd->lead)))
        return HEADING_NONE;
    return heading_kind(ess_table_cell(t, r, rd->lead + rd->nlabel - 1));
}

/* The next row after r with something in it, the header repeated aside; t->nrows if none. */
static size_t next_content_row(const plan_reading *rd, size_t r)
{
    const ess_table *t = rd->t;
    for (size_t next = r + 1; next < t->nrows; next++) {
        int blank = 1;
        for (size_t c = 0; c < ess_table_row_len(t, next) && blank; c++)
            blank = is_blank(ess_table_cell(t, next, c));
        if (!blank && !repeats_header(rd, next) && !repeats_units_row(rd, next))
            return next;
    }
    return t->nrows;
}

/* Is row r a Total, sub-total or 'dont' row, by any of its label cells? */
static int ends_lines(const plan_reading *rd, size_t r)
{
    for (size_t c = 0; c < rd->lead + rd->nlabel; c++) {
        const char *cell = ess_table_cell(rd->t, r, c);
        if (is_total_label(cell) || is_subtotal_label(cell) || is_detail_label(cell))
            return 1;
    }
    return 0;
}

/* Is row r a heading with no figure ("I. Structurer;;", "A) Former;;")?  Its label reads as
 * one (heading_kind), its amount cells are all blank, and the next row is neither the end, a
 * Total, sub-total or 'dont' row, nor a row numbered the same way: "A) Former;;" above
 * "B) Accompagner;12;5" are two items of one list, the first a line nobody funds yet, and it
 * stays a line.  An unnumbered label in mixed case ("Observatoire;;") is never a heading. */
static int blank_heading(const plan_reading *rd, size_t r)
{
    int kind = row_heading_kind(rd, r);
    if (kind == HEADING_NONE || row_has_figures(rd, r, rd->ncols))
        return 0;
    size_t next = next_content_row(rd, r);
    return next < rd->t->nrows && !ends_lines(rd, next) && row_heading_kind(rd, next) != kind;
}

static int add_row_figure(const plan_reading *rd, size_t r, size_t c, int64_t *sum,
                          int64_t *carry);

/* Where the figures of row h, a heading in capitals printing sub-totals ("STRUCTURER LE
 * SECTEUR;13;5"), may end its block: at a row in capitals with no amount under it (a heading
 * of the next lines, or an action line in capitals planned at 0 -- capitals alone do not say),
 * or where subtotal_heading ends a block.  Its figures, every one, the sums of the rows above
 * such a place, are evidence that the block ends there; sets rd->cut_first (the first such
 * row, t->nrows for the table's end) and rd->cut_count (how many).  Summed once a heading, in
 * one pass (cut_sum), so that blocks of many such rows are still read in linear time. */
static void block_cuts(plan_reading *rd, size_t h)
{
    const ess_table *t = rd->t;
    if (rd->cut_heading == h)
        return;
    rd->cut_heading = h;
    rd->cut_first = t->nrows;
    rd->cut_count = 0;
    if (rd->cut_sum == NULL || rd->cut_carry == NULL || rd->cut_known == NULL)
        return;
    size_t first = rd->lead + rd->nlabel;
    for (size_t c = first; c < rd->ncols; c++) {
        rd->cut_sum[c] = rd->cut_carry[c] = 0;
        rd->cut_known[c] = 1;
    }
    for (size_t i = next_content_row(rd, h);; i = next_content_row(rd, i)) {
        int end = i >= t->nrows || ends_lines(rd, i) || axis_row_label(rd, i) != NULL ||
                  (rd->nlabel == 2 && !is_blank(ess_table_cell(t, i, rd->lead))) ||
                  (rd->outer_kind != HEADING_NONE && row_heading_kind(rd, i) == rd->outer_kind);
        int kind = end ? HEADING_NONE : row_heading_kind(rd, i);
        int blank_capitals = kind == HEADING_CAPITALS && !row_has_figures(rd, i, rd->ncols);
        end |= kind == HEADING_CAPITALS && !blank_capitals;
        if (end || blank_capitals) {
            int any = 0, sums = 1;
            for (size_t c = first; c < rd->ncols && sums; c++) {
                const char *printed = ess_table_cell(t, h, c);
                int64_t stated;
                if (is_blank(printed))
                    continue;
                sums = ess_money_parse(printed, strlen(printed), &rd->style, &stated, NULL,
                                       NULL) == ESS_OK &&
                       rd->cut_known[c] == 1 && rd->cut_carry[c] == 0 &&
                       rd->cut_sum[c] == stated;
                any = 1;
            }
            if (any && sums && rd->cut_count++ == 0)
                rd->cut_first = i < t->nrows ? i : t->nrows;
            if (end)
                return;
            continue;
        }
        for (size_t c = first; c < rd->ncols; c++)
            if (rd->cut_known[c] == 1)
                rd->cut_known[c] = (signed char)add_row_figure(rd, i, c, &rd->cut_sum[c],
                                                               &rd->cut_carry[c]);
    }
}

/* Is row r, in capitals with no figure, a line of the open block of a heading in capitals
 * whose sub-totals end that block further down, and nowhere else (block_cuts)? */
static int in_capitals_block(plan_reading *rd, size_t r)
{
    if (rd->open_axis == (size_t)-1 || rd->axis_kind[rd->open_axis] != HEADING_CAPITALS ||
        row_heading_kind(rd, r) != HEADING_CAPITALS || row_has_figures(rd, r, rd->ncols))
        return 0;
    block_cuts(rd, rd->axis_row[rd->open_axis]);
    return rd->cut_count == 1 && rd->cut_first > r;
}

/* How deep a numbering cell numbers: "1", "A", "1." are 1; "1.2" is 2; "1.2.3" is 3. */
static size_t number_depth(const char *s)
{
    size_t depth = 1;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p == '.' || *p == '-') && p[1] != '\0' && p[1] != ' ' && p != (const unsigned char *)s)
            depth++;
    return depth;
}

/* A row in capitals with no amount above lines (blank_heading took it): a heading of the lines
 * under it, or an action line planned at 0 (or left blank this year) whose label happens to be
 * in capitals -- capitals alone do not say.  The table may: returns 1 (a heading), 0 (a line),
 * or -1 when nothing in it tells (read_line_rows refuses, naming both readings).
 *   - numbered in a numbering column as the row under it ("2" above "3"): a line among lines;
 *     numbered above a deeper number ("1" above "1.1"), or unnumbered above numbered lines:
 *     a heading;
 *   - in a table with a group column, under a group it gives: a line of that group (its
 *     groups are in that column);
 *   - under an axis row or a heading of another kind, after lines of it: a line of that axis
 *     (a heading under it would leave the lines above it under none, and the axis row's
 *     sub-totals, when printed, count the lines on both sides of it);
 *   - inside the block of a heading in capitals printing sub-totals ("STRUCTURER LE
 *     SECTEUR;13;5"): where its figures are the sums of the rows above it, and nowhere
 *     further down, a heading (the block ends at it); where they are the sums of a block
 *     going on past it (counting it as 0), and nowhere else, a line of that block -- the
 *     heading's sub-totals tell (block_cuts); where they are both or neither, the rules
 *     below decide;
 *   - other rows in capitals taken as headings (its siblings): a heading;
 *   - otherwise both readings stay open. */
static int capitals_heading(plan_reading *rd, size_t r, int32_t current_group)
{
    const ess_table *t = rd->t;
    if (rd->lead) {
        size_t next = next_content_row(rd, r);
        const char *mine = ess_table_cell(t, r, 0);
        const char *theirs = next < t->nrows ? ess_table_cell(t, next, 0) : NULL;
        if (!is_blank(theirs)) {
            if (is_blank(mine))
                return 1;
            return number_depth(mine) < number_depth(theirs);
        }
    }
    if (rd->open_axis != (size_t)-1 && rd->axis_kind[rd->open_axis] == HEADING_CAPITALS) {
        block_cuts(rd, rd->axis_row[rd->open_axis]);
        if (rd->cut_count == 1 && rd->cut_first == r)
            return 1;
        if (in_capitals_block(rd, r))
            return 0;   /* a line of the open block, which it does not end */
    }
    if (rd->nlabel == 2 && current_group >= 0)
        return 0;
    if (current_group >= 0 && rd->group_kind != HEADING_CAPITALS && rd->nlines > rd->group_since)
        return 0;
    if (rd->capitals_headings < 0) {
        rd->capitals_headings = 0;
        for (size_t i = rd->first_row; i < t->nrows && rd->capitals_headings < 2; i++)
            rd->capitals_headings += row_heading_kind(rd, i) == HEADING_CAPITALS &&
                                     !repeats_header(rd, i) && !repeats_units_row(rd, i) &&
                                     blank_heading(rd, i);
    }
    return rd->capitals_headings >= 2 ? 1 : -1;
}

/* Adds the amount of cell (r, c) to sum modulo 2^64, its wraps counted in carry
 * (ess_add_counting_wraps).  0: the cell is unreadable (nothing can be said of the sum); 1:
 * added (a blank cell adds nothing).  What must stay true: a sum is compared with a printed
 * figure only when its carry is 0 (it is then exact), never refused on a partial sum -- each
 * partial was checked, so lines [max, max, -max] under a heading or a partial total were no
 * sums of theirs, where [max, -max, max] were: the reading depended on the lines' order. */
static int add_cell(const plan_reading *rd, size_t r, size_t c, int64_t *sum, int64_t *carry)
{
    const char *f = ess_table_cell(rd->t, r, c);
    int64_t cents;
    if (is_blank(f))
        return 1;
    if (ess_money_parse(f, strlen(f), &rd->style, &cents, NULL, NULL) != ESS_OK)
        return 0;
    ess_add_counting_wraps(sum, cents, carry);
    return 1;
}

/* What row r adds to column c: its cell, or under the Total column its funders' cells (its
 * own Total cell is a stated total, checked elsewhere).  As add_cell. */
static int add_row_figure(const plan_reading *rd, size_t r, size_t c, int64_t *sum,
                          int64_t *carry)
{
    if (c != rd->total_col)
        return add_cell(rd, r, c, sum, carry);
    for (size_t j = 0; j < rd->nfunders; j++) {
        int rc = add_cell(rd, r, rd->funder_col[j], sum, carry);
        if (rc != 1)
            return rc;
    }
    return 1;
}

/* Are row r's figures, every one, the sums of the rows listed in their columns -- the lines
 * under a heading?  A row with no figure, or an unreadable one, is not. */
static int figures_are_sums(const plan_reading *rd, size_t r, const size_t *rows, size_t nrows)
{
    const ess_table *t = rd->t;
    int any = 0;
    for (size_t c = rd->lead + rd->nlabel; c < rd->ncols; c++) {
        const char *printed = ess_table_cell(t, r, c);
        if (is_blank(printed))
            continue;
        int64_t stated, sum = 0, carry = 0;
        if (ess_money_parse(printed, strlen(printed), &rd->style, &stated, NULL, NULL) != ESS_OK)
            return 0;
        for (size_t i = 0; i < nrows; i++)
            if (add_row_figure(rd, rows[i], c, &sum, &carry) != 1)
                return 0;
        if (carry != 0 || sum != stated)
            return 0;
        any = 1;
    }
    return any;
}

/* Are row r's figures, every one, the sums of the lines read so far in their columns -- is a
 * row labelled Total the Total of the lines above it?  As figures_are_sums; the sums are kept
 * from one call to the next (above_sum), so that a table of many rows "Total des ..." is still
 * read in linear time. */
static int figures_are_sums_above(plan_reading *rd, size_t r)
{
    const ess_table *t = rd->t;
    for (; rd->above_upto < rd->nlines; rd->above_upto++)
        for (size_t c = rd->lead + rd->nlabel; c < rd->ncols; c++)
            if (rd->above_known[c] == 1)
                rd->above_known[c] = (signed char)add_row_figure(
                    rd, rd->line_row[rd->above_upto], c, &rd->above_sum[c],
                    &rd->above_carry[c]);
    int any = 0;
    for (size_t c = rd->lead + rd->nlabel; c < rd->ncols; c++) {
        const char *printed = ess_table_cell(t, r, c);
        int64_t stated;
        if (is_blank(printed))
            continue;
        if (ess_money_parse(printed, strlen(printed), &rd->style, &stated, NULL, NULL) != ESS_OK ||
            rd->above_known[c] != 1 || rd->above_carry[c] != 0 || rd->above_sum[c] != stated)
            return 0;
        any = 1;
    }
    return any;
}

/* Is row r ("Total des actions de formation") a partial total: its figures, every one, the
 * sums of all the lines above it, or of the lines since the last partial total (a plan
 * printing "Total des formations" then "Total des accompagnements")?  The sums since the last
 * one are summed afresh for each such row with lines and a Total row after it (a plan prints
 * few); the sums above are kept from one call to the next (figures_are_sums_above). */
static int partial_total(plan_reading *rd, size_t r)
{
    if (figures_are_sums_above(rd, r))
        return 1;
    return rd->partial_from > 0 &&
           figures_are_sums(rd, r, rd->line_row + rd->partial_from,
                            rd->nlines - rd->partial_from);
}

/* The rows under row r, a heading of kind `kind`, down to the next Total, sub-total or 'dont'
 * row, axis row, group cell or heading of its own kind: those of heading kind `only`
 * (HEADING_NONE: the plain lines), or all of them when `only` is -1.  Returns their number. */
static size_t rows_under(const plan_reading *rd, size_t r, int kind, int only, size_t *rows)
{
    const ess_table *t = rd->t;
    size_t n = 0;
    for (size_t i = next_content_row(rd, r); i < t->nrows; i = next_content_row(rd, i)) {
        int k = row_heading_kind(rd, i);
        if (ends_lines(rd, i) || axis_row_label(rd, i) != NULL ||
            (rd->nlabel == 2 && !is_blank(ess_table_cell(t, i, rd->lead))) || k == kind)
            break;
        if (only < 0 || k == only)
            rows[n++] = i;
    }
    return n;
}

/* Is row r a heading over headings that prints sub-totals ("I. STRUCTURER;30;7" above
 * "A) Former;10;3", its lines, "B) Accompagner;20;4", its lines)?  Read as a line (the next row
 * is a heading, so subtotal_heading does not take it), its money was counted twice: once on
 * it, once on the lines under the inner headings.  Its figures are a checked sub-total when
 * they are the sums of the plain lines under it, of the inner headings' sub-totals, or of all
 * the rows under it, down to the next heading of its own kind.  Returns 1 then; -1 when the
 * inner heading prints sub-totals but its figures are none of those sums (a heading with wrong
 * sub-totals, or an action line above headings: which is not for the reader to guess); 0 when
 * row r is no such row (a line with figures above a heading with blank cells stays a line). */
static int outer_heading(const plan_reading *rd, size_t r, size_t *rows)
{
    const ess_table *t = rd->t;
    int kind = row_heading_kind(rd, r);
    size_t next = next_content_row(rd, r);
    if (kind == HEADING_NONE || !row_has_figures(rd, r, rd->ncols) || next >= t->nrows ||
        ends_lines(rd, next) || axis_row_label(rd, next) != NULL)
        return 0;
    int inner = row_heading_kind(rd, next);
    if (inner == HEADING_NONE || inner == kind)
        return 0;
    if (figures_are_sums(rd, r, rows, rows_under(rd, r, kind, HEADING_NONE, rows)) ||
        figures_are_sums(rd, r, rows, rows_under(rd, r, kind, inner, rows)) ||
        figures_are_sums(rd, r, rows, rows_under(rd, r, kind, -1, rows)))
        return 1;
    return row_has_figures(rd, next, rd->ncols) ? -1 : 0;
}

/* Is row r a heading printing its lines' sub-totals ("I. Structurer;210;20")?  Its label reads
 * as a heading, the next row is a plain line, and its figures are exactly the sums of the lines
 * under it, down to the next Total, sub-total or 'dont' row, axis row, group cell or heading
 * numbered the same way ("II. ...").  Figures that are not those sums make it a line (a
 * lettered action "A) Formation;12;5" above unlettered ones): the Total row, if any, then says
 * what is wrong -- unless a heading numbered the same way above it was read as one with its
 * sub-totals: then "II. Développer;9;9" is surely a heading too, whose sub-totals are wrong,
 * and check_axis_rows says so (as a line it would count its axis twice, silently without a
 * Total row).  rows: scratch room for the table's rows.  Returns the heading's kind, or 0. */
static int subtotal_heading(plan_reading *rd, size_t r, size_t *rows)
{
    const ess_table *t = rd->t;
    int kind = row_heading_kind(rd, r);
    size_t next = next_content_row(rd, r);
    if (kind == HEADING_NONE || next >= t->nrows || ends_lines(rd, next) ||
        axis_row_label(rd, next) != NULL || row_heading_kind(rd, next) != HEADING_NONE)
        return 0;
    size_t n = 0;
    for (size_t i = next; i < t->nrows; i = next_content_row(rd, i)) {
        if (ends_lines(rd, i) || axis_row_label(rd, i) != NULL ||
            (rd->nlabel == 2 && !is_blank(ess_table_cell(t, i, rd->lead))) ||
            row_heading_kind(rd, i) == kind ||
            (rd->outer_kind != HEADING_NONE && row_heading_kind(rd, i) == rd->outer_kind))
            break;   /* the next heading over headings ends an inner heading's block too */
        rows[n++] = i;
    }
    if (kind == rd->subtotal_kind && row_has_figures(rd, r, rd->ncols))
        return kind;
    if (figures_are_sums(rd, r, rows, n))
        return kind;
    if (kind != HEADING_CAPITALS || !row_has_figures(rd, r, rd->ncols))
        return 0;   /* (a row with no figure prints no sub-total: block_cuts' cache kept) */
    /* "STRUCTURER LE SECTEUR;13;5" over "DLA;8;3", "ANIMATION TERRITORIALE;;" (an action
     * line in capitals planned at 0), "Têtes de réseau;5;2": its figures are the sums of a
     * block going on past that row -- its sub-totals, that row a line of it */
    block_cuts(rd, r);
    return rd->cut_count > 0 ? kind : 0;
}

/* Is a Total label (is_total_label) the word alone -- "Total", "TOTAL :", "Totaux", "Total
 * général", "Total (k€)", "Total TTC" -- rather than an action's name that starts with it
 * ("Total des actions de formation")?  Words in parentheses, and words of one or two letters,
 * say nothing. */
static int is_bare_total_label(const char *s)
{
    static const char *total[] = {"montant total", "totaux", "total"};
    static const char *allowed[] = {"g\xc3\xa9n\xc3\xa9ral", "g\xc3\xa9n\xc3\xa9rale",
                                    "g\xc3\xa9n\xc3\xa9raux", "general", "generale", "generaux",
                                    "euros", "eur", "keur", "ttc"};
    while (*s == ' ' || *s == '\t')
        s++;
    const char *p = s + starts_with_one_of(s, total, sizeof total / sizeof total[0]);
    int depth = 0;
    while (*p) {
        if (*p == '(' || *p == ')') {
            depth += *p++ == '(' ? 1 : -1;
            continue;
        }
        if (word_ends_at(p)) {
            p++;
            continue;
        }
        const char *w = p;
        size_t letters = 0;
        while (!word_ends_at(p)) {
            p += (unsigned char)*p >= 0x80 && p[1] ? 2 : 1;
            letters++;
        }
        if (depth <= 0 && letters >= 3) {
            size_t n = starts_with_word(w, allowed, sizeof allowed / sizeof allowed[0]);
            if ((size_t)(p - w) != n)
                return 0;
        }
    }
    return 1;
}

/* After a row r labelled Total: do rows with figures follow it (not a sub-total or 'dont' row),
 * and is there a later row labelled Total (*later: its line, else 0)?  Looks no further than
 * that later row. */
static int lines_after_total(const plan_reading *rd, size_t r, long *later)
{
    const ess_table *t = rd->t;
    const char *number, *g, *l;
    int lines = 0;
    *later = 0;
    for (size_t next = next_content_row(rd, r); next < t->nrows;
         next = next_content_row(rd, next)) {
        number = rd->lead ? ess_table_cell(t, next, 0) : NULL;
        g = rd->nlabel == 2 ? ess_table_cell(t, next, rd->lead) : NULL;
        l = ess_table_cell(t, next, rd->lead + rd->nlabel - 1);
        if (first_that(is_total_label, l, g, number) != NULL) {
            *later = t->row_line[next];
            break;
        }
        if (!lines && row_has_figures(rd, next, rd->ncols) && !ends_lines(rd, next))
            lines = 1;
    }
    return lines;
}

/* A row read as a partial total ("Total des formations", the sums of the lines above it) that
 * the Total row counts as a line: the Total row's figures are, in every column, the lines'
 * sums plus this row's, not the lines' sums alone.  The two readings disagree -- as a partial
 * total the Total row is wrong, as a line its money is counted twice -- and the plan is
 * refused naming both, never one taken silently.  The lines' sums are above_sum, brought to
 * the last line once.  Returns ESS_ENOMEM only. */
static int check_partial_totals(plan_reading *rd)
{
    const ess_table *t = rd->t;
    if (rd->npartial == 0 || rd->total_row == (size_t)-1)
        return ESS_OK;
    (void)figures_are_sums_above(rd, rd->total_row);   /* above_sum: every line's sums */
    for (size_t k = 0; k < rd->npartial; k++) {
        size_t p = rd->partial_rows[k];
        int any = 0, lines_hold = 1, with_hold = 1;
        for (size_t c = rd->lead + rd->nlabel; c < rd->ncols && with_hold; c++) {
            const char *printed = ess_table_cell(t, rd->total_row, c);
            int64_t stated, with, with_carry;
            if (is_blank(printed))
                continue;
            if (ess_money_parse(printed, strlen(printed), &rd->style, &stated, NULL, NULL) !=
                    ESS_OK || rd->above_known[c] != 1) {
                with_hold = 0;   /* unreadable: nothing can be said, validate() says it */
                break;
            }
            with = rd->above_sum[c];
            with_carry = rd->above_carry[c];
            if (add_row_figure(rd, p, c, &with, &with_carry) != 1) {
                with_hold = 0;
                break;
            }
            any = 1;
            lines_hold &= rd->above_carry[c] == 0 && stated == rd->above_sum[c];
            with_hold &= with_carry == 0 && stated == with;
        }
        if (any && with_hold && !lines_hold) {
            const char *label = ess_table_cell(t, p, rd->lead + rd->nlabel - 1);
            for (size_t c = 0; c < rd->lead + rd->nlabel; c++)   /* where "Total des" is */
                if (is_total_label(ess_table_cell(t, p, c)))
                    label = ess_table_cell(t, p, c);
            ESS_RETURN_NOT_OK(add_problem(
                rd->problems, t->row_line[p], label_cell_column(rd, p, label), 1,
                "'%.40s' prints the sums of the lines above it, and the Total row (line %ld) "
                "counts it as a line: read as a partial total, the Total row is wrong by its "
                "figures; read as a line, its money is counted twice (on it and on the lines "
                "it sums): if it is a partial total, correct the Total row; if it is an action "
                "line, rename it so it does not start with 'Total'",
                label, t->row_line[rd->total_row]));
            tag_problem(rd->problems, ESS_PLAN_PARTIAL_TOTAL_COUNTED, t->row_line[rd->total_row],
                        0, label);
        }
    }
    return ESS_OK;
}

/* Rows: lines, the Total row, blank rows (skipped); ragged rows are structural problems.
 * Returns ESS_ENOMEM only. */
static int read_line_rows(plan_reading *rd)
{
    const ess_table *t = rd->t;
    size_t ncols = rd->ncols, nlabel = rd->nlabel, lead = rd->lead;
    rd->total_row = (size_t)-1;
    rd->line_row = ess_calloc(t->nrows + 1, sizeof(size_t));
    rd->groups = ess_calloc(t->nrows + 1, sizeof(char *));
    rd->row_group = ess_calloc(t->nrows + 1, sizeof(int32_t));
    rd->axis_row = ess_calloc(t->nrows + 1, sizeof(size_t));
    rd->axis_first = ess_calloc(t->nrows + 1, sizeof(size_t));
    rd->axis_end = ess_calloc(t->nrows + 1, sizeof(size_t));
    rd->axis_kind = ess_calloc(t->nrows + 1, sizeof(int));
    rd->scratch_rows = ess_calloc(t->nrows + 1, sizeof(size_t));
    rd->partial_rows = ess_calloc(t->nrows + 1, sizeof(size_t));
    rd->group_of_key = ess_calloc(t->nrows + 1, sizeof(size_t));
    rd->group_line = ess_calloc(t->nrows + 1, sizeof(long));
    rd->above_sum = ess_calloc(rd->ncols + 1, sizeof(int64_t));
    rd->above_carry = ess_calloc(rd->ncols + 1, sizeof(int64_t));
    rd->above_known = ess_malloc(rd->ncols + 1);
    if (rd->above_known)
        memset(rd->above_known, 1, rd->ncols + 1);
    rd->open_axis = (size_t)-1;
    if (!rd->line_row || !rd->groups || !rd->row_group || !rd->axis_row || !rd->axis_first ||
        !rd->axis_end || !rd->axis_kind || !rd->scratch_rows || !rd->partial_rows ||
        !rd->group_of_key ||
        !rd->group_line || !rd->above_sum || !rd->above_carry || !rd->above_known)
        return ESS_ENOMEM;
    if ((rd->notes = ess_calloc(1, sizeof *rd->notes)) == NULL ||
        (rd->cut_sum = ess_calloc(rd->ncols + 1, sizeof(int64_t))) == NULL ||
        (rd->cut_carry = ess_calloc(rd->ncols + 1, sizeof(int64_t))) == NULL ||
        (rd->cut_known = ess_calloc(rd->ncols + 1, 1)) == NULL)
        return ESS_ENOMEM;
    rd->text_tail = text_tail(rd);
    int32_t current_group = -1;
    int heading = HEADING_NONE, outer;
    for (size_t r = rd->first_row; r < t->nrows; r++) {
        size_t n = ess_table_row_len(t, r);
        int blank = 1;
        for (size_t c = 0; c < n && blank; c++)
            blank = is_blank(ess_table_cell(t, r, c));
        if (blank)
            continue;
        if (repeats_header(rd, r) && r + 1 < t->nrows && repeats_units_row(rd, r + 1)) {
            /* and its units line under it, as an export prints both on each page: both
             * passed over, said once (choose_style refused one saying another unit) */
            ESS_RETURN_NOT_OK(add_problem(
                rd->problems, t->row_line[r], 1, 0,
                "the header and its units line are printed again on lines %ld and %ld (a page "
                "break?): passed over, not lines of the plan", t->row_line[r],
                t->row_line[r + 1]));
            tag_problem(rd->problems, ESS_PLAN_HEADER_UNITS_REPEATED, t->row_line[r],
                        t->row_line[r + 1], ess_table_cell(t, rd->header, 0));
            r++;
            continue;
        }
        if (repeats_header(rd, r)) {
            /* a PDF pasted into Excel prints the header again on each page: no line of the
             * plan, passed over -- said, for the reader to know the row was not read */
            ESS_RETURN_NOT_OK(add_problem(
                rd->problems, t->row_line[r], 1, 0,
                "the header is printed again on line %ld (a page break?): passed over, not a "
                "line of the plan", t->row_line[r]));
            tag_problem(rd->problems, ESS_PLAN_HEADER_REPEATED, rd->header_line, t->row_line[r],
                        ess_table_cell(t, rd->header, 0));
            continue;
        }
        if (referenced_note(rd, r))
            continue;   /* "(1) montant à confirmer;;;" whose mark a cell carries: a note,
                         * not a line of blank cells (with no Total row above it) */
        if (rd->total_row == (size_t)-1 && unreferenced_note(rd, r)) {
            /* the same note whose mark no cell carries, under the last line: read as an
             * action line of blank cells, by its shape a note -- kept out, said */
            const char *first = ess_table_cell(t, r, 0);
            while (*first == ' ')
                first++;
            if (labelled_note(rd, first, note_mark(first)))
                continue;   /* "DLA (1);8;3" carries it: said nothing of, as referenced_note */
            ESS_RETURN_NOT_OK(add_problem(
                rd->problems, t->row_line[r], 1, 0,
                "'%.60s' under the last line reads as a note (a note's mark, text alone), not "
                "as an action line; no cell carries its mark '%.*s': put the mark after the "
                "amount or the label it annotates, or if it is an action line, write 0 in its "
                "cells", first, (int)note_mark(first), first));
            char mark[64];
            snprintf(mark, sizeof mark, "%.*s", (int)note_mark(first), first);
            tag_problem2(rd->problems, ESS_PLAN_NOTE_ROW, 0, 0, first, mark, 0);
            continue;
        }
        if (rd->total_row != (size_t)-1) {
            /* under the Total row, a line of text in its first cell alone is a note ("Source :
             * Région;;;;" as Excel pads it), not a line with amounts and no label */
            int note = 1;
            for (size_t c = 1; c < n && note; c++)
                note = is_blank(ess_table_cell(t, r, c));
            if (note)
                continue;
        }
        if (t->delimiter == ',' && rd->style.decimal_mark == ',' && n > ncols &&
            n != ess_table_row_len(t, rd->header)) {
            /* "L1,1,5,," -- 1,5 unquoted -- had its blank tail cut to the header's width and
             * read as CR 1, CG 5.  A longer row than the header's (Excel pads every row alike)
             * in a ',' file of French amounts is a decimal comma that split a cell */
            ESS_RETURN_NOT_OK(add_problem(
                rd->problems, t->row_line[r], t->cell_column[t->row_first[r] + ncols], 1,
                "this row has %zu cells where the header has %zu: with ',' between cells, a "
                "French amount's decimal comma ('1,5') cuts it in two; put the amounts in quotes "
                "(\"1,5\") or separate the cells with ';'", n, ess_table_row_len(t, rd->header)));
            tag_problem(rd->problems, ESS_PLAN_ROW_WIDTH_COMMA, (long)n,
                        (long)ess_table_row_len(t, rd->header), NULL);
            continue;
        }
        size_t width = n;
        while (width > ncols && is_blank(ess_table_cell(t, r, width - 1)))
            width--;
        if (width != ncols) {
            long col = width > ncols ? t->cell_column[t->row_first[r] + ncols]
                                     : t->cell_column[t->row_first[r] + n - 1];
            ESS_RETURN_NOT_OK(add_problem(rd->problems, t->row_line[r], col, 1,
                                          "this row has %zu cell%s where the header has %zu",
                                          width, width == 1 ? "" : "s", ncols));
            tag_problem(rd->problems, ESS_PLAN_ROW_WIDTH, (long)width, (long)ncols, NULL);
            continue;
        }
        const char *g = nlabel == 2 ? ess_table_cell(t, r, lead) : NULL;
        const char *l = ess_table_cell(t, r, lead + nlabel - 1);
        if (r == rd->first_row && is_blank(l) && is_blank(g)) {
            /* ";;CR;CG;" under "Axe;Action;Financeurs;;Total": a header over two rows, as
             * Excel exports merged cells (the text once, then blanks).  Said as such, rather
             * than as a line with no label and a 'CR' that is no amount */
            size_t texts = 0, amounts = 0;
            for (size_t c = lead + nlabel; c < width; c++) {
                const char *cell = ess_table_cell(t, r, c);
                int64_t cents;
                if (is_blank(cell))
                    continue;
                if (ess_money_parse(cell, strlen(cell), &rd->style, &cents, NULL, NULL) == ESS_OK)
                    amounts++;
                else
                    texts++;
            }
            if (texts > 0 && amounts == 0) {
                ESS_RETURN_NOT_OK(add_problem(
                    rd->problems, t->row_line[r], 1, 1,
                    "the header takes two rows (lines %ld and %ld), as Excel exports merged "
                    "cells: write every column's name (the funders, Total) in one header row",
                    rd->header_line, t->row_line[r]));
                tag_problem(rd->problems, ESS_PLAN_HEADER_TWO_ROWS, rd->header_line,
                            t->row_line[r], NULL);
                continue;
            }
        }
        /* "Total;;524;72" under "N°;Action;...": the Total row's label printed from the
         * first cell on, in the numbering column */
        const char *number = lead ? ess_table_cell(t, r, 0) : NULL;
        const char *said;
        if ((said = first_that(is_detail_label, l, g, number)) != NULL) {
            ESS_RETURN_NOT_OK(add_problem(
                rd->problems, t->row_line[r], 1, 1,
                "a 'dont' line ('%.60s'): it details the line above, whose amounts already "
                "include it; read as a line it would be counted twice in every total: remove it "
                "(or make it a line of its own and take its amounts out of the line above)",
                said));
            tag_problem(rd->problems, ESS_PLAN_DETAIL_ROW, 0, 0, said);
            continue;
        }
        if ((said = first_that(is_subtotal_label, l, g, number)) != NULL) {
            ESS_RETURN_NOT_OK(add_problem(
                rd->problems, t->row_line[r], 1, 1,
                "a sub-total row ('%.60s'): a plan holds action lines and one Total row; "
                "remove the sub-total rows (essconv sums the axes itself)",
                said));
            tag_problem(rd->problems, ESS_PLAN_SUBTOTAL_ROW, 0, 0, said);
            continue;
        }
        long later = 0;
        int partial = 0;
        if ((said = first_that(is_total_label, l, g, number)) != NULL &&
            rd->total_row == (size_t)-1 && !is_bare_total_label(said) &&
            lines_after_total(rd, r, &later) &&
            (partial = partial_total(rd, r)) != 0) {
            /* "Total des actions de formation;10;3" whose figures are the sums of the lines
             * above (all of them, or those since the last such row), lines under it: taken
             * for the Total row, the lines under it were reported against it (or a second
             * Total row refused with no word of this one); read as a line, its money was
             * counted twice.  With a Total row further down, it is a partial total: checked
             * here, never added, and that Total row checks every line.  With none, it is the
             * plan's Total row misplaced or a partial total with no Total row: both said */
            if (later == 0) {
                ESS_RETURN_NOT_OK(add_problem(
                    rd->problems, t->row_line[r], label_cell_column(rd, r, said), 1,
                    "'%.40s' prints the sums of the lines above it and lines follow it, with no "
                    "Total row under them: read as the plan's Total row, the lines under it "
                    "are outside it; read as a partial total, nothing checks them: if it is "
                    "the Total row, move those lines above it; if it is a partial total, print "
                    "the plan's Total row under the last line (or remove this row)",
                    said));
                tag_problem(rd->problems, ESS_PLAN_PARTIAL_TOTAL_LAST, 0, 0, said);
                continue;
            }
            if (rd->open_axis != (size_t)-1 && rd->axis_kind[rd->open_axis] != HEADING_NONE)
                rd->open_axis = (size_t)-1;   /* as subtotal_heading summed its block */
            rd->partial_from = rd->nlines;
            rd->partial_rows[rd->npartial++] = r;
            continue;
        }
        if (said != NULL && rd->total_row == (size_t)-1 && !is_bare_total_label(said) &&
            lines_after_total(rd, r, &later)) {
            /* "Total des actions de formation;12;5" with lines under it, its figures not the
             * sums of the lines above: no Total row of the plan, which ends its lines.  Taken
             * for one, validate() said the plan's total was wrong, against lines it did not
             * cover.  With a Total row further down, it is an action line, which that Total
             * row checks (a wrong partial total read so is still reported, as a wrong total).
             * With none, nothing would check it as a line, and as the Total it misleads: it is
             * refused, saying both readings.  "Total" alone is never an action's name: it
             * stays the Total row, and lines under it are reported against it */
            if (later == 0) {
                ESS_RETURN_NOT_OK(add_problem(
                    rd->problems, t->row_line[r], label_cell_column(rd, r, said), 1,
                    "lines follow this row read as the Total row, whose figures are not the "
                    "sums of the lines above: if '%.40s' is an action line, rename it so it "
                    "does not start with 'Total' (or print a Total row under the last line); if "
                    "it is the Total row, move those lines above it",
                    said));
                tag_problem(rd->problems, ESS_PLAN_TOTAL_MISPLACED, 0, 0, said);
                continue;
            }
            if (rd->open_axis != (size_t)-1 && rd->axis_kind[rd->open_axis] != HEADING_NONE)
                rd->open_axis = (size_t)-1;   /* as subtotal_heading summed its block */
        } else if (said != NULL) {
            rd->open_axis = (size_t)-1;   /* an axis row's lines end at the Total row */
            if (rd->total_row != (size_t)-1) {
                ESS_RETURN_NOT_OK(add_problem(rd->problems, t->row_line[r], 1, 1,
                                              "a second Total row (line %ld)", t->row_line[r]));
                tag_problem(rd->problems, ESS_PLAN_SECOND_TOTAL_ROW, t->row_line[r], 0, NULL);
                continue;
            }
            rd->total_row = r;
            continue;
        }
        const char *axis = axis_row_label(rd, r);
        if (axis != NULL) {
            /* an axis printed on a row of its own ("Axe 1 : Structurer;;"): the axis of the
             * lines under it, not a line.  Read as a line, by_axis() was {} and the axis a
             * line of blank cells; with its sub-totals printed on it, a line counted twice */
            rd->open_axis = (size_t)-1;
            ESS_RETURN_NOT_OK(enter_group(rd, r, axis, &current_group));
            rd->group_kind = HEADING_NONE;
            rd->group_since = rd->nlines;
            if (!row_has_figures(rd, r, width))
                continue;
            if (lines_follow(rd, r)) {
                /* its figures are its lines' sub-totals: checked (check_axis_rows), never
                 * added */
                rd->axis_kind[rd->naxis_rows] = HEADING_NONE;
                rd->axis_row[rd->naxis_rows] = r;
                rd->axis_first[rd->naxis_rows] = rd->nlines;
                rd->open_axis = rd->naxis_rows++;
                continue;
            }
            if (is_blank(l)) {   /* "Axe 1;;210;10" in a group column, no line under it */
                ESS_RETURN_NOT_OK(add_problem(
                    rd->problems, t->row_line[r], 1, 1,
                    "this row has amounts but no line label, and no line under it: if '%.60s' "
                    "is an action line, write its name in the line column",
                    axis));
                tag_problem(rd->problems, ESS_PLAN_NO_LABEL_NO_LINE, 0, 0, axis);
                continue;
            }
            /* no line under it: the axis is its own one line, under its own axis */
        } else if (blank_heading(rd, r) &&
                   (row_heading_kind(rd, r) != HEADING_CAPITALS ||
                    (heading = capitals_heading(rd, r, current_group)) != 0)) {
            /* a heading numbered otherwise than "Axe 1" ("I. Structurer;;", "A) Former;;",
             * "AXE STRATÉGIQUE : ...", capitals), no figure on it, lines under it: their axis.
             * Read as a line of blank cells, by_axis() missed it.  It ends the block of a
             * heading of its own kind above it (a sibling), not of an outer one.  A row in
             * capitals the table does not show to be a heading is a line planned at 0
             * (capitals_heading); one it shows neither way is refused, both readings said:
             * taken for a heading, the lines under it left their axis silently */
            int kind = row_heading_kind(rd, r);
            if (kind == HEADING_CAPITALS && heading < 0) {
                size_t next = next_content_row(rd, r);
                const char *under = current_group >= 0 ? rd->groups[current_group] : NULL;
                ESS_RETURN_NOT_OK(add_problem(
                    rd->problems, t->row_line[r], label_cell_column(rd, r, l), 1,
                    "'%.50s', in capitals with no amount above lines (line %ld on), reads as their "
                    "heading (their axis%s%.30s%s) or as an action line planned at 0: the table "
                    "does not tell; number a heading ('I. ...') or write 0 in an action line's "
                    "cells",
                    l, t->row_line[next], under ? " instead of '" : "", under ? under : "",
                    under ? "'" : ""));
                tag_problem2(rd->problems, ESS_PLAN_CAPITALS_UNDECIDED, t->row_line[next], 0, l,
                             under, 0);
                continue;
            }
            if (rd->open_axis != (size_t)-1 && rd->axis_kind[rd->open_axis] == kind)
                rd->open_axis = (size_t)-1;
            ESS_RETURN_NOT_OK(enter_group(rd, r, l, &current_group));
            rd->group_kind = kind;
            rd->group_since = rd->nlines;
            continue;
        } else if ((outer = outer_heading(rd, r, rd->scratch_rows)) != 0) {
            if (outer < 0) {
                ESS_RETURN_NOT_OK(add_problem(
                    rd->problems, t->row_line[r], label_cell_column(rd, r, l), 1,
                    "'%.60s' has figures and a heading printing sub-totals under it: read as a "
                    "heading over those headings, its figures are not the sums of the lines "
                    "under it (nor of the headings' sub-totals); read as an action line, its "
                    "money is counted on top of theirs: if it is a heading, correct its figures "
                    "or leave its cells blank; if it is an action line, move it under the last "
                    "line of its axis", l));
                tag_problem(rd->problems, ESS_PLAN_OUTER_HEADING, 0, 0, l);
                continue;
            }
            /* checked here, never added: the inner headings are the lines' axes, and the
             * next heading of its kind ends their blocks (subtotal_heading) */
            rd->outer_kind = row_heading_kind(rd, r);
            rd->open_axis = (size_t)-1;
            continue;
        } else if ((heading = subtotal_heading(rd, r, rd->scratch_rows)) != HEADING_NONE) {
            /* such a heading printing its lines' sub-totals ("I. Structurer;210;20"): read
             * as a line, every axis counted twice.  Checked again (check_axis_rows) on the
             * block the reading gives, never added */
            ESS_RETURN_NOT_OK(enter_group(rd, r, l, &current_group));
            rd->group_kind = heading;
            rd->group_since = rd->nlines;
            rd->subtotal_kind = heading;
            rd->axis_kind[rd->naxis_rows] = heading;
            rd->axis_row[rd->naxis_rows] = r;
            rd->axis_first[rd->naxis_rows] = rd->nlines;
            rd->open_axis = rd->naxis_rows++;
            continue;
        } else if (nlabel == 2 && !is_blank(g)) {
            rd->open_axis = (size_t)-1;
            ESS_RETURN_NOT_OK(enter_group(rd, r, g, &current_group));
            rd->group_kind = HEADING_NONE;
            rd->group_since = rd->nlines;
        }
        if (is_blank(l)) {
            ESS_RETURN_NOT_OK(add_problem(rd->problems, t->row_line[r], 1, 1,
                                          "this row has amounts but no line label"));
            tag_problem(rd->problems, ESS_PLAN_NO_LABEL, 0, 0, NULL);
        }
        if (rd->open_axis != (size_t)-1 && rd->axis_kind[rd->open_axis] != HEADING_NONE &&
            rd->axis_kind[rd->open_axis] == row_heading_kind(rd, r) && !in_capitals_block(rd, r))
            rd->open_axis = (size_t)-1;   /* a sibling of the heading read as a line ends the
                                           * block its sub-totals cover, as subtotal_heading
                                           * summed it */
        if (rd->open_axis != (size_t)-1)
            rd->axis_end[rd->open_axis] = rd->nlines + 1;
        if (!is_blank(l)) {
            const char *label = l;
            while (*label == ' ')
                label++;
            rd->marked_lines |= note_mark(label) > 0;
        }
        rd->row_group[rd->nlines] = current_group;
        rd->line_row[rd->nlines++] = r;
    }
    return check_partial_totals(rd);
}

/* Keeps the sub-total printed at row r, column c (stated cents) of the axis row k for
 * validation: its lines, its axis, its funder (or the Total column).  0 when kept, 1 when the
 * column is no funder's nor the Total's, ESS_ENOMEM. */
static int keep_subtotal(plan_reading *rd, size_t k, size_t r, size_t c, int64_t stated)
{
    int32_t funder = c == rd->total_col ? ESS_AT_TOTAL : -1;
    for (size_t j = 0; j < rd->nfunders && funder == -1; j++)
        if (rd->funder_col[j] == c)
            funder = (int32_t)j;
    if (funder == -1 || rd->row_group[rd->axis_first[k]] < 0)
        return 1;
    if (rd->nsubtotals == rd->capsubtotals) {
        size_t cap = rd->capsubtotals ? rd->capsubtotals * 2 : 8;
        ess_plan_subtotal *items = ess_realloc(rd->subtotals, cap * sizeof *items);
        if (items == NULL)
            return ESS_ENOMEM;
        rd->subtotals = items;
        rd->capsubtotals = cap;
    }
    const char *printed = ess_table_cell(rd->t, r, c);
    size_t at = rd->t->row_first[r] + c;
    ess_plan_subtotal *u = &rd->subtotals[rd->nsubtotals];
    memset(u, 0, sizeof *u);
    u->first = rd->axis_first[k];
    u->end = rd->axis_end[k];
    u->group = rd->row_group[rd->axis_first[k]];
    u->funder = funder;
    u->stated.cents = stated;
    u->stated.state = ESS_CELL_VALUE;
    u->stated.line = rd->t->cell_line[at];
    u->stated.column = rd->t->cell_column[at];
    if ((u->stated.raw = ess_strndup(printed, strlen(printed))) == NULL)
        return ESS_ENOMEM;
    rd->nsubtotals++;
    return 0;
}

/* The unreadable sub-total at row r, column c of the axis row of axis: a cell-level problem
 * with its place, worded as a line's unreadable cell (ESS_PLAN_BAD_AMOUNT).  Returns ESS_ENOMEM
 * only. */
static int bad_subtotal_cell(plan_reading *rd, size_t r, size_t c, const char *axis)
{
    const ess_table *t = rd->t;
    size_t at = t->row_first[r] + c;
    const char *printed = ess_table_cell(t, r, c);
    const char *column = c == rd->total_col ? "Total" : ess_table_cell(t, rd->header, c);
    ess_error e;
    ess_error_clear(&e);
    int64_t cents;
    ess_money_parse(printed, strlen(printed), &rd->style, &cents, NULL, &e);
    char where[200], place[200], raw[128];
    snprintf(where, sizeof where, "%.80s\x1f%.80s", axis, column);
    snprintf(raw, sizeof raw, "%s", printed);
    size_t n = strlen(raw), b = 0;
    while (n > 0 && raw[n - 1] == ' ')
        raw[--n] = '\0';
    while (raw[b] == ' ')
        b++;
    if (add_problem(rd->problems, t->cell_line[at], t->cell_column[at], 0, "%s: %s",
                    english_where(where, place, sizeof place), e.message) != ESS_OK)
        return ESS_ENOMEM;
    tag_problem2(rd->problems, ESS_PLAN_BAD_AMOUNT, e.detail, e.detail_n, raw + b, where,
                 e.column);
    return ESS_OK;
}

/* An axis row's figures are its lines' sub-totals: each printed figure must be the sum of the
 * lines under it (to the next axis row or the Total row) in its column.  Agreeing, they are
 * passed over (the lines hold the amounts).  On an axis row named so ("Axe 1 : Structurer")
 * in a table with a Total row, the structure is clear whatever the figures say: each readable
 * sub-total is kept in the plan (keep_subtotal) and validation checks it with the other totals,
 * so a typo in a line is a finding whose reconciliation names the cell, not a plan that will
 * not load.  Otherwise (a heading "I. Structurer" read by its sums, no Total row) a
 * difference, or an unreadable figure, is a structural problem naming the cell and both
 * figures: dropping them unchecked would hide a wrong line.  A column where a line's cell is
 * unreadable is not checked here: that cell is reported already.  Returns ESS_ENOMEM only. */
static int check_axis_rows(plan_reading *rd)
{
    const ess_table *t = rd->t;
    for (size_t k = 0; k < rd->naxis_rows; k++) {
        size_t r = rd->axis_row[k];
        if (rd->axis_end[k] <= rd->axis_first[k])
            continue;   /* the row under it was refused (ragged...): the read fails already */
        for (size_t c = rd->lead + rd->nlabel; c < rd->ncols; c++) {
            const char *printed = ess_table_cell(t, r, c);
            if (is_blank(printed))
                continue;
            int64_t stated = 0, sum = 0, carry = 0;
            int readable = ess_money_parse(printed, strlen(printed), &rd->style, &stated, NULL,
                                           NULL) == ESS_OK;
            /* the lines' exact sum (add_row_figure): each partial checked, lines [max, max,
             * -max] were 'more than int64 cents' and the plan refused, where [max, -max, max]
             * gave the sum; only the sum itself past int64 cents is */
            int known = 1;
            for (size_t i = rd->axis_first[k]; i < rd->axis_end[k] && known; i++)
                known = add_row_figure(rd, rd->line_row[i], c, &sum, &carry) == 1;
            int fits = carry == 0;
            const char *axis = axis_row_label(rd, r);
            if (axis != NULL && !readable && rd->total_row != (size_t)-1) {
                /* "Axe 1 : Structurer;1 5O" above lines, a Total row below: an unreadable
                 * sub-total is one bad cell (the plan loads and lists it, as a line's), never
                 * checked; the axis row's other figures and the Total row still are */
                ESS_RETURN_NOT_OK(bad_subtotal_cell(rd, r, c, axis));
                continue;
            }
            if (axis != NULL && readable && rd->total_row != (size_t)-1) {
                int kept = keep_subtotal(rd, k, r, c, stated);
                if (kept == ESS_ENOMEM)
                    return ESS_ENOMEM;
                if (kept == 0)
                    continue;
            }
            if (!known || (readable && fits && sum == stated))
                continue;
            size_t at = t->row_first[r] + c;
            int heading = axis == NULL;
            if (heading)   /* a heading "I. Structurer" (heading_kind) */
                axis = ess_table_cell(t, r, rd->lead + rd->nlabel - 1);
            const char *column = c == rd->total_col ? "Total"
                                                    : ess_table_cell(t, rd->header, c);
            /* the sum of the lines the French way for the tag the French wording reads
             * ("1 500,25"), the English way in the English message ("1,500.25"): an English
             * reader took "1 500,25" for two numbers */
            char lines_sum[64], lines_sum_en[64], span[64];
            int shown = ess_money_shown_decimals(sum, rd->style.unit);
            ess_money_format(sum, rd->style.unit, " ", ',', shown, lines_sum, sizeof lines_sum);
            ess_money_format(sum, rd->style.unit, ",", '.', shown, lines_sum_en,
                             sizeof lines_sum_en);
            if (!fits) {
                /* past int64 cents on its side, as every sum past it is said: lines [-max,
                 * -max] were 'more than int64 cents', a huge negative sum read as a huge
                 * positive one (and in the C type's name); the French tag carries the side */
                const char *limit = ess_int64_limit_said(carry < 0 ? ESS_BELOW_INT64
                                                                   : ESS_ABOVE_INT64);
                snprintf(lines_sum_en, sizeof lines_sum_en, "%.*s", (int)strlen(limit) - 3,
                         limit + 2);   /* " (beyond ... €)" without its parentheses */
                snprintf(lines_sum, sizeof lines_sum, "%s", carry < 0 ? "-" : "+");
            }
            long first = t->row_line[rd->line_row[rd->axis_first[k]]];
            long last = t->row_line[rd->line_row[rd->axis_end[k] - 1]];
            if (first == last)
                snprintf(span, sizeof span, "its line (line %ld) adds", first);
            else
                snprintf(span, sizeof span, "its lines (lines %ld to %ld) add", first, last);
            /* a row in capitals or numbered like a heading read with its sub-totals above it:
             * a heading whose figures are wrong, or an action line whose money counts -- both
             * readings said, never one taken silently */
            ESS_RETURN_NOT_OK(add_problem(
                rd->problems, t->cell_line[at], t->cell_column[at], 1,
                heading ? "'%.60s' prints '%.30s' under '%.40s', where %s up to %s: read as a "
                          "heading (written like the heading above it, whose figures are its "
                          "lines' sums), its figures are its lines' sub-totals and must match "
                          "them; read as an action line, its money is counted: if it is a "
                          "heading, correct the figure or the lines, or leave its cells blank; "
                          "if it is an action line, write its label otherwise than the headings"
                        : "the axis row '%.60s' prints '%.30s' under '%.40s', where %s up to "
                          "%s: an axis row's figures are read as its lines' sub-totals and must "
                          "match them; correct the figure or the lines, or leave the axis row's "
                          "cells blank",
                axis ? axis : "", printed, column, span, lines_sum_en));
            char other[128];
            snprintf(other, sizeof other, "%.30s\x1f%.40s\x1f%.50s\x1f%d", printed, column,
                     lines_sum, heading);
            tag_problem2(rd->problems, ESS_PLAN_SUBTOTAL_MISMATCH, first, last, axis ? axis : "",
                         other, heading);
        }
    }
    return ESS_OK;
}

/* The title rows, joined by spaces: where a year or a unit is often printed. */
static int fill_title(const plan_reading *rd, ess_plan *plan)
{
    const ess_table *t = rd->t;
    size_t n = 0;
    for (size_t r = 0; r < rd->header; r++)
        for (size_t c = 0; c < ess_table_row_len(t, r); c++)
            n += strlen(ess_table_cell(t, r, c)) + 1;
    if ((plan->title = ess_malloc(n + 1)) == NULL)
        return ESS_ENOMEM;
    size_t at = 0;
    for (size_t r = 0; r < rd->header; r++)
        for (size_t c = 0; c < ess_table_row_len(t, r); c++) {
            const char *cell = ess_table_cell(t, r, c);
            if (is_blank(cell))
                continue;
            if (at)
                plan->title[at++] = ' ';
            memcpy(plan->title + at, cell, strlen(cell));
            at += strlen(cell);
        }
    plan->title[at] = '\0';
    return ESS_OK;
}

/* Reads the amount at row r, column c of the table into cell; where names it in a problem. */
static int read_table_amount(const plan_reading *rd, size_t r, size_t c, ess_plan_cell *cell,
                             const char *where)
{
    size_t k = rd->t->row_first[r] + c;
    const char *text = ess_table_cell(rd->t, r, c);
    ESS_RETURN_NOT_OK(read_amount(cell, text, rd->t->cell_line[k], rd->t->cell_column[k],
                                  &rd->style, where, rd->problems));
    /* "(1)" alone in a cell, a note "(1) montant à confirmer" under the table: the note's
     * mark, read as -1 (parentheses for a negative), silently when no Total row checks it.
     * "120 (1)" is unreadable already: said to be the amount and a note's mark */
    if (cell->state == ESS_CELL_BLANK)
        return ESS_OK;
    size_t m = strlen(text), at = m;
    while (m > 0 && text[m - 1] == ' ')
        m--;
    while (at > 0 && text[at - 1] != '(')
        at--;
    size_t len = at > 0 ? note_mark(text + at - 1) : 0, note;
    if (len == 0 || at - 1 + len != m || (note = note_row(rd, text + at - 1, len)) == (size_t)-1)
        return ESS_OK;
    int alone = 1;
    for (size_t b = 0; b + 1 < at; b++)
        alone &= text[b] == ' ';
    if (cell->state == ESS_CELL_VALUE && !alone)
        return ESS_OK;
    cell->state = ESS_CELL_MALFORMED;
    cell->cents = 0;
    if (!alone && rd->problems && rd->problems->count)
        rd->problems->count--;   /* the reader's "')' closes nothing": this says it better */
    char place[200];
    int rc = add_problem(rd->problems, cell->line, cell->column, 0,
                         "%s: '%.*s' %s the mark of the note on line %ld%s: write the amount "
                         "alone in the cell (or leave it blank) and the mark in the line's "
                         "label", english_where(where, place, sizeof place), (int)m, text,
                         alone ? "is" : "ends with", rd->t->row_line[note],
                         alone ? ", not an amount (read as a negative in parentheses, it "
                                 "counted)"
                               : "");
    if (rc == ESS_OK) {
        char said[128];
        snprintf(said, sizeof said, "%.*s", (int)m, text);
        tag_problem2(rd->problems, ESS_PLAN_NOTE_MARK_CELL, rd->t->row_line[note], alone, said,
                     where, 0);
    }
    return rc;
}

/* The amounts of line i: its cells, then its stated total.  Returns ESS_ENOMEM only. */
static int read_line_amounts(const plan_reading *rd, ess_plan *plan, size_t i)
{
    size_t r = rd->line_row[i], nfunders = rd->nfunders;
    char where[200];
    for (size_t j = 0; j < nfunders; j++) {
        snprintf(where, sizeof where, "%.60s\x1f%.40s", plan->line_labels[i],
                 plan->funder_labels[j]);
        ESS_RETURN_NOT_OK(read_table_amount(rd, r, rd->funder_col[j],
                                            &plan->cells[i * nfunders + j], where));
    }
    if (rd->total_col != (size_t)-1) {
        snprintf(where, sizeof where, "%.60s\x1fTotal", plan->line_labels[i]);
        ESS_RETURN_NOT_OK(read_table_amount(rd, r, rd->total_col, &plan->line_totals[i], where));
    }
    return ESS_OK;
}

/* The lines in table order, each its label then its amounts (problems come in the order of the
 * file); a line named twice in its group, exactly or differing only in case, spaces or accents
 * ("Formation" and "formation": one line typed twice, which by_line() and the pivot would
 * split), is a structural problem: (group, label_key) keys through a dictionary, so the check
 * stays linear. */
static int fill_lines(const plan_reading *rd, ess_plan *plan)
{
    const ess_table *t = rd->t;
    int rc = ESS_ENOMEM;
    ess_dict lines_seen;          /* (group, line) keys */
    memset(&lines_seen, 0, sizeof lines_seen);
    size_t *line_of_key = ess_calloc(rd->nlines + 1, sizeof(size_t));   /* line of each key */
    char *key = NULL;
    if (line_of_key == NULL)
        goto done;
    for (size_t i = 0; i < rd->nlines; i++) {
        size_t r = rd->line_row[i];
        const char *label = ess_table_cell(t, r, rd->lead + rd->nlabel - 1);
        if ((plan->line_labels[i] = label_copy(label)) == NULL)
            goto done;
        plan->line_group[i] = rd->row_group[i];
        char *folded = label_key(plan->line_labels[i]);
        if (folded == NULL)
            goto done;
        size_t n = strlen(folded);
        if ((key = ess_malloc(n + 16)) == NULL) {
            ess_free(folded);
            goto done;
        }
        int klen = snprintf(key, 16, "%d\x1f", (int)plan->line_group[i]);
        memcpy(key + klen, folded, n);
        ess_free(folded);
        size_t before = lines_seen.count;
        int32_t code = ess_dict_intern(&lines_seen, key, (size_t)klen + n);
        ess_free(key);
        key = NULL;
        if (code < 0)
            goto done;
        if ((size_t)code < before) {
            size_t first = line_of_key[code];
            long first_line = t->row_line[rd->line_row[first]];
            long col = t->cell_column[t->row_first[r] + rd->lead + rd->nlabel - 1];
            int same = strcmp(plan->line_labels[first], plan->line_labels[i]) == 0;
            if (same) {
                if (add_problem(rd->problems, t->row_line[r], col, 1,
                                "the line '%.60s' appears twice in its group (lines %ld and %ld)",
                                plan->line_labels[i], first_line, t->row_line[r]))
                    goto done;
                char said[61];
                snprintf(said, sizeof said, "%.60s", plan->line_labels[i]);
                tag_problem(rd->problems, ESS_PLAN_LINE_TWICE, first_line, t->row_line[r], said);
            }
            if (!same && add_problem(rd->problems, t->row_line[r], col, 1,
                                     "the lines '%.40s' (line %ld) and '%.40s' (line %ld) differ "
                                     "only in case, spaces or accents: surely one line typed "
                                     "twice, which by_line() and the pivot would split; merge "
                                     "the two rows under one name (or name two lines apart)",
                                     plan->line_labels[first], first_line, plan->line_labels[i],
                                     t->row_line[r]))
                goto done;
            if (!same)
                tag_problem2(rd->problems, ESS_PLAN_LINE_SIMILAR, first_line, t->row_line[r],
                             plan->line_labels[first], plan->line_labels[i], 0);
        } else {
            line_of_key[code] = i;
        }
        if (read_line_amounts(rd, plan, i) != ESS_OK)
            goto done;
    }
    rc = ESS_OK;
done:
    ess_free(key);
    ess_free(line_of_key);
    ess_dict_clear(&lines_seen);
    return rc;
}

/* The Total row: the funders' stated totals and the grand total.  Returns ESS_ENOMEM only. */
static int read_total_row(const plan_reading *rd, ess_plan *plan)
{
    char where[200];
    if (rd->total_row != (size_t)-1) {
        for (size_t j = 0; j < rd->nfunders; j++) {
            snprintf(where, sizeof where, "Total\x1f%.40s", plan->funder_labels[j]);
            ESS_RETURN_NOT_OK(read_table_amount(rd, rd->total_row, rd->funder_col[j],
                                                &plan->funder_totals[j], where));
        }
        if (rd->total_col != (size_t)-1)
            ESS_RETURN_NOT_OK(read_table_amount(rd, rd->total_row, rd->total_col,
                                                &plan->grand_total, "Total\x1fTotal"));
    }
    return ESS_OK;
}

/* The plan the reading describes: labels, title, amounts.  Returns ESS_ENOMEM only; the plan
 * is freed by the caller whatever happens. */
static int fill_plan(plan_reading *rd, ess_plan *plan)
{
    const ess_table *t = rd->t;
    plan->unit = rd->style.unit;
    plan->decimal_mark = rd->style.decimal_mark;
    plan->money_flags = rd->style.flags;
    plan->has_total_column = rd->total_col != (size_t)-1;
    plan->has_total_row = rd->total_row != (size_t)-1;
    if ((plan->corner = trimmed_copy(ess_table_cell(t, rd->header, 0))) == NULL)
        return ESS_ENOMEM;
    ESS_RETURN_NOT_OK(fill_title(rd, plan));
    for (size_t g = 0; g < rd->ngroups; g++) {
        plan->group_labels[g] = rd->groups[g];
        rd->groups[g] = NULL;
    }
    for (size_t j = 0; j < rd->nfunders; j++)
        if ((plan->funder_labels[j] = funder_name_copy(ess_table_cell(t, rd->header,
                                                                      rd->funder_col[j]))) ==
            NULL)
            return ESS_ENOMEM;
    /* each funder's header cell: a finding about the whole column (a funder no party bears)
     * is placed there, as a cell's finding is at its cell */
    if (rd->nfunders) {
        if ((plan->funder_places = ess_calloc(2 * rd->nfunders, sizeof(long))) == NULL)
            return ESS_ENOMEM;
        for (size_t j = 0; j < rd->nfunders; j++) {
            plan->funder_places[2 * j] = rd->header_line;
            plan->funder_places[2 * j + 1] =
                t->cell_column[t->row_first[rd->header] + rd->funder_col[j]];
        }
    }
    ESS_RETURN_NOT_OK(fill_lines(rd, plan));
    plan->subtotals = rd->subtotals;   /* moved: the reading no longer frees them */
    plan->nsubtotals = rd->nsubtotals;
    rd->subtotals = NULL;
    rd->nsubtotals = rd->capsubtotals = 0;
    return read_total_row(rd, plan);
}

size_t ess_plan_table_drop_margin(ess_table *t)
{
    /* the table's corner is its first filled column: read from column 0, a blank margin made
     * the corner "" and the unit cell ("en k\u20ac") a funder's header */
    size_t margin = (size_t)-1;
    for (size_t r = 0; r < t->nrows; r++) {
        size_t n = ess_table_row_len(t, r), filled = 0, first = 0;
        for (size_t c = 0; c < n && filled < 2; c++)
            if (!is_blank(ess_table_cell(t, r, c)) && filled++ == 0)
                first = c;
        if (filled >= 2 && first < margin)
            margin = first;
    }
    if (margin == (size_t)-1 || margin == 0)
        return 0;   /* no row of the table, or one holding something in the first column */
    size_t w = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        size_t from = t->row_first[r], to = t->row_first[r + 1];
        t->row_first[r] = w;
        for (size_t k = from; k < to; k++) {
            if (k - from < margin && is_blank(t->strings + t->cell_offset[k]))
                continue;   /* a margin's blank cell; anything printed there stays */
            t->cell_offset[w] = t->cell_offset[k];
            t->cell_line[w] = t->cell_line[k];
            t->cell_column[w] = t->cell_column[k];
            w++;
        }
    }
    t->ncells = w;
    t->row_first[t->nrows] = w;
    return margin;
}

/* The steps in order; the one exit frees the reading and, on failure, the plan. */
long ess_plan_header(const ess_table *t)
{
    plan_reading rd = {.t = t, .title_unit = ESS_UNIT_NONE, .given_header = (size_t)-1};
    return find_header(&rd, NULL) == ESS_OK ? (long)rd.header : -1;
}

int ess_plan_from_table(const ess_table *t, const ess_money_style *given, ess_plan **out,
                        ess_problems *problems, ess_error *err)
{
    return ess_plan_from_table_at(t, given, (size_t)-1, out, problems, err);
}

int ess_plan_from_table_at(const ess_table *t, const ess_money_style *given, size_t header,
                           ess_plan **out, ess_problems *problems, ess_error *err)
{
    plan_reading rd = {.t = t, .problems = problems, .title_unit = ESS_UNIT_NONE,
                       .capitals_headings = -1, .given_header = header};
    ess_plan *plan = NULL;
    int rc;
    *out = NULL;
    if ((rc = find_header(&rd, err)) != ESS_OK)
        goto fail;
    if ((rc = choose_style(&rd, given, err)) != ESS_OK)
        goto fail;
    count_label_columns(&rd);
    if (!(given && given->decimal_mark) && settle_decimal_point(&rd) != ESS_OK)
        goto nomem;
    if (read_funder_columns(&rd) != ESS_OK || read_line_rows(&rd) != ESS_OK ||
        check_axis_rows(&rd) != ESS_OK)
        goto nomem;
    if ((plan = plan_alloc(rd.nlines, rd.nfunders, rd.ngroups)) == NULL ||
        fill_plan(&rd, plan) != ESS_OK)
        goto nomem;

    /* a break (an unclosed quote) ends the rows read: it is the last problem of the file, and
     * with no list to hold it, the one error */
    if (t->broken.status != ESS_OK && problems == NULL) {
        if (err)
            *err = t->broken;
        rc = t->broken.status;
        goto fail;
    }
    if (t->broken.status != ESS_OK &&
        add_problem(problems, t->broken.line, t->broken.column, 1, "%s", t->broken.message))
        goto nomem;
    int structural = 0;
    for (size_t k = 0; problems && k < problems->count; k++)
        structural += problems->items[k].structural;
    if (structural) {
        rc = ess_error_set(err, ESS_EFORMAT, problems->items[0].line, problems->items[0].column,
                           "the table is broken in structure (%d problem%s)", structural,
                           structural > 1 ? "s" : "");
        goto fail;
    }
    if (rd.nfunders == 0) {
        rc = ess_error_set(err, ESS_EFORMAT, rd.header_line, 1,
                           "the header names no funder column");
        goto fail;
    }
    if (rd.unit_assumed_euros) {
        /* a warning of a plan that loads, at the header's first cell: a table refused lists
         * what breaks it, and only that */
        if (add_problem(problems, rd.header_line, t->cell_column[t->row_first[rd.header]], 0,
                        "the table prints no unit (no 'k\xe2\x82\xac' or \"en milliers "
                        "d'euros\" in its header or above it) and none is given: its amounts "
                        "are read in euros; if they are in k\xe2\x82\xac or M\xe2\x82\xac, "
                        "print the unit in the header's first cell or above each funder's "
                        "column, give unit= to read_plan, or set unit in the plan's [[plans]] "
                        "entry of the convention's description") != ESS_OK)
            goto nomem;
        tag_problem(problems, ESS_PLAN_UNIT_ASSUMED_EUROS, 0, 0, "");
    }
    *out = plan;
    plan = NULL;
    goto done;

nomem:
    rc = no_memory(err);
fail:
    ess_plan_free(plan);
done:
    reading_free(&rd);
    return rc;
}
