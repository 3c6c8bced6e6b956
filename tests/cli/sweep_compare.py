"""Compare two qledsim sweep files result by result (imported by the test_sweep* scripts).

Result datasets are everything under /sweep except the run-dependent wall_time and rank; they
must be equal bit for bit (NaN equal to NaN in the same place): each point is computed alone on
PETSC_COMM_SELF from the same config text by the same binary, single-threaded, so its floating
point operations are the same whichever rank, run or chunk computes it."""
import h5py
import numpy as np

RUN_DEPENDENT = {"wall_time", "rank"}


def datasets(f):
    out = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset) and name.split("/")[-1] not in RUN_DEPENDENT:
            out[name] = obj[()]
    f["/sweep"].visititems(visit)
    return out


def same_array(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape or a.dtype.kind != b.dtype.kind:
        return False
    if a.dtype.kind == "f":
        return a.tobytes() == b.tobytes()
    return np.array_equal(a, b)


def compare(path_a, path_b, only_done_in=None):
    """List of differences between the result datasets of two sweep files (empty = equal)."""
    diffs = []
    with h5py.File(path_a, "r") as a, h5py.File(path_b, "r") as b:
        body = lambda t: t.split("\n", 1)[1]
        if body(a.attrs["config"]) != body(b.attrs["config"]):
            diffs.append("root attribute config differs")
        if a.attrs["vary"] != b.attrs["vary"]:
            diffs.append("root attribute vary differs")
        da, db = datasets(a), datasets(b)
        for k in sorted(set(da) | set(db)):
            if k not in da or k not in db:
                diffs.append(f"/sweep/{k} only in {path_a if k in da else path_b}")
            elif not same_array(da[k], db[k]):
                diffs.append(f"/sweep/{k} differs")
    return diffs


def units_everywhere(path):
    missing = []
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and "units" not in obj.attrs:
                missing.append(name)
        f.visititems(visit)
    return missing


# ---- helpers shared by the test_sweep* scripts ------------------------------------------------
import os
import subprocess

QLEDSIM = os.environ.get("QLEDSIM", "qledsim")
DATA = os.environ.get("QLEDSIM_TESTDATA", "")
MPI_ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
               OMPI_MCA_rmaps_base_oversubscribe="1", OMP_NUM_THREADS="1")


def small_device(step="0.5V"):
    """The three-layer test stack made fast: 300 nodes, 0..3 V."""
    cfg = os.path.join(DATA, "devices", "three_layer.yaml")
    return [cfg, "--set", "mesh.nodes=300", "--set", "sweep.to=3V", "--set", f"sweep.step={step}"]


def run(args, ranks=0, env=None, timeout=300):
    """qledsim args; under `mpirun -n ranks` when ranks > 0."""
    cmd = [QLEDSIM] + args
    if ranks:
        cmd = ["mpirun", "-n", str(ranks)] + cmd
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout,
                          env=env or MPI_ENV)


def remove(*paths):
    for p in paths:
        for q in (p, p + ".journal"):
            if os.path.exists(q):
                os.remove(q)


class Checker:
    def __init__(self):
        self.failures = 0

    def __call__(self, cond, msg):
        if not cond:
            self.failures += 1
            print("FAIL:", msg, flush=True)
        return cond

    def done(self, name):
        print(f"{name}: {'FAILED' if self.failures else 'ok'} ({self.failures} failures)")
        raise SystemExit(1 if self.failures else 0)
