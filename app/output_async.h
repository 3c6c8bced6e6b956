/* `run`'s output on a second thread: the solver hands each finished bias point over (a copy of
 * the point, its recombination budget and its fields) and goes on with the next one, while a
 * writer thread does what output_point does (HDF5 rows and field groups, the table row,
 * checkpoints). The fields of a 1000-node point are 11 HDF5 datasets (~0.27 ms); on the 61-point
 * hole-only run that was ~16 ms of ~115 ms on the solver's critical path. The writer also
 * writes the header first (output_begin, while the solver sets up) and the summary and final
 * file last (output_finish). Finishing while the main thread shut PETSc and MPI down was tried:
 * the final write then took 27 ms instead of 15 (both threads freeing and faulting pages).
 *
 * Only the writer touches the HDF5 file between output_async_start and output_async_join (the
 * HDF5 library Debian builds is not thread-safe; the writer makes no PETSc or MPI call, and
 * parallel HDF5 closes itself inside MPI_Finalize, so the join comes before PetscFinalize). A write failure makes the next
 * output_async_point return non-zero (the run stops, as with output_point); points solved after
 * the failure are dropped. Without a thread (pthread_create failed) everything runs inline. */
#ifndef QLEDSIM_APP_OUTPUT_ASYNC_H
#define QLEDSIM_APP_OUTPUT_ASYNC_H

#include <pthread.h>

#include "app/output.h"

typedef struct out_item out_item;

typedef struct {
  run_output *o;
  const mesh_t *mesh;    /* for output_begin */
  const char *command_line;
  pthread_t thread;
  pthread_mutex_t lock;
  pthread_cond_t wake;   /* an item was queued, or the run ended */
  pthread_cond_t room;   /* the queue shrank, or the writer failed */
  out_item *head, *tail; /* queued points, oldest first */
  out_item *spare;       /* written items kept for reuse */
  size_t queued_bytes;
  int ending;            /* no more points (output_async_stop) */
  int failed;            /* the writer failed: o->err says why */
  int out_of_memory;     /* a copy could not be allocated (solver thread) */
  const sim_summary *sum; /* output_async_end: finish with this summary (NULL: do not) */
  fom_summary *fs;
  int started;           /* a writer thread runs */
} out_async;

/* Start the writer thread for o; its first job is output_begin(o, m, command_line) (m and
 * command_line must stay until output_async_join). Without a thread it is done here. */
void output_async_start(out_async *a, run_output *o, const mesh_t *m, const char *command_line);
/* A sim_point_fn: copy the point and queue it; returns non-zero once the writer has failed. */
int output_async_point(void *user, const sim_point *pt, const sim_fields *fields);
/* No more points. With sum, the writer then does output_finish(o, sum, fs) unless it failed
 * before; without, it only writes what is queued. Returns at once (sum and fs must stay until
 * output_async_join). */
void output_async_end(out_async *a, const sim_summary *sum, fom_summary *fs);
/* Wait for the writer and free the copies; returns o->failed. */
int output_async_join(out_async *a);

#endif
