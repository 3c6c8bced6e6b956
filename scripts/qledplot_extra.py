"""The `validation` and `sweep` figures of scripts/qledplot (imported by it; not run alone).

    qledplot validation VALIDATION.h5 [-o PREFIX] [--format png|pdf] [--dpi N]
        predicted vs reported maximum EQE (%) and current efficiency (cd/A) of every entry of a
        `qledsim validate` file, one marker shape and colour per emission colour, the y = x line,
        the mean absolute error and Spearman rho of the file's summary in the titles; entries that
        ran but give no light (no maximum) are drawn as open triangles on the bottom axis; entries
        that failed or did not converge are listed below the axes.  -> PREFIX_validation.png

    qledplot sweep SWEEP.h5 [-o PREFIX] [--format png|pdf] [--dpi N]
        EQE_max (%), V_on (V) and gamma_max of a `qledsim sweep` file against the varied key
        (one key: three panels over it; two keys: three colour maps over both; more keys: the
        first two, the others at their first value). Points that failed, are pending, have bias
        points that did not converge (their figures are not defined), or did not reach the
        figure (V_on not reached: no light in the bias range) are shown as gaps (grey in the
        maps) and counted in the titles.  -> PREFIX_sweep.png

Exit status as qledplot: 0 written, 1 bad input, 2 output error.
"""
import os
import sys

from qledplot_lib.cli import Parser, positive_int
from qledplot_lib.common import PROG, InputError

COLOURS = {"red": ("#c0392b", "o"), "green": ("#27ae60", "s"), "blue": ("#2e63c9", "^")}
# SI unit of a varied key -> (display unit, factor)
DISPLAY = {"m": ("nm", 1e9), "m^2/(V s)": ("cm$^2$/Vs", 1e4), "J": ("eV", 1 / 1.602176634e-19),
           "m^-3": ("cm$^{-3}$", 1e-6), "1": ("", 1.0)}


def parse_args(kind, argv):
    what = {"validation": "a `qledsim validate` output (predicted vs reported EQE and CE)",
            "sweep": "a `qledsim sweep` output (EQE_max, V_on, gamma_max vs the varied keys)"}
    p = Parser(prog=f"{PROG} {kind}", description=f"Plot {what[kind]}.")
    p.add_argument("input", metavar="FILE.h5")
    p.add_argument("-o", "--prefix", metavar="PREFIX",
                   help=f"output name prefix (default: the input path without .h5); the figure "
                        f"is PREFIX_{kind}.png")
    p.add_argument("--format", choices=("png", "pdf"), default="png")
    p.add_argument("--dpi", type=positive_int, default=110, metavar="N")
    return p.parse_args(argv)


def text(v):
    return v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)


def open_h5(path, group, command, h5py):
    if not os.path.exists(path):
        raise InputError(f"{path}: no such file")
    try:
        f = h5py.File(path, "r")
    except OSError:
        raise InputError(f"{path}: not an HDF5 file")
    if group not in f:
        f.close()
        raise InputError(f"{path}: not a `qledsim {command}` output (no group {group})")
    return f


# ---- validation -------------------------------------------------------------------------------

def read_validation(f, np):
    v = f["/validation"]
    col = lambda name: [text(x) for x in v[name][()]]
    num = lambda path: np.asarray(v[path][()], dtype=float)
    d = {"id": col("id"), "colour": col("colour"), "status": col("status"),
         "reason": col("reason")}
    for q in ("eqe", "ce"):
        d["rep_" + q], d["pred_" + q] = num("reported/" + q), num("predicted/" + q)
    d["summary"] = dict(v["summary"].attrs) if "summary" in v else {}
    d["complete"] = int(f.attrs.get("complete", 0))
    return d


