"""Files that change while they are read, and files that never say their size.

The readers read a path with read() to its end (essconv/files.py), never through a memory map:
a truncated mapped file killed the interpreter with SIGBUS, and FIFOs, /dev/stdin and /proc
files, whose size reads as 0, were read as empty.  The truncation test runs in the ASan pass of
.ci/run too.
"""
from __future__ import annotations

import os
from pathlib import Path
import subprocess
import sys
import textwrap
import threading
from decimal import Decimal

import pytest

import essconv
from essconv import Ledger

posix_only = pytest.mark.skipif(os.name != "posix", reason="FIFOs, /dev/stdin and /proc are POSIX")

LINE = 32   # every line of the changing file is this long, so that every page-aligned size the
            # kernel shows while a write is in progress ends on a whole line (4096 = 128 lines)


def fixed_width_ledger(rows: int) -> tuple[bytes, list[int]]:
    """A CSV whose lines all take LINE bytes, and the running totals in cents after k rows."""
    header = "financeur;montant;" + "x" * (LINE - len("financeur;montant;") - 1) + "\n"
    lines, prefix = [header], [0]
    for i in range(rows):
        cents = (i * 7919) % 10**7 - 3 * 10**5
        sign, value = ("-" if cents < 0 else ""), abs(cents)
        body = f"F{i % 13:02d};{sign}{value // 100},{value % 100:02d};"
        lines.append(body + "p" * (LINE - len(body) - 1) + "\n")
        prefix.append(prefix[-1] + cents)
    assert all(len(l) == LINE for l in lines)
    return "".join(lines).encode("ascii"), prefix


READER = textwrap.dedent("""
    import sys, time
    from decimal import Decimal
    import essconv
    path, seconds = sys.argv[1], float(sys.argv[2])
    prefix = [int(v) for v in open(sys.argv[3]).read().split()]
    outcomes = {"read": 0, "changed": 0, "other error": 0}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for read in (lambda: essconv.Ledger.read_csv(path, amount="montant", delimiter=";"),
                     lambda: essconv.read_scdl(path)):
            try:
                got = read()
            except essconv.FileChangedError:
                outcomes["changed"] += 1
                continue
            except (essconv.Error, FileNotFoundError):   # an empty file, a vanished one
                outcomes["other error"] += 1
                continue
            outcomes["read"] += 1
            if isinstance(got, essconv.Ledger):   # what was there: whole lines, exact
                want = Decimal(prefix[len(got)]).scaleb(-2)
                assert got.total() == want, (len(got), got.total(), want)
    print(" ".join(f"{k.replace(' ', '_')}={v}" for k, v in outcomes.items()))
""")

TRUNCATOR = textwrap.dedent("""
    import os, random, sys, time
    path, seconds = sys.argv[1], float(sys.argv[2])
    full = open(path, "rb").read()
    rng = random.Random(10)
    deadline = time.monotonic() + seconds
    rounds = 0
    while time.monotonic() < deadline:
        rounds += 1
        cut = rng.randrange(0, len(full) // 4096) * 4096
        if rounds % 10 == 0:            # the file vanishes and comes back as a new file
            os.unlink(path)
            with open(path, "wb") as fh:
                fh.write(full[:cut])
        else:
            os.truncate(path, cut)
        with open(path, "r+b") as fh:   # and grows back to the whole file
            fh.seek(cut)
            fh.write(full[cut:])
    print(rounds)
""")


