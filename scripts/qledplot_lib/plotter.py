"""The Plotter: the helpers every figure uses (series with hollow non-converged points, legend
entries, titles, footer, notices, layer colours, log-axis windows), with the figures themselves
mixed in from fig_jv.py, fig_gamma.py and fig_band.py."""
import math
import os

from .fig_band import BandFigures
from .fig_gamma import GammaFigures
from .fig_jv import JvFigures


# ---------------------------------------------------------------------------------------------
# plotting helpers

class Plotter(JvFigures, GammaFigures, BandFigures):
    def __init__(self, run, args, plt, np):
        self.run, self.args, self.plt, self.np = run, args, plt, np
        from matplotlib.lines import Line2D
        from matplotlib.transforms import blended_transform_factory
        self.Line2D = Line2D
        self.blend = blended_transform_factory

    # a series vs x: converged points with line and filled markers, non-converged points with
    # values as hollow markers; returns (handle or None, flags)
    def series(self, ax, x, y, color, label, marker="o", ms=3.5, log=False, ls="-", lw=1.6,
               zorder=3):
        np = self.np
        conv = self.run.converged
        ok = np.isfinite(x) & np.isfinite(y)
        if log:
            ok &= y > 0
        good = ok & conv
        hollow = ok & ~conv
        h = None
        if good.any():
            yy = np.where(good, y, np.nan)
            (h,) = ax.plot(x, yy, ls=ls, lw=lw, color=color, marker=marker, ms=ms, label=label,
                           zorder=zorder)
        if hollow.any():
            ax.plot(x[hollow], y[hollow], ls="none", marker=marker, ms=ms + 2.5, mfc="none",
                    mec=color, mew=1.2, zorder=zorder)
            if h is None:  # nothing converged: still give the legend an entry
                h = self.Line2D([], [], ls="none", marker=marker, ms=ms + 2.5, mfc="none",
                                mec=color, label=label)
        return h, good, hollow

    def convergence_handles(self, any_hollow):
        """Legend entries explaining how non-converged points appear."""
        np = self.np
        run = self.run
        out = []
        nc = ~run.converged
        if any_hollow:
            out.append(self.Line2D([], [], ls="none", marker="o", ms=6, mfc="none", mec="0.3",
                                   label="hollow: not converged"))
        n_omit = int(np.sum(nc & ~np.isfinite(run.J)))
        if n_omit:
            out.append(self.Line2D([], [], ls="none", marker="", label=(
                f"{n_omit} point{'s' if n_omit > 1 else ''} not converged, no result: omitted")))
        return out

    @property
    def nodata(self):
        """Text for figures of a file without a single converged point with a current."""
        np, run = self.np, self.run
        if np.any(run.converged & np.isfinite(run.J)):
            return None
        n = len(run.V)
        if n == 0:
            return "no bias points in this file: nothing to plot"
        reasons = sorted(set(r for c, r in zip(run.converged, run.reason) if not c and r))
        why = f"\n(solver: {'; '.join(reasons[:2])})" if reasons else ""
        return (f"no converged bias point: nothing to plot\n"
                f"{int(np.sum(~run.converged))} of {n} points did not converge{why}")

    def title(self, ax, what, flags=()):
        run = self.run
        flags = list(flags) + ([] if run.complete else ["incomplete run"])
        t = f"{run.device}: {what}" + (f" ({'; '.join(flags)})" if flags else "")
        ax.set_title(t, fontsize=11)

    def footer(self, fig):
        run = self.run
        bits = [os.path.basename(run.path)]
        if run.x is not None and run.layer_names:
            th = []
            for i, nm in enumerate(run.layer_names):
                sel = run.layer == i
                if sel.any():
                    th.append(f"{nm} {(run.x[sel].max() - run.x[sel].min()) * 1e9:.3g}")
            bits.append("stack " + " / ".join(th) + " nm")
        if run.version:
            bits.append(f"qledsim {run.version}" + (f" ({run.commit})" if run.commit else ""))
        # keep a strip at the bottom free for this line (figure height in inches -> fraction)
        strip = 0.16 / fig.get_figheight()
        try:
            fig.get_layout_engine().set(rect=(0, strip, 1, 1 - strip))  # (left, bottom, w, h)
        except (AttributeError, TypeError):
            pass
        fig.text(0.995, 0.004, ", ".join(bits), ha="right", va="bottom", fontsize=6.5,
                 color="0.45")

    def notice(self, ax, text, y=0.5):
        ax.text(0.5, y, text, transform=ax.transAxes, ha="center", va="center", fontsize=10,
                color="0.2", bbox=dict(boxstyle="round,pad=0.5", fc="#fff6e0", ec="#d9a300"),
                zorder=10, wrap=True)

    def layer_colors(self):
        names = self.run.layer_names
        base = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3",
                "#8c8c8c", "#ccb974", "#64b5cd"]
        return {nm: base[i % len(base)] for i, nm in enumerate(names)}

    # -------------------------------------------------------------------------------------
    def log_window(self, values, decades, floor=None, place=0.5):
        """(axis lo, axis hi, number clipped, data lo) of a log axis for the positive finite
        values: at most `decades` decades below the maximum (0: no limit), not below floor
        when brighter values exist; None if nothing to show. A range narrower than a decade is
        widened to three decades with the data at height `place` (0 bottom .. 1 top), so that
        two such curves on twin axes do not hide each other."""
        np = self.np
        v = np.asarray(values, float)
        v = v[np.isfinite(v) & (v > 0)]
        if not len(v):
            return None
        hi = v.max()
        lo = v.min()
        if decades:
            lo = max(lo, hi / 10.0 ** decades)
        if floor is not None and hi > 10 * floor:
            lo = max(lo, floor)
        clipped = int(np.sum(v < lo * (1 - 1e-12)))
        if hi < 10 * lo:
            mid = math.sqrt(lo * hi)
            lo_ax, hi_ax = mid / 10 ** (3 * place), mid * 10 ** (3 * (1 - place))
        else:
            lo_ax, hi_ax = lo / 2.5, hi * 2.5
        return lo_ax, hi_ax, clipped, lo

    def set_vlim(self, ax, V):
        np = self.np
        f = V[np.isfinite(V)]
        if len(f):
            lo, hi = float(f.min()), float(f.max())
            pad = 0.03 * (hi - lo) if hi > lo else 0.5
            ax.set_xlim(lo - pad, hi + pad)

    @staticmethod
    def wrap_list(items, width=40):
        lines, cur = [], ""
        for it in items:
            add = (", " if cur else "") + it
            if cur and len(cur) + len(add) > width:
                lines.append(cur + ",")
                cur = it
            else:
                cur += add
        lines.append(cur)
        return "\n".join(lines)
