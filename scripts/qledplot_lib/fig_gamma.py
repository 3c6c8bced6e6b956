"""The gamma figure (charge balance vs bias, and where the terminal current goes as fractions
of J): methods of Plotter (plotter.py), which provides the helpers they call."""
from .common import FRACTION_FLOOR


class GammaFigures:
    # -------------------------------------------------------------------------------------
    def channels(self):
        """Where the terminal current goes, in order from anode to cathode:
        [(label, short name, values [A/m^2], colour, linestyle, marker)]."""
        run = self.run
        names = run.layer_names
        lc = self.layer_colors()
        iface_colors = ["#8e44ad", "#a0522d", "#e377c2", "#222222", "#7f7f7f"]
        markers = "os^Dv<>ph"

        def where(name):
            if "|" in name:
                left = name.split("|", 1)[0]
                return (names.index(left) + 0.5 if left in names else 1e6, name)
            return (names.index(name) if name in names else 1e6, name)

        out = []
        if run.arr["leakage_n"] is not None:
            out.append(("electrons leaving through the anode (leakage)", "electron leakage",
                        run.arr["leakage_n"], "#17becf", "-.", "x"))
        nl = ni = 0
        for name in sorted(run.recomb, key=where):
            if "|" in name:
                out.append((f"recombination across {name.replace('|', ' | ')}",
                            f"across {name.replace('|', ' | ')}", run.recomb[name],
                            iface_colors[ni % len(iface_colors)], "--", "D"))
                ni += 1
            else:
                out.append((f"recombination in {name}", f"in {name}", run.recomb[name],
                            lc.get(name, f"C{nl}"), "-", markers[nl % len(markers)]))
                nl += 1
        if run.arr["leakage_p"] is not None:
            out.append(("holes leaving through the cathode (leakage)", "hole leakage",
                        run.arr["leakage_p"], "#bcbd22", "-.", "+"))
        return out

    def fig_gamma(self):
        plt, np, run = self.plt, self.np, self.run
        V, J = run.V, run.J
        chans = self.channels()
        if chans:
            fig, (ax, bx) = plt.subplots(2, 1, figsize=(8.6, 7.2), sharex=True,
                                         layout="constrained", height_ratios=(1, 1.7))
        else:
            fig, ax = plt.subplots(figsize=(8.6, 4.4), layout="constrained")
            bx = None
        # -- charge balance
        g = run.arr["gamma"]
        ax.set_ylabel("charge balance $\\gamma$ (1)")
        ax.grid(True, alpha=0.3)
        handles = []
        any_hollow = False
        if g is not None and np.any(np.isfinite(g)):
            gmax = np.nanmax(g)
            log = gmax < 0.05 and np.any(g > 0)
            if log:
                ax.set_yscale("log")
            h, _, ho = self.series(ax, V, g, "#6a3d9a",
                                   "$\\gamma$ = q (recombination in\nemissive regions) / J",
                                   log=log)
            any_hollow = bool(ho.any())
            if h is not None:
                handles.append(h)
            if not log:
                ax.set_ylim(0, max(1.05, 1.05 * gmax))
                ax.axhline(1, color="0.5", lw=0.8, ls=":")
        else:
            ax.set_ylim(0, 1.05)
            if self.nodata:
                self.notice(ax, self.nodata)
            else:
                why = ("no emissive layer in this device" if run.has_emissive_layer() is False
                       else "no current or no emissive region at any point")
                self.notice(ax, f"charge balance $\\gamma$ undefined:\n{why}")
        self.title(ax, "charge balance and where the current goes")
        if bx is None:
            handles += self.convergence_handles(any_hollow)
            if handles:
                ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1),
                          fontsize=8.5, borderaxespad=0)
            ax.set_xlabel("bias V (V)")
            self.notice(ax, "no recombination split (/jv/recombination) in this file", y=0.15)
            self.set_vlim(ax, V)
            self.footer(fig)
            return fig
        if handles:
            ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8.5,
                      borderaxespad=0)

        # -- current split as fractions of J
        bx.set_xlabel("bias V (V)")
        bx.set_ylabel("fraction of the terminal current J (1)")
        bx.grid(True, which="major", alpha=0.3)
        jok = np.isfinite(J) & (J > 0)
        total = np.zeros_like(J)
        below, negatives, hs, drawn = [], [], [], []
        with np.errstate(divide="ignore", invalid="ignore"):
            for label, short, val, col, ls, mk in chans:
                total = total + np.where(np.isfinite(val), val, 0.0)
                fr = np.where(jok, val / J, np.nan)
                finite = np.isfinite(fr)
                if not finite.any():
                    continue
                if np.any(fr[finite] <= -FRACTION_FLOOR):
                    negatives.append(short)
                if not np.any(fr[finite] >= FRACTION_FLOOR):
                    below.append(short)
                    continue
                pos = np.where(fr > 0, fr, np.nan)
                h, good, ho = self.series(bx, V, pos, col, label, marker=mk, ms=3.5, ls=ls,
                                          log=True, lw=1.5)
                any_hollow |= bool(ho.any())
                if h is not None:
                    hs.append(h)
                    drawn.append(pos[good | ho])
            tot = np.where(jok, total / J, np.nan)
        if np.any(np.isfinite(tot)):
            (ht,) = bx.plot(V, tot, color="k", lw=0.9, ls=":", zorder=2,
                            label="sum of all channels (should be 1)")
            hs.append(ht)
            drawn.append(tot)
        vals = np.concatenate(drawn) if drawn else np.array([])
        vals = vals[np.isfinite(vals) & (vals > 0)]
        if len(vals):
            bx.set_yscale("log")
            bx.set_ylim(max(FRACTION_FLOOR, vals.min() / 3), max(2.0, vals.max() * 2))
        elif not self.nodata:
            self.notice(bx, "no positive current: nothing to split")
        if below:
            hs.append(self.Line2D([], [], ls="none", marker="", label=(
                f"below {FRACTION_FLOOR:.0e} of J at every bias\n(not drawn): " +
                self.wrap_list(below))))
        if negatives:
            hs.append(self.Line2D([], [], ls="none", marker="", label=(
                "negative (net generation) at some biases,\nnot drawn there: " +
                self.wrap_list(negatives))))
        hs += self.convergence_handles(any_hollow)
        bx.legend(handles=hs, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8,
                  borderaxespad=0)
        self.set_vlim(bx, V)
        self.footer(fig)
        return fig