def label_points(ax, ids, x, y, show, bottom, np):
    """Entry ids next to their markers; points at the same height get labels alternately above
    and below, slanted, so that a row of equal predictions stays readable."""
    seen = {}
    for i in sorted(np.where(show)[0], key=lambda i: x[i]):
        row = round(float(y[i]), 6)
        k = seen[row] = seen.get(row, -1) + 1
        up = k % 2 == 0 or y[i] <= bottom
        ax.annotate(ids[i], (x[i], y[i]), fontsize=6.5, xytext=(2, 5 if up else -7),
                    textcoords="offset points", color="0.25", rotation=35 if up else -35,
                    ha="left", va="bottom" if up else "top", rotation_mode="anchor")


def scatter_panel(ax, d, q, scale, label, unit, np):
    rep, pred = scale * d["rep_" + q], scale * d["pred_" + q]
    ok = np.array([s == "ok" for s in d["status"]])
    both = ok & np.isfinite(rep) & np.isfinite(pred)
    dark = ok & np.isfinite(rep) & ~np.isfinite(pred)
    vals = np.concatenate([rep[both | dark], pred[both]])
    hi = 1.1 * float(np.max(vals)) if vals.size else 1.0
    ax.plot([0, hi], [0, hi], color="0.5", lw=1, ls="--", label="y = x", zorder=1)
    for colour, (c, m) in COLOURS.items():
        sel = np.array([x == colour for x in d["colour"]])
        if np.any(both & sel):
            ax.scatter(rep[both & sel], pred[both & sel], color=c, marker=m, s=42,
                       edgecolor="k", lw=0.5, label=colour, zorder=3)
        if np.any(dark & sel):
            ax.scatter(rep[dark & sel], np.full(int(np.sum(dark & sel)), 0.015 * hi), marker="v",
                       facecolor="none", edgecolor=c, s=60, lw=1.4, zorder=3,
                       label=f"{colour}: no light in the bias range")
    label_points(ax, d["id"], rep, np.where(both, pred, 0.015 * hi), both | dark, 0.02 * hi, np)
    s = d["summary"]
    mae, rho, n = s.get("mae_" + q, np.nan), s.get("rho_" + q, np.nan), s.get("n_" + q, 0)
    ax.set_title(f"{label}: n = {int(n)}, mean |error| = {float(mae):.2f} {unit}, "
                 f"Spearman $\\rho$ = {float(rho):+.2f}", fontsize=9.5)
    ax.set_xlim(0, hi)
    ax.set_ylim(0, hi)
    ax.set_aspect("equal")
    ax.set_xlabel(f"reported maximum {label} [{unit.replace('%-points', '%')}]")
    ax.set_ylabel(f"predicted maximum {label} [{unit.replace('%-points', '%')}]")
    ax.grid(alpha=0.3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.11), ncol=3, fontsize=7.5)


def fig_validation(d, path, plt, np):
    fig, axes = plt.subplots(1, 2, figsize=(12, 7))
    scatter_panel(axes[0], d, "eqe", 100.0, "EQE", "%-points", np)
    scatter_panel(axes[1], d, "ce", 1.0, "CE", "cd/A", np)
    bad = [f"{i} ({s})" for i, s in zip(d["id"], d["status"]) if s != "ok"]
    foot = f"{os.path.basename(path)}: {len(d['id'])} entries"
    if bad:
        foot += "; not shown (failed / unconverged / not run): " + ", ".join(bad)
    if not d["complete"]:
        foot += "; the run did not finish (complete = 0)"
    fig.text(0.01, 0.01, foot, fontsize=7.5, color="0.3")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


# ---- sweep ------------------------------------------------------------------------------------

def read_axis(s, key, np):
    """Values of one varied key per point, for display: (values, label, categorical)."""
    if key in s.get("varied", {}):
        ds = s["varied"][key]
        unit = text(ds.attrs.get("units", "1"))
        disp, factor = DISPLAY.get(unit, (unit, 1.0))
        return np.asarray(ds[()], float) * factor, f"{key}" + (f" [{disp}]" if disp else ""), False
    return np.array([text(x) for x in s["varied_text"][key][()]]), key, True


