"""The jvl (J and luminance vs bias) and eqe (EQE and current efficiency vs J) figures: methods
of Plotter (plotter.py), which provides the helpers they call."""
import math


class JvFigures:
    def fig_jvl(self):
        plt, np, run = self.plt, self.np, self.run
        fig, ax = plt.subplots(figsize=(7.4, 5.0), layout="constrained")
        V = run.V
        Jm = run.J * 0.1  # A/m^2 -> mA/cm^2
        L = run.arr["L"]
        cj, cl = "#1f5fa8", "#d62728"
        ax.set_xlabel("bias V (V)")
        ax.set_ylabel("current density J (mA/cm$^2$)", color=cj)
        ax.tick_params(axis="y", which="both", colors=cj)
        ax.grid(True, which="major", alpha=0.3)
        handles, notes = [], []
        wj = self.log_window(Jm, self.args.decades, place=0.7)
        hj, gj, hoj = self.series(ax, V, Jm, cj, "current density J", marker="o",
                                  log=wj is not None)
        if wj is not None:
            ax.set_yscale("log")
            ax.set_ylim(wj[0], wj[1])
            if wj[2]:
                notes.append(f"J < {wj[3]:.1e} mA/cm$^2$ not shown ({wj[2]} points)")
        elif not self.nodata:
            self.notice(ax, "no positive current density to plot", y=0.6)
        if hj is not None:
            handles.append(hj)

        ax2 = ax.twinx()
        ax2.set_ylabel("luminance L (cd/m$^2$)", color=cl)
        ax2.tick_params(axis="y", which="both", colors=cl)
        any_hollow = hoj.any()
        L_on = run.s("turn_on_luminance")
        if not math.isfinite(L_on):
            L_on = 1.0
        wl = self.log_window(L, self.args.decades, floor=0.01 * L_on, place=0.3) if L is not None else None
        V_on = run.s("V_on")
        if wl is not None:
            ax2.set_yscale("log")
            lo_l = min(wl[0], L_on / 2.5) if math.isfinite(V_on) else wl[0]
            ax2.set_ylim(lo_l, wl[1])
            hl, gl, hol = self.series(ax2, V, L, cl, "luminance L", marker="s", log=True)
            if hl is not None:
                handles.append(hl)
            any_hollow |= hol.any()
            if wl[2]:
                notes.append(f"L < {wl[3]:.2g} cd/m$^2$ not shown ({wl[2]} points)")
        else:
            ax2.set_yticks([])
            if self.nodata:
                self.notice(ax, self.nodata)
            else:
                why = ("no emissive layer in this device" if run.has_emissive_layer() is False
                       else "L = 0 or undefined at every point")
                self.notice(ax, f"no light emission: {why}\n(luminance, turn-on voltage: n/a)",
                            y=0.62)

        # turn-on voltage
        if wl is not None:
            if math.isfinite(V_on):
                ax.axvline(V_on, color="0.35", ls=":", lw=1.2, zorder=1)
                (hv,) = ax2.plot([V_on], [L_on], ls="none", marker="*", ms=14, color="#ffb000",
                                 mec="k", mew=0.7, zorder=6,
                                 label=f"turn-on V$_{{on}}$ = {V_on:.2f} V (L = {L_on:g} cd/m$^2$)")
                handles.append(hv)
                ax2.annotate(f"V$_{{on}}$ = {V_on:.2f} V", xy=(V_on, L_on), xytext=(10, 0),
                             textcoords="offset points", ha="left", va="center", fontsize=9,
                             bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="0.6", alpha=0.9),
                             zorder=7)
            else:
                notes.append(f"turn-on (L = {L_on:g} cd/m$^2$): not reached in the sweep")
        handles += self.convergence_handles(any_hollow)
        nneg = int(np.sum(np.isfinite(run.J) & (run.J < 0)))
        if nneg:
            notes.append(f"{nneg} points with J < 0 not shown (log axis)")
        handles += [self.Line2D([], [], ls="none", marker="", label=t) for t in notes]
        if handles:
            ax2.legend(handles=handles, loc="lower right", fontsize=8.5, framealpha=0.92)
        self.set_vlim(ax, V)
        self.title(ax, "current density and luminance vs bias")
        self.footer(fig)
        return fig

    # -------------------------------------------------------------------------------------
    def fig_eqe(self):
        plt, np, run = self.plt, self.np, self.run
        fig, ax = plt.subplots(figsize=(7.4, 5.0), layout="constrained")
        Jm = run.J * 0.1
        EQE = run.arr["EQE"]
        CE = run.arr["CE"]
        ce_, cc_ = "#d62728", "#2a7f62"
        ax.set_xlabel("current density J (mA/cm$^2$)")
        ax.set_ylabel("external quantum efficiency EQE (%)", color=ce_)
        ax.tick_params(axis="y", colors=ce_)
        ax.grid(True, which="major", alpha=0.3)
        ax2 = ax.twinx()
        ax2.set_ylabel("current efficiency CE (cd/A)", color=cc_)
        ax2.tick_params(axis="y", colors=cc_)
        jpos = np.isfinite(Jm) & (Jm > 0)
        wj = self.log_window(Jm, self.args.decades)
        notes = []
        if wj is not None:
            ax.set_xscale("log")
            ax.set_xlim(wj[0], wj[1])
            if wj[2]:
                notes.append(f"J < {wj[3]:.1e} mA/cm$^2$ not shown ({wj[2]} points)")
        eqe_pct = EQE * 100 if EQE is not None else np.full_like(Jm, np.nan)
        ce = CE if CE is not None else np.full_like(Jm, np.nan)
        x = np.where(jpos, Jm, np.nan)
        emits = np.any(jpos & np.isfinite(eqe_pct) & (eqe_pct > 0))
        handles = []
        any_hollow = False
        if emits:
            he, _, hoe = self.series(ax, x, eqe_pct, ce_, "EQE", marker="o")
            hc, _, hoc = self.series(ax2, x, ce, cc_, "current efficiency", marker="s", ls="--",
                                     ms=3)
            handles += [h for h in (he, hc) if h is not None]
            any_hollow = hoe.any() or hoc.any()
            emax = np.nanmax(np.where(jpos & run.converged, eqe_pct, np.nan)) \
                if np.any(jpos & run.converged & np.isfinite(eqe_pct)) else np.nanmax(eqe_pct[jpos])
            cmax = np.nanmax(np.where(jpos, ce, np.nan)) if np.any(jpos & np.isfinite(ce)) else 1
            # different head room so the two (proportional) curves do not sit on each other
            # (and room for the legend at the top)
            ax.set_ylim(0, 1.5 * emax)
            ax2.set_ylim(0, 1.8 * (cmax if cmax > 0 else 1))
            # EQE maximum (summary: over converged points with L >= 1 cd/m^2)
            L_on = run.s("turn_on_luminance")
            L_on = L_on if math.isfinite(L_on) else 1.0
            if "EQE_max" in run.summary:
                E_max, J_at, V_at = run.s("EQE_max") * 100, run.s("J_at_EQE_max") * 0.1, \
                    run.s("V_at_EQE_max")
            else:  # older file without a summary: maximum over the converged points
                k = int(np.nanargmax(np.where(jpos & run.converged & np.isfinite(eqe_pct),
                                              eqe_pct, -np.inf)))
                E_max, J_at, V_at = eqe_pct[k], Jm[k], run.V[k]
            if math.isfinite(E_max) and math.isfinite(J_at) and J_at > 0:
                (hm,) = ax.plot([J_at], [E_max], ls="none", marker="*", ms=15, color="#ffb000",
                                mec="k", mew=0.7, zorder=6,
                                label=f"EQE$_{{max}}$ = {E_max:#.3g} % at {J_at:.3g} mA/cm$^2$, "
                                      f"{V_at:#.3g} V")
                handles.append(hm)
                lo, hi = (math.log10(v) for v in ax.get_xlim())
                frac = (math.log10(J_at) - lo) / (hi - lo) if hi > lo else 0.5
                ha = "right" if frac > 0.8 else ("left" if frac < 0.2 else "center")
                ax.annotate(f"EQE$_{{max}}$ = {E_max:#.3g} %", xy=(J_at, E_max), xytext=(0, 14),
                            textcoords="offset points", ha=ha, va="bottom", fontsize=9,
                            bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="0.6",
                                      alpha=0.9))
            else:
                notes.append(f"EQE$_{{max}}$: n/a (L < {L_on:g} cd/m$^2$ at every converged "
                             "point)")
            # below turn-on: shade where L < 1 cd/m^2
            J_on = run.s("J_at_V_on") * 0.1
            left = ax.get_xlim()[0]
            if math.isfinite(J_on) and J_on > left:
                ax.axvspan(left, J_on, color="0.88", zorder=0, lw=0)
                handles.append(plt.Rectangle((0, 0), 1, 1, fc="0.88", ec="none",
                                             label=f"L < {L_on:g} cd/m$^2$ (below turn-on)"))
                ax.set_xlim(left=left)
        else:
            ax.set_ylim(0, 1)
            ax2.set_ylim(0, 1)
            notes = []
            if self.nodata:
                self.notice(ax, self.nodata)
            else:
                why = ("this device has no emissive layer" if run.has_emissive_layer() is False
                       else "no light at any converged point")
                self.notice(ax, f"No light emission: {why}.\nEQE and current efficiency are "
                                "zero or undefined; nothing to plot.")
        handles += self.convergence_handles(any_hollow)
        handles += [self.Line2D([], [], ls="none", marker="", label=t) for t in notes]
        if handles:
            ax2.legend(handles=handles, loc="upper left", fontsize=8.5, framealpha=0.92)
        self.title(ax, "efficiency vs current density")
        self.footer(fig)
        return fig
