"""How a reconciliation finding words what it found: a reversed sign said as such, every amount
with the plan's unit, in French and in English."""
import io

import essconv
from essconv.messages import NBSP, NNBSP, language


def _plan(text):
    return essconv.read_plan(io.BytesIO(text.encode("utf-8")))


def _worded(plan, code):
    f = next(f for f in plan.validate() if f.code == code)
    return f, language("fr").finding(f, plan), language("en").finding(f, plan)


# ---------------------------------------------------------------------------- a reversed sign
def test_a_stray_minus_sign_is_said_like_transposed_digits():
    """-10 where 10 reconciles every total said "holds -10; 10 € there ..." with no word of the
    sign, while transposed digits get "(digits transposed?)"."""
    plan = _plan("Action;A;B;Total\nL1;-10;20;30\nL2;5;5;10\nTotal;15;25;40\n")
    f, fr, en = _worded(plan, "cell-correction")
    assert (f.line, f.funder, f.actual, f.expected) == ("L1", "A", -10, 10)
    assert en.startswith("L1 x A holds -10") and "(stray minus sign?); 10\xa0€ there" in en, en
    assert fr.startswith("L1 × A contient -10"), fr
    assert f" (signe moins en trop{NNBSP}?){NNBSP}; 10{NBSP}€ à cet endroit" in fr, fr
    assert "(stray minus sign?)" in f.message   # the API's message, as the listing prints it


def test_a_refund_printed_without_its_minus_sign_is_said_so():
    plan = _plan("Action;A;B;Total\nL1;-5;20;15\nL2;10;5;-5\nTotal;-15;25;10\n")
    f, fr, en = _worded(plan, "cell-correction")
    assert (f.line, f.funder, f.actual, f.expected) == ("L2", "A", 10, -10)
    assert en.startswith("L2 x A holds 10") and "(minus sign lost?); -10\xa0€ there" in en, en
    assert fr.startswith("L2 × A contient 10") and f"(signe moins perdu{NNBSP}?)" in fr, fr


def test_a_total_typed_without_its_minus_sign_is_said_so():
    plan = _plan("Action;A;B;Total\nL1;-5;20;15\nL2;-10;5;-5\nTotal;15;25;10\n")
    f, fr, en = _worded(plan, "total-correction")
    assert (f.actual, f.expected) == (15, -15)
    assert "is probably mistyped for -15\xa0€ (minus sign lost?);" in en, en
    assert f"faute de frappe pour -15{NBSP}€ (signe moins perdu{NNBSP}?){NNBSP};" in fr, fr


def test_each_edit_of_a_set_says_its_sign_reversed():
    plan = _plan("Action;A;B;Total\nL1;10;20;30\nL2;5;5;10\nTotal;-5;25;20\n")
    sets = [f for f in plan.validate() if f.code == "correction-set"]
    flipped = [(f, e) for f in sets for e in f.corrections
               if e.actual is not None and e.expected == -e.actual]
    assert flipped, [f.message for f in sets]
    for f, e in flipped:
        en, fr = language("en").finding(f, plan), language("fr").finding(f, plan)
        word_en = "minus sign lost?" if e.actual > 0 else "stray minus sign?"
        word_fr = "signe moins perdu" if e.actual > 0 else "signe moins en trop"
        said = en[en.index(f"{e.line} x {e.funder} = "):]
        assert said[:said.index(")") + 1].endswith(f": {word_en})"), en
        said = fr[fr.index(f"{e.line} × {e.funder} = "):]
        assert said[:said.index(")") + 1].endswith(f"{NBSP}: {word_fr}{NNBSP}?)"), fr


def test_a_value_of_another_size_gets_no_sign_hint():
    # 25 for 15 is no reversed sign: nothing said of one
    plan = _plan("Action;A;B;Total\nL1;25;20;35\nL2;5;5;10\nTotal;20;25;45\n")
    f, fr, en = _worded(plan, "cell-correction")
    assert "sign" not in en and "signe" not in fr, (en, fr)


