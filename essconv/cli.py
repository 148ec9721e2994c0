"""The command line: ``essconv`` and ``python -m essconv``.

    essconv                         report on the embedded 2009–2013 convention
    essconv report [--convention FILE.toml] [--format text|json]
    essconv validate FILE...        exit 1 when a finding is an error, 0 when clean, 2 on unusable input
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence

from .errors import Error


def _convention(path: str | None):
    from .convention import default, load
    return load(path) if path else default()


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import render_json, render_text
    conv = _convention(args.convention)
    for plan_path in args.plan or []:
        from .plan import read_plan
        conv.add_plan(read_plan(plan_path))
    sys.stdout.write(render_json(conv) if args.format == "json" else render_text(conv))
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    from .plan import read_plan
    conv = _convention(args.convention) if args.convention or args.against_default else None
    status = 0
    results = []
    for path in args.files:
        try:
            plan = read_plan(path)
        except (Error, OSError) as exc:
            print(f"{exc}", file=sys.stderr)
            results.append({"file": path, "error": str(exc)})
            status = 2
            continue
        report = plan.validate(conv)
        if not report.ok and status == 0:
            status = 1
        if args.format == "json":
            results.append({"file": path, "ok": report.ok, "findings": [
                {"code": f.code, "severity": f.severity, "line": f.line, "funder": f.funder,
                 "expected": None if f.expected is None else str(f.expected),
                 "actual": None if f.actual is None else str(f.actual),
                 "source_line": f.source_line, "source_column": f.source_column,
                 "message": f.message} for f in report]})
        else:
            for f in report:
                print(f)
            print(f"{path}: {'ok' if report.ok else 'FAILED'} ({len(report.errors)} errors, "
                  f"{len(report.warnings)} warnings, {len(report.suggestions)} suggestions)")
    if args.format == "json":
        print(json.dumps(results, ensure_ascii=False, indent=2))
    return status


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="essconv",
        description="Framework conventions and their financing plans: report, validate.")
    sub = parser.add_subparsers(dest="command")
    rep = sub.add_parser("report", help="report on a convention (the embedded one by default)")
    rep.add_argument("--convention", metavar="FILE.toml", help="a convention description")
    rep.add_argument("--plan", action="append", metavar="FILE",
                     help="a plan file to add (its year from its name)")
    rep.add_argument("--format", choices=("text", "json"), default="text")
    rep.set_defaults(func=_cmd_report)
    val = sub.add_parser("validate", help="validate plan files; exit 1 on an error finding")
    val.add_argument("files", nargs="+", metavar="FILE")
    val.add_argument("--convention", metavar="FILE.toml",
                     help="check funder codes against this convention")
    val.add_argument("--against-default", action="store_true",
                     help="check funder codes against the embedded convention")
    val.add_argument("--format", choices=("text", "json"), default="text")
    val.set_defaults(func=_cmd_validate)
    parser.add_argument("--format", choices=("text", "json"), default="text", dest="top_format",
                        help="with no command: the report's format")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["report", "--format", args.top_format])
    try:
        return args.func(args)
    except Error as exc:
        print(f"essconv: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"essconv: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
