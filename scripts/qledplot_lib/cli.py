"""qledplot's command line: argument types and the argparse parser (exit status 1 on bad
input)."""
import argparse
import math
import sys

from .common import DEFAULT_BAND_BIAS, FIGURES, PROG


# ---------------------------------------------------------------------------------------------
# command line

class Parser(argparse.ArgumentParser):
    def error(self, message):  # exit 1 for every bad input, like qledsim itself
        self.print_usage(sys.stderr)
        print(f"{PROG}: error: {message}", file=sys.stderr)
        sys.exit(1)


def parse_which(text):
    names = [w.strip().lower() for w in text.split(",") if w.strip()]
    if not names:
        raise argparse.ArgumentTypeError("empty list")
    out = []
    for w in names:
        if w == "all":
            out.extend(FIGURES)
        elif w in FIGURES:
            out.append(w)
        else:
            raise argparse.ArgumentTypeError(
                f"unknown figure '{w}' (choose from {', '.join(FIGURES)}, all)")
    return [f for f in FIGURES if f in out]


def positive_int(text):
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not an integer")
    if v <= 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {v}")
    return v


def nonneg_float(text):
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number")
    if not (v >= 0 and math.isfinite(v)):
        raise argparse.ArgumentTypeError(f"must be >= 0, got {text}")
    return v


def bias_value(text):
    t = text.strip()
    if t.lower().endswith("v"):
        t = t[:-1].strip()
    try:
        v = float(t)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a bias in volts (e.g. 3 or 3V)")
    if not math.isfinite(v):
        raise argparse.ArgumentTypeError(f"'{text}' is not a finite bias")
    return v


def parse_args(argv):
    p = Parser(
        prog=PROG,
        description="Plot a qledsim run output (HDF5): J-V-L, EQE and current efficiency,\n"
                    "charge balance and current split, band diagram.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="""figures (written as PREFIX_<name>.<format>):
  jvl    J (mA/cm^2) and luminance (cd/m^2) vs bias, turn-on voltage (L = 1 cd/m^2) marked
  eqe    EQE (%) and current efficiency (cd/A) vs J, maximum EQE marked
  gamma  charge balance gamma vs bias; recombination per layer and heterointerface and
         electron/hole leakage as fractions of J
  band   Ec, Ev (solid), Efn, Efp (dashed) vs position with the layers shaded, and n, p (log)

Non-converged bias points (/jv/converged = 0) are drawn as hollow markers when they carry
values and are omitted when they do not (NaN); either case is stated in the legend.
Figures that a file cannot support (no emissive layer, no /fields) say so or are skipped
with a warning.

examples:
  qledplot red.h5                       # red_jvl.png red_eqe.png red_gamma.png red_band.png
  qledplot red.h5 -o figs/red --format pdf --which jvl,band --bias 4
  qledplot validation validation.h5     # validation_validation.png: predicted vs reported
  qledplot sweep red_sweep.h5           # red_sweep_sweep.png: EQE_max, V_on, gamma_max maps

exit status: 0 figures written, 1 bad input (command line or input file), 2 output error.
Run with /usr/bin/python3 (Debian's python3-h5py, python3-matplotlib, python3-numpy).""")
    p.add_argument("input", metavar="OUT.h5", help="output file of `qledsim run`")
    p.add_argument("-o", "--prefix", metavar="PREFIX",
                   help="output name prefix (default: the input path without .h5); the figures "
                        "are PREFIX_jvl.png, PREFIX_eqe.png, ...")
    p.add_argument("--format", choices=("png", "pdf"), default="png",
                   help="image format (default: png)")
    p.add_argument("--bias", type=bias_value, metavar="V",
                   help="bias of the band diagram [V]; the stored field group nearest to it is "
                        f"used (default: nearest to {DEFAULT_BAND_BIAS:g} V)")
    p.add_argument("--dpi", type=positive_int, default=110, metavar="N",
                   help="resolution of PNG output (default: 110)")
    p.add_argument("--decades", type=nonneg_float, default=12, metavar="N",
                   help="log axes of J and L span at most N decades below their maximum, so "
                        "that the 1e-20 mA/cm^2 of an ideal diode at low bias do not squash the "
                        "rest (default: 12; 0: everything); luminance below 1%% of the turn-on "
                        "luminance is not shown when brighter points exist. Points left out "
                        "are counted in the legend")
    p.add_argument("--which", type=parse_which, default=list(FIGURES), metavar="LIST",
                   help="comma-separated figures to draw: jvl, eqe, gamma, band, all "
                        "(default: all)")
    return p.parse_args(argv)
