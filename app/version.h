/* Version stamps of the binary: QLEDSIM_VERSION (project version, a compile definition) and the
 * git commit it was built from, "-dirty" if tracked files differed (generated at build time by
 * cmake/GitStamp.cmake; "unknown" outside a git checkout). */
#ifndef QLEDSIM_APP_VERSION_H
#define QLEDSIM_APP_VERSION_H

extern const char qledsim_git_commit[];

#endif
