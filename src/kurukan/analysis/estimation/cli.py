"""``kurukan estimate FILE.csv``: estimate the total number of victims from overlapping lists."""

from __future__ import annotations

import argparse
import json
import sys

from .estimate import estimate_loglinear
from .identifiability import NotEstimableError
from .lcmcr import estimate_lcmcr
from .messages import message
from .result import EstimateResult
from .table import CaptureTable, InputError

EXIT_BAD_INPUT = 2
EXIT_NOT_ESTIMABLE = 3


class _Parser(argparse.ArgumentParser):
    def error(self, text: str) -> None:  # type: ignore[override]
        # one line, exit 2, like every other bad input
        print(message("cli_error", text=f"{text} (see 'kurukan estimate --help')"), file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kurukan estimate",
        description=(
            "Estimate the total number of cases, seen and unseen, from 3 to 10 overlapping lists "
            "(multiple systems estimation). FILE.csv has one 0/1 column per list and a 'count' column."
        ),
    )
    parser.add_argument("file", metavar="FILE.csv")
    parser.add_argument("--method", choices=["loglinear", "lcmcr"], default="loglinear")
    parser.add_argument(
        "--criterion",
        choices=["aic", "bic", "stepwise", "main"],
        default="stepwise",
        help="log-linear model choice (default: stepwise, Chan, Silverman & Vincent 2021)",
    )
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--bootstrap", type=int, default=1000, help="bootstrap samples (log-linear)")
    parser.add_argument("--level", type=float, default=0.95, help="interval level (default 0.95)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--maxorder", type=int, default=None, help="highest interaction order (aic/bic)")
    parser.add_argument("--ntop", type=int, default=None, help="models re-fitted in the bootstrap (aic/bic)")
    parser.add_argument(
        "--rng",
        choices=["numpy", "r"],
        default="numpy",
        help="bootstrap random numbers: numpy (default) or r (R's set.seed/rmultinom, as SparseMSE draws them)",
    )
    parser.add_argument("--classes", type=int, default=10, help="latent classes K (lcmcr)")
    parser.add_argument("--burnin", type=int, default=2000, help="burn-in sweeps (lcmcr)")
    parser.add_argument("--samples", type=int, default=2000, help="kept draws per chain (lcmcr)")
    parser.add_argument("--thin", type=int, default=5, help="sweeps between kept draws (lcmcr)")
    parser.add_argument("--chains", type=int, default=4, help="independent chains (lcmcr)")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, or a malformed option already reported on one line
        return int(exc.code or 0)
    try:
        _check_arguments(args)
        table = CaptureTable.from_csv(args.file)
        result = _estimate(table, args)
    except InputError as exc:
        print(message("cli_error", text=exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    except ValueError as exc:
        if isinstance(exc, NotEstimableError):
            print(message("cli_error", text=exc), file=sys.stderr)
            return EXIT_NOT_ESTIMABLE
        print(message("cli_error", text=exc), file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        _print_summary(result)
    return 0


def _check_arguments(args: argparse.Namespace) -> None:
    if not 0 < args.level < 1:
        raise ValueError(message("bad_level", value=args.level))
    for name in ("bootstrap",):
        if getattr(args, name) < 0:
            raise ValueError(message("bad_positive", name=f"--{name}", value=getattr(args, name)))
    for name in ("classes", "samples", "thin", "chains"):
        if getattr(args, name) < 1:
            raise ValueError(message("bad_positive", name=f"--{name}", value=getattr(args, name)))
    if args.burnin < 0:
        raise ValueError(message("bad_positive", name="--burnin", value=args.burnin))


def _estimate(table: CaptureTable, args: argparse.Namespace) -> EstimateResult:
    if args.method == "lcmcr":
        return estimate_lcmcr(
            table,
            classes=args.classes,
            burnin=args.burnin,
            samples=args.samples,
            thin=args.thin,
            chains=args.chains,
            seed=args.seed,
            level=args.level,
        )
    return estimate_loglinear(
        table,
        criterion=args.criterion,
        bootstrap=args.bootstrap,
        seed=args.seed,
        level=args.level,
        maxorder=args.maxorder,
        ntop=args.ntop,
        rng=args.rng,
    )


def _print_summary(result: EstimateResult) -> None:
    print(message("cli_observed", observed=result.observed))
    print(
        message(
            "cli_summary",
            method=result.method,
            estimate=result.estimate,
            level=result.ci_level,
            low=result.ci_low,
            high=result.ci_high,
        )
    )
    print(message("cli_model", model=result.model))
    for text in result.warnings:
        print(message("cli_warning", text=text))


if __name__ == "__main__":
    raise SystemExit(main())
