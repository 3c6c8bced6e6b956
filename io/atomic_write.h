/* Replacing a file's contents atomically: readers see the old file or the new one, never a mix,
 * and a process killed while writing leaves no temporary file where the filesystem supports
 * O_TMPFILE (io/atomic_write.c). */
#ifndef QLEDSIM_ATOMIC_WRITE_H
#define QLEDSIM_ATOMIC_WRITE_H

#include <stddef.h>
#include "io/qserr.h"

/* Write buf[0..len) as the new contents of path (created if absent). With sync, the data is on
 * disk before the rename and the rename is made durable. On failure path is unchanged, err says
 * why (QS_ERR_FILE: "PATH: cannot write: REASON" when nothing could be created beside path,
 * "PATH: write failed (REASON)" + keeps when writing failed, e.g. the disk is full) and the
 * return value is non-zero. keeps: appended to the write-failed message, or NULL. */
int atomic_write(const char *path, const void *buf, size_t len, int sync, const char *keeps,
                 qs_err *err);

/* write(2) all of buf[0..len) to fd, going on after EINTR and short writes. Returns 0, or -1
 * with errno set (EIO when write made no progress). */
int write_all(int fd, const void *buf, size_t len);

#endif
