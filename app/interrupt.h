/* SIGINT and SIGTERM (Ctrl-C; a batch system's time limit) during `run` and a single-process
 * `sweep`: the handler only records the signal; the command stops after the bias point (run) or
 * sweep point (sweep) in progress, writes what it has, says where it is and exits with
 * 128 + the signal number. A second signal ends the process at once (the handler is reset).
 * Under mpirun the launcher owns the signals: sweeps with more than one rank do not install it. */
#ifndef QLEDSIM_APP_INTERRUPT_H
#define QLEDSIM_APP_INTERRUPT_H

void interrupt_install(void);
/* Back to the actions from before (a signal that arrived is still reported by interrupt_caught). */
void interrupt_restore(void);
/* The signal caught since interrupt_install, or 0. */
int interrupt_caught(void);
/* "SIGINT" / "SIGTERM" / "signal N". */
const char *interrupt_name(int sig);

#endif