# ---------------------------------------------------------------------------- the unit
K_PLAN = "Action;A;B;Total en k€\nL1;1000;2125;2000\nL2;5;5;10\nTotal;1005;1005;2010\n"


def test_a_gap_carries_the_plans_unit_in_each_language():
    """"(a gap of -1,125)" in a k€ plan: the other amounts of the sentence had their unit."""
    plan = _plan(K_PLAN)
    f, fr, en = _worded(plan, "row-total")
    assert (f.actual - f.expected) == -1125
    assert en.endswith("(a gap of -1,125\xa0k€).") and f.message.endswith("(a gap of -1,125 k€)."), en
    assert fr.endswith(f"(écart de -1{NNBSP}125{NBSP}k€)."), fr
    for code in ("column-total", "grand-total"):
        f, fr, en = _worded(plan, code)
        assert en.endswith("\xa0k€)."), en
        assert fr.endswith(f"{NBSP}k€)."), fr


def test_a_correction_names_every_amount_with_its_unit():
    plan = _plan(K_PLAN)
    f, fr, en = _worded(plan, "cell-correction")
    assert en == ("L1 x B holds 2,125\xa0k€; 1,000\xa0k€ there reconciles its line total "
                  "2,000\xa0k€, the B total 1,005\xa0k€ and the grand total 2,010\xa0k€."), en
    assert fr == (f"L1 × B contient 2{NNBSP}125{NBSP}k€{NNBSP}; 1{NNBSP}000{NBSP}k€ à cet "
                  f"endroit concilierait le total de sa ligne (2{NNBSP}000{NBSP}k€), le total B "
                  f"(1{NNBSP}005{NBSP}k€) et le total général (2{NNBSP}010{NBSP}k€)."), fr


def test_the_edits_a_message_lists_carry_the_unit_and_a_fix_to_type_does_not():
    plan = _plan("Action;A;B;Total en k€\nL1;1000;2125;3000\nL2;5;5;10\nTotal;1005;2125;3010\n")
    f, fr, en = _worded(plan, "correction-set")
    for e in f.corrections:
        amount = language("en").amount(e.expected, "k€")
        assert f"= {amount} (not {language('en').amount(e.actual, 'k€')})" in en, en
        assert f"= {language('fr').amount(e.expected, 'k€')} (et non " in fr, fr
    # the suggestion is what to type in the cell: a bare figure
    assert "k€" not in language("fr").suggestion(f, plan)


# --------------------------------------------------------------------- an unreadable figure
def test_an_unreadable_total_says_why_and_its_stray_character_in_english_as_in_french():
    """The English report (`essconv --lang en`, the English dashboard) said of the embedded
    plan's "1 2618" only "is not a number; the cells give 1,261 k€", where the French said why
    (a group of more than three digits) and which character was typed in excess, and so did
    the finding's own English message."""
    conv = essconv.default()
    plan = conv.plan(2009)
    f = next(f for f in plan.validate(conv) if f.code == "malformed-number")
    fr, en = language("fr").finding(f, plan, conv), language("en").finding(f, plan, conv)
    assert "un groupe de plus de trois chiffres" in fr and f"son «{NBSP}8{NBSP}» en trop" in fr, fr
    assert en == ("Structures accompagnement x Total: '1 2618' is not a number (a group of more "
                  "than three digits after a thousands separator (character 3)); the cells give "
                  "1,261\xa0k€, which '1 2618' reads as with its stray '8' removed."), en


def test_an_unreadable_cell_says_why_in_english_without_a_stray_character():
    """A cell the other figures explain but no single character makes readable: the English
    says why it is no number, as the French does, and no stray character."""
    plan = _plan("Action;A;B;Total\nL1;7x;20;30\nL2;5;5;10\nTotal;15;25;40\n")
    f, fr, en = _worded(plan, "malformed-number")
    assert f"({'«'}{NBSP}x{NBSP}» au caractère 2)" in fr and "en trop" not in fr, fr
    assert "'7x' is not a number ('x' at character 2); the" in en and "stray" not in en, en
