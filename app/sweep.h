/* qledsim sweep / merge: parameter sweeps over config keys, spread over MPI ranks, written to one
 * crash-safe HDF5 file. The pieces (app/sweep_*.c):
 *   sweep_grid.c     the grid: --vary options and the config's vary: section -> axes of values
 *   sweep_point.c    one point: config with its overrides -> simulation -> a result record,
 *                    and the record's byte form (for MPI messages and the journal)
 *   sweep_out.c      the HDF5 writer (/sweep rows, per-point J-V, layers)
 *   sweep_read.c     reading a sweep file back (resume, merge) and checking it is the same sweep
 *   sweep_journal.c  append-only, checksummed, fsync'd journal of finished points (OUT.h5.journal)
 *   sweep_mpi.c      dynamic scheduling over ranks: dispatcher thread on rank 0, worker loop
 *   sweep_merge.c    qledsim merge
 *   cmd_sweep.c      qledsim sweep: set-up, resume, the compute loop, progress, exit status */
#ifndef QLEDSIM_APP_SWEEP_H
#define QLEDSIM_APP_SWEEP_H

#include <stddef.h>
#include <stdio.h>

#include "io/config.h"
#include "io/h5out.h"
#include "io/qserr.h"
#include "io/units.h"

/* ---- grid ---------------------------------------------------------------------------------- */

typedef struct {
  char *key;        /* key path as written ("layers.HTL.thickness") */
  char *spec;       /* values as written ("20nm:5nm:95nm", "[280 K, 300 K]") */
  char *origin;     /* "--vary" or "FILE:LINE:COL" of the config's vary entry */
  int numeric;      /* values are numbers: si holds them, text is canonical (units_format) */
  unit_dim dim;     /* their dimension (numeric keys) */
  char units[32];   /* SI unit of si ("m", "K", "1"; "" for non-numeric keys) */
  int n;            /* number of values */
  char **text;      /* value text given to the config as "key=text" */
  double *si;       /* SI values (NaN for non-numeric keys) */
} sw_axis;

typedef struct {
  int naxes;
  sw_axis *axes;    /* first axis varies slowest */
  long npoints;     /* product of the axis lengths */
  char *canonical;  /* one line per axis, "key: t0, t1, ...": identifies the grid */
} sw_grid;

/* Build the grid of a sweep: the config's `vary:` section (base->vary, in document order), then
 * each --vary "key=spec" (a key already in the config's section is replaced in place; new keys
 * are appended). spec is "start:step:stop" (inclusive, numeric keys) or "v1,v2,...". With
 * try_values, every value is tried on the base config (config_path with sets): an unknown key, a wrong unit or a value of
 * the wrong type is an error (returned, message in err); a value out of range is only reported
 * on warn (if not NULL): the points holding it will fail. */
int sw_grid_build(const char *config_path, const cfg_config *base, const char *const *sets,
                  int nsets, const char *const *varies, int nvaries, int try_values, FILE *warn,
                  sw_grid *g, qs_err *err);
void sw_grid_free(sw_grid *g);
/* Index along each axis of point k (k = sum idx[a] * stride[a], the last axis fastest). */
void sw_grid_index(const sw_grid *g, long k, int *idx);
/* The overrides of point k: sets followed by "key=text" per axis; *out is malloc'd, and so is
 * each of the last naxes strings (free with sw_point_sets_free). */
int sw_point_sets(const sw_grid *g, long k, const char *const *sets, int nsets, char ***out,
                  int *nout);
void sw_point_sets_free(const sw_grid *g, char **s, int n);
/* (Re)compute g->canonical and g->npoints from the axes. */
int sw_grid_finish(sw_grid *g);
/* SI unit names of the dimensions ("m", "J", "m^2/(V s)" ...). */
const char *sw_si_units(unit_dim d);

/* ---- one point ----------------------------------------------------------------------------- */

enum { SW_PENDING = 0, SW_OK = 1, SW_UNCONVERGED = 2, SW_FAILED = -1 };

#define SW_NFIG 16    /* figures of merit per point (sw_figs) */
#define SW_NCURVE 8   /* curve arrays per point (sw_curves) */
#define SW_NLQ 5      /* effective parameters per layer (sw_layerq) */
#define SW_REASON 64  /* bytes of a bias point's solver reason */

typedef struct {
  const char *name, *units;
} sw_name;
extern const sw_name sw_figs[SW_NFIG], sw_curves[SW_NCURVE], sw_layerq[SW_NLQ];
#define SW_V_REF 5.0  /* reference bias of J_at_V_ref, L_at_V_ref [V] */

typedef struct {
  long index;
  int status;             /* SW_OK, SW_UNCONVERGED or SW_FAILED */
  int rank;               /* MPI rank that computed it */
  double wall_time;       /* [s] */
  int n_bias, n_converged, newton_iterations;
  char *reason;           /* "" when all is well; the config or solver error; the first failure */
  double fig[SW_NFIG];    /* figures of merit (NaN when failed or not reached) */
  int nlayers;
  double *layer;          /* [nlayers][SW_NLQ] effective parameters (SI) */
  double *curve;          /* [SW_NCURVE][n_bias]: V, J, J_rad, gamma, EQE, L, CE, PE */
  int *converged, *iterations; /* [n_bias] */
  char *breason;          /* [n_bias][SW_REASON] */
} sw_result;

