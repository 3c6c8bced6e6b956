"""The band figure (Ec, Ev, quasi-Fermi levels and carrier densities vs position at one bias):
methods of Plotter (plotter.py), which provides the helpers they call."""
from .common import DEFAULT_BAND_BIAS, DENSITY_FLOOR, InputError, warn


class BandFigures:
    # -------------------------------------------------------------------------------------
    def pick_fields(self):
        """(group name, V) of the field group for the band diagram, or None."""
        run = self.run
        if not run.fields:
            return None
        target = self.args.bias if self.args.bias is not None else DEFAULT_BAND_BIAS
        conv_v = set(float(v) for v, c in zip(run.V, run.converged) if c)
        # the nearest stored bias (explicit --bias) or the nearest converged one (default);
        # ties go to a converged point, then to the higher bias
        pool = run.fields if self.args.bias is not None else \
            ([f for f in run.fields if f[1] in conv_v] or run.fields)
        best = min(pool, key=lambda f: (abs(f[1] - target), f[1] not in conv_v, -f[1]))
        if self.args.bias is not None and abs(best[1] - target) > 1e-9:
            have = sorted(set(v for _, v in run.fields))
            span = f"{have[0]:g} to {have[-1]:g} V" if len(have) > 1 else f"{have[0]:g} V"
            warn(f"no fields stored at {target:g} V; using the nearest, {best[1]:g} V "
                 f"({len(have)} field group{'s' if len(have) > 1 else ''}, {span})")
        return best

    def fig_band(self, pick):
        plt, np, run = self.plt, self.np, self.run
        name, Vb = pick
        g = run.h5["/fields"][name]
        need = ("Ec", "Ev", "Efn", "Efp", "n", "p")
        missing = [k for k in need if k not in g]
        if missing:
            raise InputError(f"{run.path}: /fields/{name} lacks {', '.join(missing)}")
        if run.x is None:
            raise InputError(f"{run.path}: no /mesh/x and /mesh/layer for the band diagram")
        d = {k: np.asarray(g[k][()], float) for k in need}
        for k, a in d.items():
            if a.shape != run.x.shape:
                raise InputError(f"{run.path}: /fields/{name}/{k} has {a.shape[0]} entries, "
                                 f"/mesh/x has {run.x.shape[0]}")
        xn = run.x * 1e9
        fig, (ax, bx) = plt.subplots(2, 1, figsize=(8.4, 7.6), sharex=True, layout="constrained",
                                     height_ratios=(1.35, 1))
        # layers: shade and name
        lc = self.layer_colors()
        tr = self.blend(ax.transData, ax.transAxes)
        total = xn.max() - xn.min() if len(xn) else 1
        # layer names above the panel; a name wider than its layer goes on a second row when
        # its left neighbour's name is on the first
        width_nm = ax.get_position().width * fig.get_figwidth() * 72  # axes width in points
        row_end = [-1e30, -1e30]
        rows_used = 1
        for i, nm in enumerate(run.layer_names):
            sel = run.layer == i
            if not sel.any():
                continue
            a, b = xn[sel].min(), xn[sel].max()
            for axx in (ax, bx):
                axx.axvspan(a, b, color=lc[nm], alpha=0.10, lw=0, zorder=0)
                if i > 0:
                    axx.axvline(a, color="0.55", lw=0.7, zorder=1)
            fs = 9.5 if (b - a) > 0.1 * total else 8
            half = 0.5 * 0.75 * fs * len(nm) / width_nm * total + 0.01 * total  # in nm
            mid = 0.5 * (a + b)
            row = 0 if mid - half > row_end[0] else (1 if mid - half > row_end[1] else 0)
            row_end[row] = mid + half
            rows_used = max(rows_used, row + 1)
            ax.text(mid, 1.012 + 0.055 * row, nm, transform=tr, ha="center", va="bottom",
                    fontsize=fs, color=lc[nm], fontweight="bold")
        # energies: continuous lines through the double nodes, so band offsets are vertical steps
        ax.plot(xn, d["Ec"], color="#1f5fa8", lw=1.8, label="conduction band E$_c$ (LUMO)")
        ax.plot(xn, d["Ev"], color="#c0392b", lw=1.8, label="valence band E$_v$ (HOMO)")
        ax.plot(xn, d["Efn"], color="#1f5fa8", lw=1.3, ls="--",
                label="electron quasi-Fermi level E$_{Fn}$")
        ax.plot(xn, d["Efp"], color="#c0392b", lw=1.3, ls="--",
                label="hole quasi-Fermi level E$_{Fp}$")
        ax.set_ylabel("energy (eV, vacuum level = 0)")
        ax.grid(True, alpha=0.25)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8.5, borderaxespad=0)
        conv_here = any(abs(v - Vb) < 1e-12 and c for v, c in zip(run.V, run.converged))
        self.title(ax, f"band diagram at V = {Vb:.4g} V",
                   () if conv_here else ("not converged",))
        ax.set_title(ax.get_title(), pad=18 if rows_used == 1 else 32, fontsize=11)
        # contacts
        ax.annotate("anode", xy=(0, 0), xycoords="axes fraction", xytext=(3, 3),
                    textcoords="offset points", fontsize=8, color="0.3")
        ax.annotate("cathode", xy=(1, 0), xycoords="axes fraction", xytext=(-3, 3),
                    textcoords="offset points", fontsize=8, color="0.3", ha="right")
        # densities
        hs = []
        for k, col, lab in (("n", "#1f5fa8", "electron density n"),
                            ("p", "#c0392b", "hole density p")):
            v = np.where(np.isfinite(d[k]) & (d[k] > 0), d[k], np.nan)
            (h,) = bx.plot(xn, v, color=col, lw=1.5, label=lab)
            hs.append(h)
        vals = np.concatenate([d["n"], d["p"]])
        vals = vals[np.isfinite(vals) & (vals > 0)]
        if len(vals):
            bx.set_yscale("log")
            hi = vals.max() * 10
            lo = max(vals.min() / 3, DENSITY_FLOOR)
            if lo >= hi:
                lo = hi / 1e3
            bx.set_ylim(lo, hi)
            if vals.min() < DENSITY_FLOOR:
                hs.append(self.Line2D([], [], ls="none", marker="",
                                      label=f"values below {DENSITY_FLOOR:.0e} m$^{{-3}}$ clipped"))
        else:
            self.notice(bx, "no positive carrier densities")
        bx.set_ylabel("carrier density (m$^{-3}$)")
        bx.set_xlabel("position x from the anode (nm)")
        bx.grid(True, which="major", alpha=0.25)
        bx.legend(handles=hs, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8.5,
                  borderaxespad=0)
        if len(xn):
            bx.set_xlim(xn.min(), xn.max())
        self.footer(fig)
        return fig
