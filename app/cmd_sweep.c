/* qledsim sweep: simulate a config over a grid of values of config keys; under mpirun the points
 * are spread dynamically over the ranks (app/sweep_mpi.h); rank 0 writes one HDF5 file and a
 * journal (app/sweep_journal.c), so that nothing finished is lost when the run is killed, and
 * --resume completes it. See README.md (Parameter sweeps) for the command line and the layout. */
#include "app/cli.h"
#include "app/interrupt.h"
#include "app/output.h"
#include "app/session.h"
#include "app/sweep.h"
#include "app/sweep_mpi.h"

#include <math.h>
#include <petscsys.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/file.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define GO (-1) /* sw_bcast_int value: set-up done, start computing */

typedef struct {
  cli_args *a;
  int rank, size, threaded;
  MPI_Comm comm;
  cfg_config base;
  int have_base;
  sw_grid grid;
  sw_ident id;
  char *outpath, *jpath, *cmdline, *vary_spec;
  char *lock_path; /* rank 0's writer lock, held on lock_fd (-1: none) */
  int lock_fd;
  /* rank 0 */
  sw_out out;
  int out_open;
  sw_journal *journal;
  sw_sched *sched;
  long *todo, ntodo, pos;
  long done_now, failed_now;
  int tty, progress;
  double t_start, last_line;
  int io_failed;
  qs_err io_err;
} sweep_ctx;

static int exists(const char *p) {
  struct stat st;
  return stat(p, &st) == 0;
}