def read_sweep(f, np):
    s = f["/sweep"]
    g = s["grid"].attrs
    naxes = int(g["naxes"])
    keys = [text(g[f"key{a}"]) for a in range(naxes)]
    sizes = [int(g[f"n{a}"]) for a in range(naxes)]
    status = np.asarray(s["status"][()], int)
    done = status >= 1
    figs = {}
    for name in ("EQE_max", "V_on", "gamma_max"):
        v = np.asarray(s[name][()], float)
        figs[name] = np.where(done, v, np.nan)
    index = {k: np.asarray(s["axis_index"][k][()], int) for k in keys}
    axes = [read_axis(s, k, np) for k in keys]
    return {"keys": keys, "sizes": sizes, "status": status, "figs": figs, "index": index,
            "axes": axes, "complete": int(f.attrs.get("complete", 0))}


FIG_LABEL = {"EQE_max": ("maximum EQE [%]", 100.0), "V_on": ("turn-on voltage V$_{on}$ [V]", 1.0),
             "gamma_max": ("maximum charge balance $\\gamma$", 1.0)}


def pick_points(d, np):
    """Points with every axis beyond the first two at index 0."""
    keep = np.ones(len(d["status"]), bool)
    for k in d["keys"][2:]:
        keep &= d["index"][k] == 0
    return keep


def gaps_note(d, name, keep, np):
    v, st = d["figs"][name][keep], d["status"][keep]
    gap = ~np.isfinite(v)
    counts = ((int(np.sum(st < 0)), "failed"), (int(np.sum(st == 0)), "pending"),
              (int(np.sum(gap & (st == 2))), "unconverged"),
              (int(np.sum(gap & (st == 1))), "not reached"))
    parts = [f"{n} {w}" for n, w in counts if n]
    return f" ({', '.join(parts)})" if parts else ""


def flat_value(v, np):
    """The common value when every finite v agrees to 1e-6 (relative), else None: numerical noise
    on a constant must not be drawn as a trend."""
    f = v[np.isfinite(v)]
    if f.size == 0:
        return None
    mid = float(np.mean(f))
    return mid if float(np.max(f) - np.min(f)) <= 1e-6 * max(abs(mid), 1e-300) else None


def sweep_1d(d, plt, np, keep):
    x, xlabel, cat = d["axes"][0]
    order = np.argsort(d["index"][d["keys"][0]][keep], kind="stable")
    fig, axes = plt.subplots(3, 1, figsize=(7, 8), sharex=True)
    xs = np.arange(int(np.sum(keep))) if cat else x[keep][order]
    for ax, name in zip(axes, ("EQE_max", "V_on", "gamma_max")):
        label, scale = FIG_LABEL[name]
        y = scale * d["figs"][name][keep][order]
        ax.plot(xs, y, "o-", color="#2e63c9", ms=5)
        miss = ~np.isfinite(y)
        if np.any(miss):
            ax.plot(xs[miss], np.zeros(int(np.sum(miss))), "x", color="0.4", transform=ax.get_xaxis_transform(),
                    clip_on=False, label="not available")
            ax.legend(fontsize=7.5)
        ax.set_ylabel(label)
        c = flat_value(y, np)
        ax.ticklabel_format(axis="y", useOffset=False)
        if c is not None:
            ax.set_ylim(c - 0.05 * abs(c) - 1e-12, c + 0.05 * abs(c) + 1e-12)
        ax.set_title(name + gaps_note(d, name, keep, np) +
                     (f": constant {c:.4g} (to 1e-6)" if c is not None else ""), fontsize=9.5)
        ax.grid(alpha=0.3)
    if cat:
        axes[-1].set_xticks(xs, x[keep][order], rotation=30, ha="right")
    elif x.size and np.all(x > 0) and x.max() / x.min() > 50:
        axes[-1].set_xscale("log")
    axes[-1].set_xlabel(xlabel)
    return fig


def grid_values(d, keep, a, np):
    """Sorted distinct display values of axis a among the kept points, and each point's position."""
    x, label, cat = d["axes"][a]
    idx = d["index"][d["keys"][a]][keep]
    n = d["sizes"][a]
    vals = [None] * n
    for i, v in zip(idx, x[keep]):
        vals[i] = v
    return vals, idx, label, cat


