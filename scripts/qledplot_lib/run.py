"""Reading a `qledsim run` output file (HDF5) into the arrays the figures need."""
import math
import os

from .common import InputError


# ---------------------------------------------------------------------------------------------
# reading the file

def text_attr(attrs, key, default=None):
    if key not in attrs:
        return default
    v = attrs[key]
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if hasattr(v, "shape") and getattr(v, "shape", ()) == () and hasattr(v, "item"):
        v = v.item()
        if isinstance(v, bytes):
            return v.decode("utf-8", "replace")
    return str(v)


def float_attr(attrs, key):
    if key not in attrs:
        return float("nan")
    try:
        return float(attrs[key])
    except (TypeError, ValueError):
        try:
            return float(text_attr(attrs, key))
        except (TypeError, ValueError):
            return float("nan")


class Run:
    """The parts of a qledsim output that the figures need, as numpy arrays."""

    def __init__(self, path, np, h5py):
        self.path = path
        self.np = np
        if not os.path.exists(path):
            raise InputError(f"{path}: no such file")
        if os.path.isdir(path):
            raise InputError(f"{path}: is a directory, not a qledsim output file")
        try:
            if not h5py.is_hdf5(path):
                raise InputError(f"{path}: not an HDF5 file (expected the output of `qledsim run`)")
            self.h5 = h5py.File(path, "r")
        except InputError:
            raise
        except OSError as e:
            raise InputError(f"{path}: cannot open as HDF5: {e}")
        h = self.h5
        try:
            for need in ("/jv/V", "/jv/J"):
                if need not in h or not isinstance(h[need], h5py.Dataset):
                    raise InputError(f"{path}: not a qledsim run output (no dataset {need})")
            self.V = self._vec("/jv/V")
            n = len(self.V)
            self.J = self._vec("/jv/J", n)
            conv = self._vec("/jv/converged", n, default=None)
            self.converged = (np.ones(n, bool) if conv is None
                              else np.nan_to_num(conv, nan=0.0) != 0)
            self.arr = {k: self._vec("/jv/" + k, n, default=None)
                        for k in ("J_rad", "gamma", "EQE", "L", "CE", "PE",
                                  "leakage_n", "leakage_p")}
            self.reason = [""] * n
            if "/jv/reason" in h:
                r = h["/jv/reason"][()]
                if len(r) == n:
                    self.reason = [x.decode("utf-8", "replace").strip("\0 ")
                                   if isinstance(x, bytes) else str(x) for x in r]
            self.recomb = {}
            if "/jv/recombination" in h and isinstance(h["/jv/recombination"], h5py.Group):
                for name, ds in h["/jv/recombination"].items():
                    if isinstance(ds, h5py.Dataset):
                        self.recomb[name] = self._vec("/jv/recombination/" + name, n)
            self.summary = {}
            if "/summary" in h:
                self.summary = {k: h["/summary"].attrs[k] for k in h["/summary"].attrs}
            self.config_file = text_attr(h.attrs, "config_file", "")
            self.config = text_attr(h.attrs, "config", "") or ""
            self.version = text_attr(h.attrs, "qledsim_version", "")
            self.commit = text_attr(h.attrs, "git_commit", "")
            c = text_attr(h.attrs, "complete", "1")
            self.complete = c.strip() not in ("0", "False", "false")
            self._read_mesh()
            self._list_fields()
        except InputError:
            h.close()
            raise
        except (KeyError, OSError, ValueError, TypeError) as e:
            h.close()
            raise InputError(f"{path}: unreadable qledsim output: {e}")

    def close(self):
        self.h5.close()

    def _vec(self, path, n=None, default="error"):
        np = self.np
        if path not in self.h5:
            if default == "error":
                raise InputError(f"{self.path}: not a qledsim run output (no dataset {path})")
            return default
        a = self.h5[path][()]
        a = np.atleast_1d(np.asarray(a))
        if a.ndim != 1 or a.dtype.kind not in "fiub":
            raise InputError(f"{self.path}: {path} is not a 1-D numeric dataset")
        a = a.astype(float)
        if n is not None and len(a) != n:
            raise InputError(f"{self.path}: {path} has {len(a)} entries but /jv/V has {n}")
        return a

    def _read_mesh(self):
        h, np = self.h5, self.np
        self.x = self.layer = None
        self.layer_names = []
        if "/mesh/x" in h and "/mesh/layer" in h:
            self.x = np.asarray(h["/mesh/x"][()], float)
            self.layer = np.asarray(h["/mesh/layer"][()], int)
            if self.x.shape != self.layer.shape or self.x.ndim != 1:
                raise InputError(f"{self.path}: /mesh/x and /mesh/layer differ in shape")
            attrs = h["/mesh"].attrs
            nl = int(self.layer.max()) + 1 if len(self.layer) else 0
            self.layer_names = [text_attr(attrs, f"layer{i}", f"layer {i}") for i in range(nl)]

    def _list_fields(self):
        """[(group name, V)] of the stored field groups, in bias order of the file."""
        self.fields = []
        if "/fields" not in self.h5:
            return
        for name, g in self.h5["/fields"].items():
            if "V" in g.attrs:
                v = float_attr(g.attrs, "V")
                if math.isfinite(v):
                    self.fields.append((name, v))

    # -- derived quantities -----------------------------------------------------------------

    @property
    def device(self):
        if self.config_file:
            return os.path.basename(self.config_file)
        return os.path.basename(self.path)

    def s(self, key):
        """Summary attribute as a float (NaN if absent)."""
        v = self.summary.get(key)
        if v is None:
            return float("nan")
        try:
            return float(v)
        except (TypeError, ValueError):
            return float("nan")

    def has_emissive_layer(self):
        """From the resolved config: True / False, or None when unknown."""
        if not self.config:
            return None
        import re
        return re.search(r"^\s*emissive:\s*(true|yes|1)\s*$", self.config, re.M | re.I) is not None

    def not_converged(self):
        return [(self.V[i], self.reason[i]) for i in range(len(self.V)) if not self.converged[i]]