@posix_only
def test_a_file_truncated_and_rewritten_while_read_in_a_loop(tmp_path):
    """One process truncates, deletes and rewrites an 8 MB file in a loop while another reads it
    with Ledger.read_csv and read_scdl (validate_scdl gets its bytes the same way): no signal (SIGBUS before), and each read
    that succeeds holds whole lines with their exact total (checked against running sums)."""
    data, prefix = fixed_width_ledger(250_000)
    path = tmp_path / "grants.csv"
    path.write_bytes(data)
    sums = tmp_path / "prefix.txt"
    sums.write_text(" ".join(map(str, prefix)))
    seconds = "3"
    truncator = subprocess.Popen([sys.executable, "-c", TRUNCATOR, str(path), seconds],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    reader = subprocess.run([sys.executable, "-c", READER, str(path), seconds, str(sums)],
                            capture_output=True, text=True, timeout=600)
    out, err = truncator.communicate(timeout=600)
    assert truncator.returncode == 0 and int(out) > 10, err
    assert reader.returncode == 0, f"reader ended with {reader.returncode}: {reader.stderr[-3000:]}"
    outcomes = dict(kv.split("=") for kv in reader.stdout.split())
    assert int(outcomes["read"]) > 0, reader.stdout


@pytest.mark.parametrize("change", ["grow", "rewrite"])
@pytest.mark.parametrize("read", [
    lambda p: essconv.read_plan(p),
    lambda p: Ledger.read_csv(p, amount="montant"),
    lambda p: essconv.read_scdl(p),
], ids=["read_plan", "Ledger.read_csv", "read_scdl"])
def test_a_file_changed_during_the_read_is_refused_not_cut(tmp_path, monkeypatch, read, change):
    """Another writer appends to the file, or rewrites it in place, just after the reader opened
    it (the file really changes: the hook on os.fstat only chooses the moment).  The read raises
    FileChangedError, an OSError naming the file; before, it silently kept what it saw."""
    path = tmp_path / "plan-2010.csv"
    body = b"Ligne;CDC;montant\n" + b"DLA;1;2\n" * 1000
    path.write_bytes(body)
    os.utime(path, ns=(10**18, 10**18))   # in 2001: the change below gets another time
    target, real_fstat, changed = os.stat(path).st_ino, os.fstat, []

    def fstat_then_change(fd: int) -> os.stat_result:
        st = real_fstat(fd)
        if not changed and st.st_ino == target:
            changed.append(change)
            with open(path, "r+b") as fh:
                if change == "grow":
                    fh.seek(0, os.SEEK_END)
                    fh.write(b"DLA;1;2\n")
                else:
                    fh.write(body.replace(b"DLA;1;2", b"DLA;9;9"))
        return st

    monkeypatch.setattr(os, "fstat", fstat_then_change)
    with pytest.raises(essconv.FileChangedError) as caught:
        read(path)
    assert changed == [change]
    assert isinstance(caught.value, OSError) and isinstance(caught.value, essconv.Error)
    assert str(path) in str(caught.value) and "changed while it was read" in str(caught.value)


def csv_and_total() -> tuple[bytes, Decimal]:
    rows = [(f"F{i % 7}", i * 13 % 100_000) for i in range(50_000)]
    text = "financeur;montant\n" + "".join(f"{f};{c // 100},{c % 100:02d}\n" for f, c in rows)
    return text.encode(), Decimal(sum(c for _, c in rows)).scaleb(-2)


@posix_only
@pytest.mark.parametrize("name", ["feed", "feed.csv.gz"])
@pytest.mark.parametrize("reader", ["Ledger.read_csv", "read_scdl"])
def test_a_fifo_is_read_to_its_end(tmp_path, reader, name):
    """A FIFO fed by a thread: its size reads as 0, yet every byte arrives (before: Ledger and
    SCDL readers saw an empty file); named like a gzip file, it is not opened to look at its
    first bytes (they would be lost to the reading, or the reading wait for a second writer)."""
    if reader == "read_scdl":   # a real grant file through the pipe, against the same file read whole
        lot = Path(__file__).parent / "data" / "scdl" / "lot-2017-subventions.csv"
        data, total = lot.read_bytes(), essconv.read_scdl(lot).total()
    else:
        data, total = csv_and_total()
    read = {"Ledger.read_csv": lambda p: Ledger.read_csv(p, amount="montant").total(),
            "read_scdl": lambda p: essconv.read_scdl(p).total()}[reader]
    fifo = tmp_path / name
    os.mkfifo(fifo)

    def feed() -> None:
        try:
            with open(fifo, "wb") as fh:
                fh.write(data)
        except BrokenPipeError:   # the reader gave up early: its assertion says why
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    assert read(fifo) == total
    writer.join(timeout=60)
    assert not writer.is_alive()


@posix_only
@pytest.mark.skipif(not os.path.exists("/dev/stdin"), reason="no /dev/stdin")
def test_dev_stdin_is_read_to_its_end():
    data, total = csv_and_total()
    code = ("import essconv; "
            "print(essconv.Ledger.read_csv('/dev/stdin', amount='montant').total())")
    proc = subprocess.run([sys.executable, "-c", code], input=data, capture_output=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    assert Decimal(proc.stdout.decode().strip()) == total


@posix_only
@pytest.mark.skipif(not os.path.exists("/dev/stdin"), reason="no /dev/stdin")
def test_a_mixed_text_through_a_pipe_is_warned_of_from_the_bytes_read():
    """/dev/stdin holding a text mixing UTF-8 and CP1252: the warning naming its odd byte is
    drawn from the bytes the read took from the pipe.  Before, the path was opened again for
    it: the drained pipe gave nothing and no warning came (a named FIFO with no writer left
    would have waited for one).  In a subprocess, with a timeout."""
    data = "financeur;montant\nRégion;1\n".encode() + "D\xe9partement;2\n".encode("cp1252")
    code = ("import warnings, essconv\n"
            "with warnings.catch_warnings(record=True) as caught:\n"
            "    warnings.simplefilter('always')\n"
            "    total = essconv.Ledger.read_csv('/dev/stdin', amount='montant').total()\n"
            "print(total, [str(w.message) for w in caught])")
    proc = subprocess.run([sys.executable, "-c", code], input=data, capture_output=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    out = proc.stdout.decode()
    assert out.startswith("3 ") and "0xE9 at 3:2 read as 'é'" in out, out


@pytest.mark.skipif(not os.path.exists("/proc/self/comm"), reason="no /proc")
def test_a_proc_file_of_size_zero_is_read_to_its_end():
    """/proc/self/comm reports size 0 yet holds the process name, which the process sets (at
    most 15 bytes): here a one-row ledger.  In a subprocess, so pytest keeps its own name."""
    code = ("import os, essconv\n"
            "open('/proc/self/comm', 'w').write('montant\\n12,50')\n"
            "assert os.stat('/proc/self/comm').st_size == 0\n"
            "print(essconv.Ledger.read_csv('/proc/self/comm', amount='montant', delimiter=';')"
            ".total())\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert Decimal(proc.stdout.strip()) == Decimal("12.50")


def utf16_csv_and_total() -> tuple[bytes, Decimal]:
    """Over two chunks of UTF-16 whose bytes hold "\\0\\0" pairs at odd offsets (A then Ā)."""
    rows = [(f"A\u0100{i % 5}", i % 100_000) for i in range(120_000)]
    text = "financeur;montant\n" + "".join(f"{f};{c // 100},{c % 100:02d}\n" for f, c in rows)
    data = text.encode("utf-16")   # with its BOM
    assert len(data) > 2 * 2**20 and b"\0\0" in data
    return data, Decimal(sum(c for _, c in rows)).scaleb(-2)


@posix_only
def test_a_stream_is_read_to_its_end_unless_it_stops_being_text(tmp_path):
    """A stream is read in chunks: UTF-16 text over several chunks arrives whole, while
    /dev/zero stops at the first chunk, refused as it was never text (before: "empty file";
    read to its end, it would fill memory).  In a subprocess with a time and memory bound."""
    data, total = utf16_csv_and_total()
    fifo = tmp_path / "feed"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(data), daemon=True)
    writer.start()
    assert Ledger.read_csv(fifo, amount="montant").total() == total
    writer.join(timeout=60)
    code = textwrap.dedent("""
        import os, resource, essconv
        if os.environ.get("ESSCONV_ASAN_RUN") != "1":   # ASan reserves terabytes of addresses
            resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
        for read in (lambda: essconv.Ledger.read_csv("/dev/zero", amount="montant"),
                     lambda: essconv.read_plan("/dev/zero")):
            try:
                read()
            except essconv.ParseError as exc:
                print(exc.where(), "NUL byte" in str(exc))
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split("\n")[:2] == ["/dev/zero:1:1 True"] * 2