def sweep_2d(d, plt, np, keep):
    xv, xi, xlabel, xcat = grid_values(d, keep, 0, np)
    yv, yi, ylabel, ycat = grid_values(d, keep, 1, np)
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.8))
    cmap = plt.get_cmap("viridis").copy()
    cmap.set_bad("0.8")
    for ax, name in zip(axes, ("EQE_max", "V_on", "gamma_max")):
        label, scale = FIG_LABEL[name]
        z = np.full((len(yv), len(xv)), np.nan)
        z[yi, xi] = scale * d["figs"][name][keep]
        c = flat_value(z, np)
        lim = {} if c is None else {"vmin": c - 0.05 * abs(c) - 1e-12, "vmax": c + 0.05 * abs(c) + 1e-12}
        im = ax.imshow(np.ma.masked_invalid(z), origin="lower", aspect="auto", cmap=cmap,
                       interpolation="nearest", **lim)
        bar = fig.colorbar(im, ax=ax, label=label)
        bar.formatter.set_useOffset(False)
        bar.update_ticks()
        ax.set_xticks(range(len(xv)), [f"{v:.3g}" if not xcat else v for v in xv],
                      rotation=45 if len(xv) > 6 else 0, fontsize=8)
        ax.set_yticks(range(len(yv)), [f"{v:.3g}" if not ycat else v for v in yv], fontsize=8)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_title(name + gaps_note(d, name, keep, np) +
                     (f": constant {c:.4g} (to 1e-6)" if c is not None else "") +
                     ("; grey: n/a" if np.any(~np.isfinite(z)) else ""), fontsize=9.5)
    return fig


def fig_sweep(d, path, plt, np):
    keep = pick_points(d, np)
    fig = sweep_1d(d, plt, np, keep) if len(d["keys"]) == 1 else sweep_2d(d, plt, np, keep)
    foot = f"{os.path.basename(path)}: {len(d['status'])} points"
    if len(d["keys"]) > 2:
        foot += "; shown at the first value of " + ", ".join(d["keys"][2:])
    if not d["complete"]:
        foot += "; the sweep is not complete (complete = 0)"
    fig.text(0.01, 0.005, foot, fontsize=7.5, color="0.3")
    fig.tight_layout(rect=(0, 0.025, 1, 1))
    return fig


# ---- driver -----------------------------------------------------------------------------------

def main(kind, argv):
    args = parse_args(kind, argv)
    try:
        import numpy as np
        import h5py
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        print(f"{PROG}: error: {e}; run qledplot with Debian's /usr/bin/python3", file=sys.stderr)
        return 2
    group, command = ("/validation", "validate") if kind == "validation" else ("/sweep", "sweep")
    prefix = args.prefix or (args.input[:-3] if args.input.endswith(".h5") else args.input)
    outdir = os.path.dirname(prefix)
    if outdir and not os.path.isdir(outdir):
        print(f"{PROG}: error: output directory '{outdir}' does not exist", file=sys.stderr)
        return 2
    try:
        with open_h5(args.input, group, command, h5py) as f:
            try:
                d = read_validation(f, np) if kind == "validation" else read_sweep(f, np)
            except KeyError as e:
                raise InputError(f"{args.input}: incomplete {command} output ({e})")
    except InputError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return 1
    plt.rcParams.update({"font.size": 10, "savefig.facecolor": "white", "pdf.fonttype": 42})
    fig = (fig_validation if kind == "validation" else fig_sweep)(d, args.input, plt, np)
    out = f"{prefix}_{kind}.{args.format}"
    try:
        fig.savefig(out, format=args.format, dpi=args.dpi)
    except OSError as e:
        print(f"{PROG}: error: cannot write {out}: {e.strerror or e}", file=sys.stderr)
        return 2
    finally:
        plt.close(fig)
    print(out)
    return 0