/* Hook called between bias points while a point is being computed (rank 0 drains its queue
 * there). Non-zero stops the computation (the point is then not recorded). */
typedef int (*sw_tick_fn)(void *user);

/* Compute point k: load config_path with the point's overrides, simulate, summarise. A config
 * or solver failure is a result with status SW_FAILED and its message, not an error. Returns 0,
 * 1 when out of memory, 2 when tick asked to stop. */
int sw_compute(const char *config_path, const sw_grid *g, const char *const *sets, int nsets,
               long k, int rank, sw_tick_fn tick, void *tick_user, sw_result *r);
void sw_result_free(sw_result *r);
/* Byte form (native endianness, for one machine class): malloc'd buffer. */
int sw_result_pack(const sw_result *r, unsigned char **buf, size_t *len);
int sw_result_unpack(const unsigned char *buf, size_t len, sw_result *r);
/* Allocate the arrays of a result with n_bias bias points and nlayers layers. */
int sw_result_alloc(sw_result *r, int n_bias, int nlayers);

/* ---- identity of a sweep (what --resume and merge compare) -------------------------------- */

typedef struct {
  char *config;        /* base resolved YAML (root attribute `config`) */
  char *config_file;
  char *petsc_options; /* command-line PETSc options */
  int chunk_i, chunk_n;/* this file holds chunk i of n (0 of 1: the whole sweep) */
  int nlayers;
  char **layers;       /* layer names of the base device */
} sw_ident;

void sw_ident_free(sw_ident *id);
/* The text that identifies a sweep's results (config body without its first line, grid,
 * PETSc options, chunk): the journal header. malloc'd. */
char *sw_ident_text(const sw_ident *id, const sw_grid *g);
/* Does point k belong to the chunk of id? */
int sw_in_chunk(const sw_ident *id, long k);

/* ---- HDF5 output --------------------------------------------------------------------------- */

typedef struct {
  h5out *h5;
  const sw_grid *g;
  const sw_ident *id;
  unsigned char *have;   /* [npoints] recorded */
  long ndone, nfailed, nunconverged, nchunk; /* nchunk: points of this chunk */
  double last_ckpt_time, last_ckpt_cost;
  int dirty;             /* points stored since the last checkpoint */
  qs_err err;
} sw_out;

/* Create the output image (force: may replace an existing file) with the root attributes, the
 * grid and preallocated rows (status 0 = pending). Nothing is on disk before the first
 * sw_out_checkpoint (so a resumed file is replaced only once its old points are in). */
int sw_out_begin(sw_out *o, const char *path, int force, const sw_grid *g, const sw_ident *id,
                 const char *command_line, const char *vary_spec, const char *merged_from);
/* Store a finished point (row, layers, J-V). A point already stored is left alone. */
int sw_out_put(sw_out *o, const sw_result *r);
/* Checkpoint when points were stored since the last one and it is due (now = 1: unconditionally). */
int sw_out_checkpoint(sw_out *o, int now);
/* Final counts, complete = 1 (when every point of the chunk is done), last checkpoint, close. */
int sw_out_finish(sw_out *o);
void sw_out_abandon(sw_out *o);

/* ---- reading a sweep file back -------------------------------------------------------------- */

typedef struct {
  char *path;
  int complete;
  sw_ident id;
  sw_grid grid;        /* rebuilt from /sweep/varied*, /sweep/grid */
  long nresults;
  sw_result *results;  /* every point with status != 0, in index order */
} sw_file;

/* Read a sweep file; results too when with_results. */
int sw_file_read(const char *path, int with_results, sw_file *f, qs_err *err);
void sw_file_free(sw_file *f);
/* 0 if file and current sweep are the same (config body, grid, PETSc options, chunk); else
 * QS_ERR_RANGE with what differs in err. */
int sw_same_sweep(const sw_ident *a, const sw_grid *ga, const sw_ident *b, const sw_grid *gb,
                  const char *what_a, const char *what_b, int compare_chunk, qs_err *err);

/* ---- journal --------------------------------------------------------------------------------- */

typedef struct sw_journal sw_journal;
/* Open path for appending. With resume, an existing journal must carry ident (else QS_ERR_RANGE)
 * and its valid records are handed to fn (a torn last record is cut off); without resume an
 * existing journal is replaced. */
int sw_journal_open(const char *path, const char *ident, int resume,
                    int (*fn)(void *user, const sw_result *r), void *user, sw_journal **j,
                    qs_err *err);
/* Append one record and fsync. */
int sw_journal_add(sw_journal *j, const unsigned char *buf, size_t len, qs_err *err);
/* Close; remove the file when the sweep is complete. */
void sw_journal_close(sw_journal *j, int remove_file);

#endif
