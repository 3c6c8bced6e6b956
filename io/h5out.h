/* HDF5 output that survives being killed at any moment. The file is built in memory (HDF5 core
 * driver); each checkpoint writes the whole image to a temporary file in the same directory and
 * renames it over the target, so the target is always a complete, readable HDF5 file holding
 * every point up to the last checkpoint. The root attribute `complete` is 0 until the final
 * checkpoint. Every dataset carries a `units` attribute. */
#ifndef QLEDSIM_H5OUT_H
#define QLEDSIM_H5OUT_H

#include <stddef.h>
#include "io/qserr.h"

typedef struct h5out h5out;

/* Start an output file at path. Refuses to replace an existing file unless force; checks that
 * the directory exists and is writable. Nothing is written until the first checkpoint. */
int h5out_open(const char *path, int force, h5out **h, qs_err *err);

/* For a single run (`qledsim run`): the target path only ever holds a finished file or nothing
 * of this run's. An existing target (replaced under --force) stays untouched until the final
 * checkpoint; until then checkpoints go to "<path>.partial". After a failure, h5out_fail moves
 * this run's last checkpoint to "<path>.partial" and says so in err. A kill -9 can still leave
 * the last checkpoint (complete = 0) at a target that did not exist before. Returns non-zero
 * when out of memory. Call right after h5out_open. */
int h5out_stage(h5out *h);

/* Attributes on a group ("/" or "/summary", created if missing). */
int h5out_attr_string(h5out *h, const char *group, const char *name, const char *value);
int h5out_attr_double(h5out *h, const char *group, const char *name, double value,
                      const char *units);
int h5out_attr_int(h5out *h, const char *group, const char *name, long value);

/* A complete 1D dataset at path ("/mesh/x"; parent groups are created). */
int h5out_write_doubles(h5out *h, const char *path, const double *data, size_t n,
                        const char *units);
/* Several 1D double datasets of length n in one group (created if needed), opened once. */
int h5out_write_group_doubles(h5out *h, const char *group, int count, const char *const *names,
                              const double *const *data, size_t n, const char *const *units);
int h5out_write_ints(h5out *h, const char *path, const int *data, size_t n, const char *units);

/* Append one value to an extendible 1D dataset (created on first use). Appends are buffered in
 * memory and written at the next checkpoint (the on-disk file changes only then anyway). */
int h5out_append_double(h5out *h, const char *path, double value, const char *units);
int h5out_append_int(h5out *h, const char *path, long value, const char *units);
int h5out_append_string(h5out *h, const char *path, const char *value);
/* Write the buffered appends into the (in-memory) file now, creating their datasets on first
 * use, without a checkpoint. Returns non-zero on an HDF5 error. */
int h5out_flush_appends(h5out *h);

/* A complete 1D dataset of variable-length UTF-8 strings (NULL entries are written as ""). */
int h5out_write_strings(h5out *h, const char *path, const char *const *s, size_t n);

/* Overwrite element i of an existing 1D dataset made by h5out_write_* (values are converted to
 * the dataset's type). */
int h5out_set_double(h5out *h, const char *path, size_t i, double value);
int h5out_set_int(h5out *h, const char *path, size_t i, long value);
int h5out_set_string(h5out *h, const char *path, size_t i, const char *value);

/* Write the current state to disk atomically (complete = 0). */
int h5out_checkpoint(h5out *h, qs_err *err);
/* Final checkpoint with complete = 1, then free. */
int h5out_finish(h5out *h, qs_err *err);
/* Free without a final checkpoint (the last checkpoint, if any, stays, marked incomplete). */
void h5out_abandon(h5out *h);
/* Free after a failure: for a staged output, move this run's last checkpoint off the target
 * (see h5out_stage) and append where the finished points are to err->msg. Otherwise as
 * h5out_abandon. On a failed final checkpoint h5out_finish does this itself. */
void h5out_fail(h5out *h, qs_err *err);

/* Bytes of the in-memory image (for the checkpoint throttle). */
size_t h5out_size(h5out *h);
const char *h5out_path(const h5out *h);

#endif
