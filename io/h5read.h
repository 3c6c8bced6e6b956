/* Reading qledsim HDF5 files back (sweep resume and merge): attributes, 1D datasets and group
 * listings, with messages that name the file and the object. Read-only; any HDF5 file that a
 * checkpoint left behind is complete (see io/h5out.h), so it can be opened at any time. */
#ifndef QLEDSIM_H5READ_H
#define QLEDSIM_H5READ_H

#include <stddef.h>
#include "io/qserr.h"

typedef struct h5read h5read;

/* Open path read-only. QS_ERR_FILE with a message when it is missing or not an HDF5 file. */
int h5read_open(const char *path, h5read **r, qs_err *err);
void h5read_close(h5read *r);
const char *h5read_path(const h5read *r);
/* The message of the last failed call ("FILE: /sweep/status: no such dataset"). */
const char *h5read_error(const h5read *r);

/* 1 if an object (group or dataset) exists at path, else 0. */
int h5read_exists(h5read *r, const char *path);

/* Attributes of the object at obj ("/" or "/sweep"). Return 0, or non-zero (see h5read_error).
 * Strings may be fixed-length or variable-length; *value is malloc'd. */
int h5read_attr_string(h5read *r, const char *obj, const char *name, char **value);
int h5read_attr_long(h5read *r, const char *obj, const char *name, long *value);
int h5read_attr_double(h5read *r, const char *obj, const char *name, double *value);

/* Number of elements of the 1D dataset at path. */
int h5read_length(h5read *r, const char *path, size_t *n);
/* The whole 1D dataset at path, which must hold exactly n elements (converted to double/long). */
int h5read_doubles(h5read *r, const char *path, double *out, size_t n);
int h5read_longs(h5read *r, const char *path, long *out, size_t n);
/* A 1D string dataset (fixed or variable length) of exactly n entries, each malloc'd. */
int h5read_strings(h5read *r, const char *path, char **out, size_t n);
/* Names of the members of a group, in name order (malloc'd array of malloc'd strings). */
int h5read_list(h5read *r, const char *group, char ***names, size_t *n);
/* Free an array of n malloc'd strings and the array. */
void h5read_free_strings(char **s, size_t n);

/* The units attribute of a dataset (malloc'd). */
int h5read_units(h5read *r, const char *path, char **units);

#endif
