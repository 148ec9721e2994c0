"""`essconv aggregate --total` when only the groups' total is past int64 cents.

A few records near 9e16 € make groups whose sums each fit int64 cents while their total does
not.  The listing without --total already said that total in words ("au-delà de 92 233 ... €");
with --total the whole table was refused.  Now the groups are listed, the Total line says the
total in words, exit 0; --share, --cumulative and an export with --total, which need that total
as a number, are refused (exit 2) saying why and what still reads, in the command's language.
The oracles: each group's sum made here with Decimal from the amounts the test writes, and
the limit from 2**63 - 1 cents."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from essconv.cli import main

LIMIT = Decimal(2**63 - 1) / 100
AMOUNTS = [("Région", Decimal("90000000000000000")), ("CDC", Decimal("90000000000000000")),
           ("Etat", Decimal("1000.50")), ("CDC", Decimal("-2.25"))]
BEYOND = {"fr": "au-delà de", "en": "beyond"}
AT_MOST = {"fr": "au plus", "en": "at most"}


def digits(text: str) -> str:
    """The figure's digits, whatever the language's grouping and decimal mark."""
    return re.sub(r"[^0-9-]", "", text)


def cents_digits(amount: Decimal) -> str:
    """An amount of the table: with its two cent digits, as one of the column has cents."""
    return str(int(amount * 100))


@pytest.fixture
def ledger_file(tmp_path):
    path = tmp_path / "registre.csv"
    path.write_text("financeur;montant\n" + "".join(
        f"{name};{str(amount).replace('.', ',')}\n" for name, amount in AMOUNTS),
        encoding="utf-8")
    return path


def sums() -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for name, amount in AMOUNTS:
        out[name] = out.get(name, Decimal(0)) + amount
    return out


def test_the_file_makes_groups_that_fit_and_a_total_that_does_not():
    assert all(abs(s) <= LIMIT for s in sums().values())
    assert sum(sums().values()) > LIMIT


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("more", [[], ["--sort", "sum"], ["--top", "2", "--others"]])
def test_total_beyond_int64_cents_lists_the_groups_and_says_the_total_in_words(
        ledger_file, capsys, lang, more):
    status = main(["aggregate", str(ledger_file), "--by", "financeur", "--amount", "montant",
                   "--total", "--lang", lang, *more])
    out = capsys.readouterr()
    assert status == 0, out.err
    lines = out.out.splitlines()
    groups = sums()
    shown = [name for name in groups if any(line.startswith(name + " ") for line in lines)]
    assert shown == list(groups) if not more or more[0] == "--sort" else len(shown) == 2
    for name in shown:
        (line,) = [line for line in lines if line.startswith(name + " ")]
        assert digits(line[len(name):]) == cents_digits(groups[name])
    if more and more[0] == "--top":   # the others line: the groups left out, summed here
        (others,) = [line for line in lines if line.startswith("(")
                     and "Total" not in line]
        assert digits(others.split(")", 1)[1]) == cents_digits(
            sum(s for n, s in groups.items() if n not in shown))
    (total,) = [line for line in lines if line.startswith("(Total)")]
    assert BEYOND[lang] in total and digits(total.split(BEYOND[lang])[1]) == str(2**63 - 1)
    assert total == lines[-2]   # the last line of the table, before "total: ... over 4 records"
    assert BEYOND[lang] in lines[-1]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("options", [["--share"], ["--share", "--total"], ["--cumulative"],
                                     ["--total", "--to", "csv"]])
def test_what_needs_the_total_as_a_number_is_refused_saying_why(ledger_file, capsys, lang,
                                                                  options):
    assert main(["aggregate", str(ledger_file), "--by", "financeur", "--amount", "montant",
                 "--lang", lang, *options]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    said = out.err
    assert said.startswith(f"essconv: {options[0]}")
    assert AT_MOST[lang] in said and str(2**63 - 1) in digits(said)
    assert ("sans " if lang == "fr" else "without ") in said
    if lang == "fr":   # no English word in a French refusal
        assert not any(w in said for w in ("does not", "total of", "int64", "the "))


def test_a_total_that_fits_is_still_a_number_on_its_total_line(tmp_path, capsys):
    """The twin: the same groups scaled down, whose total fits, show it as the figure."""
    path = tmp_path / "petit.csv"
    small = [(name, amount if abs(amount) < 10**6 else amount / 10**12)
             for name, amount in AMOUNTS]
    path.write_text("financeur;montant\n" + "".join(
        f"{name};{str(amount).replace('.', ',')}\n" for name, amount in small),
        encoding="utf-8")
    assert main(["aggregate", str(path), "--by", "financeur", "--amount", "montant",
                 "--total"]) == 0
    lines = capsys.readouterr().out.splitlines()
    (total,) = [line for line in lines if line.startswith("(Total)")]
    want = sum(amount for _, amount in small).quantize(Decimal("0.01"))
    assert digits(total) == str(int(want * 100))


BELOW = {"fr": "en deçà de", "en": "below"}
AT_LEAST = {"fr": "au moins", "en": "at least"}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_total_under_the_floor_is_said_below_on_its_total_line_and_in_refusals(
        tmp_path, capsys, lang):
    """The same records negated: each group fits, their total is under int64 cents' floor.
    The Total line said "au-delà de 92 233 … €" above "total : en deçà de -92 233 … €", and
    --share and --cumulative "(… € au plus)": a huge negative total read as a huge positive
    one.  Both say the floor, as the line under the table does."""
    path = tmp_path / "negatif.csv"
    negated = [(name, -amount) for name, amount in AMOUNTS]
    path.write_text("financeur;montant\n" + "".join(
        f"{name};{str(amount).replace('.', ',')}\n" for name, amount in negated),
        encoding="utf-8")
    assert sum(a for _, a in negated) < -LIMIT - Decimal("0.01")   # the twin: under the floor
    command = ["aggregate", str(path), "--by", "financeur", "--amount", "montant",
               "--lang", lang]
    assert main(command + ["--total"]) == 0
    lines = capsys.readouterr().out.splitlines()
    (total,) = [line for line in lines if line.startswith("(Total)")]
    assert BELOW[lang] in total and BEYOND[lang] not in total, total
    assert digits(total.split(BELOW[lang])[1]) == str(-2**63)
    assert BELOW[lang] in lines[-1]
    for option in ("--share", "--cumulative"):
        assert main(command + [option]) == 2
        said = capsys.readouterr().err
        assert AT_LEAST[lang] in said and AT_MOST[lang] not in said, said
        assert str(-2**63) in digits(said), said


# each group fits and so does their total, but --top 1 --others leaves out groups whose sum is
# past int64 cents: below the floor (the largest group shown, the rest huge negative), or beyond
# the ceiling (the group of most records shown, --sort count, the rest huge positive)
OTHERS_ORDER = {"below": [], "beyond": ["--sort", "count"]}
OTHERS_PAST = {
    "below": [("A", Decimal("90000000000000000")), ("B", Decimal("-90000000000000000")),
              ("C", Decimal("-50000000000000000"))],
    "beyond": [("A", Decimal("-45000000000000000")), ("A", Decimal("-45000000000000000")),
               ("B", Decimal("90000000000000000")), ("C", Decimal("50000000000000000"))],
}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("side", list(OTHERS_PAST))
def test_an_others_line_past_int64_cents_is_refused_with_its_side_and_what_to_do(
        tmp_path, capsys, lang, side):
    """The refusal said "the sum of the groups not shown does not fit int64 cents" with no
    side and no remedy in English, and no remedy in French; it now says both, as the refusals
    of --share and --cumulative do, in the command's language."""
    amounts = OTHERS_PAST[side]
    groups: dict[str, Decimal] = {}
    for name, amount in amounts:
        groups[name] = groups.get(name, Decimal(0)) + amount
    assert all(abs(s) <= LIMIT for s in groups.values())
    assert abs(sum(groups.values())) <= LIMIT   # the total fits: only the others line does not
    path = tmp_path / "autres.csv"
    path.write_text("financeur;montant\n" + "".join(
        f"{name};{str(amount).replace('.', ',')}\n" for name, amount in amounts),
        encoding="utf-8")
    command = ["aggregate", str(path), "--by", "financeur", "--amount", "montant",
               "--lang", lang, "--top", "1", *OTHERS_ORDER[side]]
    assert main(command + ["--others"]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    said = out.err
    assert said.startswith("essconv: --others")
    if side == "below":
        assert AT_LEAST[lang] in said and AT_MOST[lang] not in said, said
        assert str(-2**63) in digits(said), said
    else:
        assert AT_MOST[lang] in said and AT_LEAST[lang] not in said, said
        assert str(2**63 - 1) in digits(said), said
    assert ("sans --others" if lang == "fr" else "without --others") in said
    assert ("un code collé" if lang == "fr" else "a code pasted") in said
    if lang == "fr":   # no English word in a French refusal
        assert not any(w in said for w in ("does not", "int64", "the ", "groups"))
    # what the refusal offers reads: the top group, without the others line
    assert main(command) == 0
    assert capsys.readouterr().out.splitlines()[2].startswith("A ")


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("options, without", [
    (["--share"], {"fr": "sans --share,", "en": "without --share,"}),
    (["--others", "--share"], {"fr": "sans --others et --share,",
                               "en": "without --others and --share,"}),
])
def test_shares_of_a_top_whose_groups_left_out_are_past_int64_cents_name_the_option(
        tmp_path, capsys, lang, options, without):
    """--share counts the groups a top leaves out: their sum past int64 cents is refused
    naming --share (not --others, which was not given), and what reads without it."""
    path = tmp_path / "autres.csv"
    path.write_text("financeur;montant\n" + "".join(
        f"{name};{str(amount).replace('.', ',')}\n" for name, amount in OTHERS_PAST["below"]),
        encoding="utf-8")
    command = ["aggregate", str(path), "--by", "financeur", "--amount", "montant",
               "--lang", lang, "--top", "1"]
    assert main(command + options) == 2
    said = capsys.readouterr().err
    assert said.startswith(f"essconv: {options[0]}") and without[lang] in said, said
    assert AT_LEAST[lang] in said and str(-2**63) in digits(said), said
    assert main(command) == 0


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("sign", [1, -1])
def test_a_running_sum_past_int64_cents_is_refused_with_its_side_in_the_commands_language(
        tmp_path, capsys, lang, sign):
    """Each group and the total fit, the running sum of the first two does not: the refusal
    was "the running sum does not fit int64 cents", English in a French run, with no side."""
    amounts = [("A", sign * Decimal("90000000000000000")),
               ("B", sign * Decimal("90000000000000000")),
               ("C", -sign * Decimal("90000000000000000"))]
    assert abs(sum(a for _, a in amounts)) <= LIMIT
    path = tmp_path / "cumul.csv"
    path.write_text("financeur;montant\n" + "".join(
        f"{name};{str(amount).replace('.', ',')}\n" for name, amount in amounts),
        encoding="utf-8")
    command = ["aggregate", str(path), "--by", "financeur", "--amount", "montant",
               "--lang", lang]
    assert main(command + ["--cumulative"]) == 2
    said = capsys.readouterr().err
    assert said.startswith("essconv: --cumulative")
    if sign < 0:
        assert AT_LEAST[lang] in said and str(-2**63) in digits(said), said
    else:
        assert AT_MOST[lang] in said and str(2**63 - 1) in digits(said), said
    assert ("sans --cumulative" if lang == "fr" else "without --cumulative") in said
    if lang == "fr":
        assert not any(w in said for w in ("does not", "int64", "running", "the "))
    assert main(command) == 0
