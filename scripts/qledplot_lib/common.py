"""Constants, the input-error exception and the warning/note printers shared by qledplot's
modules."""
import sys

FIGURES = ("jvl", "eqe", "gamma", "band")
DEFAULT_BAND_BIAS = 3.0       # V: default bias of the band diagram (nearest stored field group)
FRACTION_FLOOR = 1e-15        # smallest fraction of J drawn in the current split
DENSITY_FLOOR = 1e8           # m^-3: densities below this are clipped in the band figure
PROG = "qledplot"


class InputError(Exception):
    """A problem with the command line or the input file (exit status 1)."""


def warn(msg):
    print(f"{PROG}: warning: {msg}", file=sys.stderr)


def note(msg):
    print(f"{PROG}: note: {msg}", file=sys.stderr)