static char *default_output(const char *config) {
  const char *src = config ? config : "red.yaml";
  const char *base = strrchr(src, '/');
  base = base ? base + 1 : src;
  size_t n = strlen(base);
  const char *dot = strrchr(base, '.');
  if (dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml"))) n = (size_t)(dot - base);
  char *out = malloc(n + 16);
  if (out) snprintf(out, n + 16, "%.*s_sweep.h5", (int)n, base);
  return out;
}

static int parse_chunk(const char *s, int *i, int *n) {
  *i = 0;
  *n = 1;
  if (!s) return 0;
  char *end;
  long a = strtol(s, &end, 10);
  if (end == s || *end != '/') return 1;
  const char *t = end + 1;
  long b = strtol(t, &end, 10);
  if (end == t || *end || b < 1 || b > 1000000 || a < 0 || a >= b) return 1;
  *i = (int)a;
  *n = (int)b;
  return 0;
}

/* Everything every rank needs: base config, grid, identity. Returns an exit status or 0. */
static int setup(sweep_ctx *c) {
  cli_args *a = c->a;
  FILE *msg = c->rank == 0 ? stderr : NULL;
  qs_err err;
  if (cfg_load(a->config, a->sets, a->nsets, &c->base, &err)) {
    if (msg) fprintf(msg, "qledsim: error: %s\n", err.msg);
    return CLI_EXIT_INPUT;
  }
  c->have_base = 1;
  if (parse_chunk(a->chunk, &c->id.chunk_i, &c->id.chunk_n)) {
    if (msg)
      fprintf(msg, "qledsim: error: --chunk '%s': expected i/N with 0 <= i < N, e.g. "
                   "--chunk 0/4 (point k belongs to chunk k mod N)\n", a->chunk);
    return CLI_EXIT_INPUT;
  }
  if (a->resume && a->force) {
    if (msg) fprintf(msg, "qledsim: error: give either --resume (continue the file) or --force "
                          "(start it again), not both\n");
    return CLI_EXIT_INPUT;
  }
  /* only rank 0 tries every value on the config: its verdict is the one that counts */
  if (sw_grid_build(a->config, &c->base, a->sets, a->nsets, a->varies, a->nvaries, c->rank == 0,
                    msg, &c->grid, &err)) {
    if (msg) fprintf(msg, "qledsim: error: %s\n", err.msg);
    return CLI_EXIT_INPUT;
  }
  const dev_device *d = &c->base.dev;
  c->id.config = cfg_resolved_yaml(&c->base);
  c->id.config_file = strdup(c->base.path);
  c->id.layers = calloc((size_t)d->nlayers + 1, sizeof(char *));
  c->id.nlayers = d->nlayers;
  for (int l = 0; c->id.layers && l < d->nlayers; l++)
    c->id.layers[l] = strdup(d->layers[l].name);
  c->id.petsc_options = session_command_line(a->petsc_argc - 1, a->petsc_argv + 1);
  c->outpath = a->output ? strdup(a->output) : default_output(a->config);
  c->cmdline = NULL;
  size_t jl = c->outpath ? strlen(c->outpath) + 16 : 0, vl = 1;
  c->jpath = c->outpath ? malloc(jl) : NULL;
  if (c->jpath) snprintf(c->jpath, jl, "%s.journal", c->outpath);
  for (int i = 0; i < c->grid.naxes; i++)
    vl += strlen(c->grid.axes[i].key) + strlen(c->grid.axes[i].spec) +
          strlen(c->grid.axes[i].origin) + 8;
  if ((c->vary_spec = malloc(vl))) {
    c->vary_spec[0] = '\0';
    for (int i = 0; i < c->grid.naxes; i++)
      sprintf(c->vary_spec + strlen(c->vary_spec), "%s=%s (%s)\n", c->grid.axes[i].key,
              c->grid.axes[i].spec, c->grid.axes[i].origin);
  }
  if (!c->id.config || !c->id.config_file || !c->id.layers || !c->id.petsc_options ||
      !c->outpath || !c->jpath || !c->vary_spec) {
    if (msg) fprintf(msg, "qledsim: error: out of memory\n");
    return CLI_EXIT_RUNTIME;
  }
  for (int l = 0; l < d->nlayers; l++)
    if (!c->id.layers[l]) return CLI_EXIT_RUNTIME;
  return 0;
}

/* ---- rank 0: storing results, progress --------------------------------------------------- */

static void fmt_time(double s, char *buf, size_t len) {
  if (!isfinite(s) || s < 0) snprintf(buf, len, "--:--");
  else if (s < 3600) snprintf(buf, len, "%d:%02d", (int)s / 60, (int)s % 60);
  else snprintf(buf, len, "%d:%02d:%02d", (int)s / 3600, ((int)s / 60) % 60, (int)s % 60);
}

static void show_progress(sweep_ctx *c, int last) {
  if (!c->tty && !c->progress) return;
  const double now = output_now(), el = now - c->t_start;
  if (!c->tty && !last && now - c->last_line < 10.0 && c->done_now > 1) return;
  c->last_line = now;
  char e[32], r[32];
  fmt_time(el, e, sizeof(e));
  const long left = c->ntodo - c->done_now;
  fmt_time(c->done_now ? el / c->done_now * left : NAN, r, sizeof(r));
  const long total = c->out.nchunk, done = c->out.ndone;
  fprintf(stderr, "%ssweep: %ld/%ld points done, %ld failed, elapsed %s, ETA %s%s",
          c->tty ? "\r  " : "qledsim: ", done, total, c->out.nfailed + c->out.nunconverged, e,
          last ? "0:00" : r, c->tty ? "   " : "\n");
  if (c->tty && last) fprintf(stderr, "\n");
}

static void table_row(sweep_ctx *c, const sw_result *r) {
  if (c->a->quiet) return;
  if (c->tty) fprintf(stderr, "\r%78s\r", ""); /* clear the progress line */
  int idx[64];
  sw_grid_index(&c->grid, r->index, idx);
  printf("%7ld", r->index);
  for (int a = 0; a < c->grid.naxes; a++)
    printf("  %14s", c->grid.axes[a].text[idx[a]]);
  static const char *const st[] = {"failed", "pending", "ok", "unconv"};
  const double eqe = r->fig[2] * 100;
  printf("  %-6s  %7.3f  %7.3f  %7.4f  %6d  %7.2f  %4d\n", st[r->status + 1], r->fig[0], eqe,
         r->fig[7], r->newton_iterations, r->wall_time, r->rank);
  fflush(stdout);
}

static int io_fail(sweep_ctx *c, const qs_err *e) {
  if (!c->io_failed) c->io_err = *e;
  c->io_failed = 1;
  if (c->sched) sw_sched_cancel(c->sched);
  return 1;
}

/* A finished point: journal (fsync'd) first, then the HDF5 image, progress, checkpoint. */
static int store(sweep_ctx *c, const sw_result *r, const unsigned char *packed, size_t len) {
  if (c->io_failed) return 1;
  if (r->index < 0 || r->index >= c->grid.npoints || c->out.have[r->index]) return 0;
  if (sw_journal_add(c->journal, packed, len, &c->io_err)) return io_fail(c, &c->io_err);
  if (sw_out_put(&c->out, r)) return io_fail(c, &c->out.err);
  c->done_now++;
  c->failed_now += r->status != SW_OK;
  table_row(c, r);
  show_progress(c, 0);
  if (sw_out_checkpoint(&c->out, 0)) return io_fail(c, &c->out.err);
  return 0;
}

static int store_packed(sweep_ctx *c, const unsigned char *buf, size_t len) {
  sw_result r;
  if (sw_result_unpack(buf, len, &r)) {
    qs_err e;
    qs_fail(&e, QS_ERR_OTHER, "internal error: a malformed result message arrived");
    return io_fail(c, &e);
  }
  int rc = store(c, &r, buf, len);
  sw_result_free(&r);
  return rc;
}

static int store_own(sweep_ctx *c, const sw_result *r) {
  unsigned char *buf;
  size_t len;
  if (sw_result_pack(r, &buf, &len)) {
    qs_err e;
    qs_fail(&e, QS_ERR_OTHER, "out of memory");
    return io_fail(c, &e);
  }
  int rc = store(c, r, buf, len);
  free(buf);
  return rc;
}

/* Between rank 0's own bias points: write what the workers sent; checkpoint when due. */
static int drain(void *user) {
  sweep_ctx *c = user;
  unsigned char *buf;
  size_t len;
  while (c->sched && sw_sched_pop(c->sched, &buf, &len)) {
    store_packed(c, buf, len);
    free(buf);
  }
  if (!c->io_failed && sw_out_checkpoint(&c->out, 0)) io_fail(c, &c->out.err);
  return c->io_failed || interrupt_caught();
}

/* A resumed point (from the old file or the journal). */
static int keep(void *user, const sw_result *r) {
  sweep_ctx *c = user;
  if (r->index < 0 || r->index >= c->grid.npoints) return 0;
  if (!c->out.have[r->index] && sw_out_put(&c->out, r)) return c->out.err.cls;
  return 0;
}

/* ---- rank 0: set-up of the output (new, or resumed) ----------------------------------------- */

/* Exit status from the counts of the file. */
static int status_of(const sweep_ctx *c) {
  return (c->out.nfailed || c->out.nunconverged) ? CLI_EXIT_UNCONVERGED : CLI_OK;
}


/* One writer per sweep file: an exclusive lock on OUT.h5.lock, held until the sweep ends (the
 * kernel drops it even on kill -9). A second sweep into the same file, e.g. a resubmitted job
 * while a killed one's ranks are still exiting, stops with a clear message instead of racing
 * the first one for the journal. The lock file is removed at the end while still held
 * (unlock_output), so a lock that is taken must still be the file at that path: otherwise its
 * holder removed it meanwhile, and the lock is taken again on the new file (two writers never
 * hold locks on different files). */
static int lock_output(sweep_ctx *c) {
  const size_t n = strlen(c->outpath) + sizeof(".lock");
  if (!(c->lock_path = malloc(n))) return CLI_EXIT_RUNTIME;
  snprintf(c->lock_path, n, "%s.lock", c->outpath);
  for (int attempt = 0; attempt < 100; attempt++) {
    const int fd = open(c->lock_path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      fprintf(stderr, "qledsim: error: %s: cannot create the lock file: %s\n", c->lock_path,
              strerror(errno));
      return CLI_EXIT_RUNTIME;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      fprintf(stderr, "qledsim: error: %s is being written by another qledsim sweep (lock %s "
                      "held); wait for it to end or stop it, then use --resume\n", c->outpath,
              c->lock_path);
      close(fd);
      return CLI_EXIT_RUNTIME;
    }
    struct stat held, named;
    if (fstat(fd, &held) == 0 && stat(c->lock_path, &named) == 0 && held.st_dev == named.st_dev &&
        held.st_ino == named.st_ino) {
      c->lock_fd = fd; /* stays open: the lock lives until unlock_output or the process ends */
      return 0;
    }
    close(fd); /* removed by its previous holder in the meantime: take the new one */
  }
  fprintf(stderr, "qledsim: error: %s: cannot take the lock file (it keeps being replaced)\n",
          c->lock_path);
  return CLI_EXIT_RUNTIME;
}

/* Remove the lock file while holding it, then release it. */
static void unlock_output(sweep_ctx *c) {
  if (c->lock_fd < 0) return;
  unlink(c->lock_path);
  close(c->lock_fd);
  c->lock_fd = -1;
}

/* Returns GO, or an exit status (0: nothing to do). */
static int open_output(sweep_ctx *c) {
  cli_args *a = c->a;
  qs_err err;
  const int locked = lock_output(c);
  if (locked) return locked;
  const int have_out = exists(c->outpath), have_journal = exists(c->jpath);
  if (!a->resume && !a->force && (have_out || have_journal)) {
    fprintf(stderr, "qledsim: error: %s: %s exists (use --resume to complete it, or --force to "
                    "start again)\n", c->outpath, have_out ? "output file" : "journal");
    return CLI_EXIT_RUNTIME;
  }
  sw_file old;
  memset(&old, 0, sizeof(old));
  if (a->resume && have_out) {
    if (sw_file_read(c->outpath, 1, &old, &err)) {
      fprintf(stderr, "qledsim: error: cannot resume: %s\n", err.msg);
      return err.cls == QS_ERR_FILE ? CLI_EXIT_RUNTIME : CLI_EXIT_INPUT;
    }
    if (sw_same_sweep(&old.id, &old.grid, &c->id, &c->grid, c->outpath, "this sweep", 1, &err)) {
      fprintf(stderr, "qledsim: error: cannot resume: %s\n", err.msg);
      sw_file_free(&old);
      return CLI_EXIT_INPUT;
    }
  } else if (a->resume) {
    fprintf(stderr, "qledsim: %s does not exist yet: starting the sweep\n", c->outpath);
  }
  if (sw_out_begin(&c->out, c->outpath, 1, &c->grid, &c->id, c->cmdline, c->vary_spec, NULL)) {
    fprintf(stderr, "qledsim: error: %s\n", c->out.err.msg);
    sw_file_free(&old);
    return CLI_EXIT_RUNTIME;
  }
  c->out_open = 1;
  int rc = 0;
  for (long i = 0; i < old.nresults && !rc; i++)
    rc = keep(c, &old.results[i]);
  const int was_complete = old.complete;
  const long from_file = c->out.ndone;
  sw_file_free(&old);
  char *ident = sw_ident_text(&c->id, &c->grid);
  if (!rc && !ident) rc = qs_fail(&err, QS_ERR_OTHER, "out of memory");
  if (!rc && sw_journal_open(c->jpath, ident, a->resume, keep, c, &c->journal, &err)) {
    fprintf(stderr, "qledsim: error: %s\n", err.msg);
    free(ident);
    return err.cls == QS_ERR_FILE ? CLI_EXIT_RUNTIME : CLI_EXIT_INPUT;
  }
  free(ident);
  if (rc) {
    fprintf(stderr, "qledsim: error: %s\n", c->out.err.msg);
    return CLI_EXIT_RUNTIME;
  }
  long in_chunk_done = 0;
  for (long k = 0; k < c->grid.npoints; k++)
    in_chunk_done += c->out.have[k] && sw_in_chunk(&c->id, k);
  if (a->resume && was_complete && in_chunk_done == c->out.nchunk) {
    fprintf(stderr, "qledsim: %s is already complete (%ld points); nothing to do\n", c->outpath,
            c->out.nchunk);
    sw_out_abandon(&c->out); /* the file stays as it is */
    c->out_open = 0;
    sw_journal_close(c->journal, 1);
    c->journal = NULL;
    return status_of(c);
  }
  if (a->resume && c->out.ndone > 0)
    fprintf(stderr, "qledsim: resuming %s: %ld of %ld points kept (%ld from the file, %ld from the "
                    "journal)\n", c->outpath, in_chunk_done, c->out.nchunk, from_file,
            c->out.ndone - from_file);
  if (sw_out_checkpoint(&c->out, 1)) {
    fprintf(stderr, "qledsim: error: %s\n", c->out.err.msg);
    return CLI_EXIT_RUNTIME;
  }
  c->todo = malloc(sizeof(long) * (size_t)(c->out.nchunk + 1));
  if (!c->todo) return CLI_EXIT_RUNTIME;
  for (long k = 0; k < c->grid.npoints; k++)
    if (sw_in_chunk(&c->id, k) && !c->out.have[k]) c->todo[c->ntodo++] = k;
  return GO;
}

static void header(sweep_ctx *c) {
  if (c->a->quiet) return;
  printf("sweep of %s: %ld points (%d key%s), %ld to compute on %d rank%s; writing %s\n",
         c->base.path, c->out.nchunk, c->grid.naxes, c->grid.naxes == 1 ? "" : "s", c->ntodo,
         c->size, c->size == 1 ? "" : "s", c->outpath);
  printf("%7s", "point");
  for (int a = 0; a < c->grid.naxes; a++) {
    const char *k = c->grid.axes[a].key, *dot = strrchr(k, '.');
    printf("  %14.14s", dot && strlen(k) > 14 ? dot + 1 : k);
  }
  printf("  %-6s  %7s  %7s  %7s  %6s  %7s  %4s\n", "status", "V_on", "EQE%", "gam_max", "its",
         "time/s", "rank");
}

/* Stopped by SIGINT/SIGTERM (one rank): the finished points are in the journal; checkpoint them
 * into the file too and say how to go on. */
static int interrupted(sweep_ctx *c) {
  const int sig = interrupt_caught();
  const int bad = sw_out_checkpoint(&c->out, 1);
  sw_out_abandon(&c->out);
  c->out_open = 0; /* the journal stays (ctx_free closes it) */
  fprintf(stderr, "qledsim: error: stopped by %s after %ld of %ld points; %s them "
                  "(--resume continues)\n", interrupt_name(sig), c->done_now, c->ntodo,
          bad ? "the journal holds" : "the output file and its journal hold");
  return 128 + sig;
}

static int run_master(sweep_ctx *c) {
  header(c);
  c->t_start = output_now();
  if (c->size > 1 && sw_sched_create(c->comm, c->todo, c->ntodo, c->threaded, &c->sched)) {
    fprintf(stderr, "qledsim: error: cannot start the dispatcher thread\n");
    return CLI_EXIT_RUNTIME;
  }
  /* clang-analyzer reports a leak here that loses track of allocations owned by *c (c->sched
   * is freed by sw_sched_destroy below, the rest by ctx_free); ASan sees none in the sweep tests */
  const int self = c->size == 1 || c->threaded; // NOLINT(clang-analyzer-unix.Malloc)
  if (c->size == 1) interrupt_install(); /* under mpirun the launcher owns the signals */
  while (self && !c->io_failed && !interrupt_caught()) {
    const long k = c->sched ? sw_sched_next(c->sched) : (c->pos < c->ntodo ? c->todo[c->pos++] : -1);
    if (k < 0) break;
    sw_result r;
    const int rc = sw_compute(c->a->config, &c->grid, c->a->sets, c->a->nsets, k, 0, drain, c,
                              &r);
    if (rc == 1) {
      qs_err e;
      qs_fail(&e, QS_ERR_OTHER, "out of memory");
      io_fail(c, &e);
    }
    if (rc) break;
    store_own(c, &r);
    sw_result_free(&r);
    drain(c);
  }
  if (c->sched) {
    unsigned char *buf;
    size_t len;
    int got;
    while ((got = sw_sched_wait(c->sched, &buf, &len, 1.0)) != 0) {
      if (got > 0) {
        store_packed(c, buf, len);
        free(buf);
      }
      drain(c);
    }
    sw_sched_destroy(c->sched);
    c->sched = NULL;
  }
  interrupt_restore();
  show_progress(c, 1);
  const double wall = output_now() - c->t_start;
  if (!c->io_failed && c->done_now < c->ntodo && interrupt_caught()) return interrupted(c);
  if (c->io_failed) {
    sw_out_checkpoint(&c->out, 1);
    sw_out_abandon(&c->out);
    c->out_open = 0;
    fprintf(stderr, "qledsim: error: %s; %s and its journal hold the points finished so far "
                    "(--resume continues)\n", c->io_err.msg, c->outpath);
    return CLI_EXIT_RUNTIME;
  }
  const long done = c->out.ndone, failed = c->out.nfailed, unconv = c->out.nunconverged;
  c->out_open = 0;
  if (sw_out_finish(&c->out)) {
    fprintf(stderr, "qledsim: error: %s; the journal %s holds every finished point (--resume "
                    "writes them)\n", c->out.err.msg, c->jpath);
    return CLI_EXIT_RUNTIME;
  }
  sw_journal_close(c->journal, 1);
  c->journal = NULL;
  printf("wrote %s: %ld points (%ld computed now, %ld failed, %ld with non-converged bias "
         "points), %.2f s on %d rank%s\n", c->outpath, done, c->done_now, failed, unconv, wall,
         c->size, c->size == 1 ? "" : "s");
  if (failed || unconv)
    fprintf(stderr, "qledsim: warning: %ld point%s failed and %ld had bias points that did not "
                    "converge (see /sweep/status and /sweep/reason in %s)\n", failed,
            failed == 1 ? "" : "s", unconv, c->outpath);
  return status_of(c);
}

/* ---- workers -------------------------------------------------------------------------------- */

static int worker_compute(void *user, long k, unsigned char **buf, size_t *len) {
  sweep_ctx *c = user;
  sw_result r;
  if (sw_compute(c->a->config, &c->grid, c->a->sets, c->a->nsets, k, c->rank, NULL, NULL, &r))
    return 1;
  int rc = sw_result_pack(&r, buf, len);
  sw_result_free(&r);
  return rc;
}

static void ctx_free(sweep_ctx *c) {
  if (c->out_open) sw_out_abandon(&c->out);
  sw_journal_close(c->journal, 0);
  unlock_output(c);
  free(c->lock_path);
  if (c->have_base) cfg_free(&c->base);
  sw_grid_free(&c->grid);
  sw_ident_free(&c->id);
  free(c->outpath);
  free(c->jpath);
  free(c->cmdline);
  free(c->vary_spec);
  free(c->todo);
}

int cmd_sweep(cli_args *a) {
#ifdef OPEN_MPI
  /* The sweep exchanges one small message per point: Open MPI's ob1 point-to-point layer does that
   * as well as UCX and starts ~0.2 s faster per run (UCX probes every device at MPI_Init). A
   * choice made by the user (OMPI_MCA_pml, or mpirun --mca pml ...) is kept. */
  setenv("OMPI_MCA_pml", "ob1", 0);
#endif
  session_mpi_env();
  int provided = MPI_THREAD_SINGLE;
  if (MPI_Init_thread(NULL, NULL, MPI_THREAD_MULTIPLE, &provided) != MPI_SUCCESS) {
    fprintf(stderr, "qledsim: error: MPI initialisation failed\n");
    return CLI_EXIT_RUNTIME;
  }
  session_mpi_started();
  sweep_ctx c;
  memset(&c, 0, sizeof(c));
  c.a = a;
  c.lock_fd = -1;
  MPI_Comm_rank(MPI_COMM_WORLD, &c.rank);
  MPI_Comm_size(MPI_COMM_WORLD, &c.size);
  MPI_Comm_dup(MPI_COMM_WORLD, &c.comm);
  /* QLEDSIM_SWEEP_NO_THREADS=1 forces the mode used when MPI lacks MPI_THREAD_MULTIPLE (tests) */
  const char *nt = getenv("QLEDSIM_SWEEP_NO_THREADS");
  c.threaded = provided >= MPI_THREAD_MULTIPLE && !(nt && nt[0] == '1');
  c.tty = c.rank == 0 && isatty(2);
  c.progress = a->progress;
  c.cmdline = NULL;
  int rc = setup(&c);
  if (!rc) c.cmdline = session_command_line(a->argc, a->argv);
  /* every rank has done the same set-up; rank 0's verdict counts */
  int verdict = rc ? rc : GO;
  sw_bcast_int(c.comm, &verdict);
  if (verdict == GO && rc) MPI_Abort(MPI_COMM_WORLD, rc); /* this rank differs from rank 0 */
  int petsc = 0;
  if (verdict == GO) {
    if (session_petsc_init(a, &c.base)) verdict = CLI_EXIT_RUNTIME;
    else petsc = 1;
  }
  if (verdict == GO) {
    if (c.rank == 0) {
      if (c.size > 1 && !c.threaded)
        fprintf(stderr, "qledsim: note: MPI does not provide MPI_THREAD_MULTIPLE; rank 0 only "
                        "dispatches and writes (it computes no points)\n");
      verdict = open_output(&c);
    }
    sw_bcast_int(c.comm, &verdict);
  }
  if (verdict == GO) {
    if (c.rank == 0) verdict = run_master(&c);
    else sw_worker(c.comm, worker_compute, &c);
    sw_bcast_int(c.comm, &verdict);
  }
  ctx_free(&c);
  if (petsc) PetscFinalize();
  MPI_Comm_free(&c.comm);
  MPI_Finalize();
  return verdict;
}
