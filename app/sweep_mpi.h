/* Dynamic scheduling of sweep points over MPI ranks.
 *
 * Rank 0 owns the list of points to compute. A dispatcher (a thread on rank 0 when MPI provides
 * MPI_THREAD_MULTIPLE, else rank 0's main loop) answers the workers: a worker (rank > 0) sends
 * the packed result of its previous point (empty the first time) and gets the index of its next
 * point back (-1: no more). Rank 0's main thread takes points from the same mutex-protected
 * counter, computes them too (on PETSC_COMM_SELF; the dispatcher thread never calls PETSc or
 * HDF5), and between its own bias points drains the queue of results the dispatcher received,
 * writing them to the journal and the HDF5 file: one writer, one thread doing file I/O.
 *
 * Waiting never spins: the dispatcher and the workers poll (MPI_Iprobe / MPI_Test) with short
 * sleeps, so a blocked rank does not steal a core from a computing one. */
#ifndef QLEDSIM_APP_SWEEP_MPI_H
#define QLEDSIM_APP_SWEEP_MPI_H

#include <mpi.h>
#include <stddef.h>

typedef struct sw_sched sw_sched;

/* Rank 0: schedule todo[0..ntodo) over the other ranks of comm. threaded: run the dispatcher
 * in its own thread (rank 0 may then compute as well; needs MPI_THREAD_MULTIPLE). */
int sw_sched_create(MPI_Comm comm, const long *todo, long ntodo, int threaded, sw_sched **s);
/* Next point for rank 0 itself, or -1 when none is left. */
long sw_sched_next(sw_sched *s);
/* A received result (packed), if one is waiting: 1 and *buf (malloc'd) / *len, else 0. In the
 * non-threaded mode this also serves the workers' pending requests. */
int sw_sched_pop(sw_sched *s, unsigned char **buf, size_t *len);
/* Wait up to timeout seconds for a result: 1 with it, 0 when every worker has stopped and
 * nothing is left, -1 on timeout. */
int sw_sched_wait(sw_sched *s, unsigned char **buf, size_t *len, double timeout);
/* Hand out no more points (workers stop after their current one). */
void sw_sched_cancel(sw_sched *s);
/* After sw_sched_wait returned 0: join the dispatcher and free. */
void sw_sched_destroy(sw_sched *s);

/* Worker loop on ranks > 0: compute(index) -> packed result, until rank 0 says stop. A non-zero
 * return of compute aborts the job. */
typedef int (*sw_work_fn)(void *user, long index, unsigned char **buf, size_t *len);
int sw_worker(MPI_Comm comm, sw_work_fn compute, void *user);

/* Rank 0 sends *value to every other rank, which waits for it without spinning. */
int sw_bcast_int(MPI_Comm comm, int *value);

#endif
