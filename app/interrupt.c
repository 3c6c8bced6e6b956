/* SIGINT / SIGTERM recorded for an orderly stop (see app/interrupt.h). */
#include "app/interrupt.h"

#include <signal.h>
#include <stddef.h>

static volatile sig_atomic_t caught;
static struct sigaction old_int, old_term;
static int installed;

static void on_signal(int sig) { caught = sig; }

/* SA_RESTART: reads, writes and waits go on; SA_RESETHAND: a second signal acts at once. */
void interrupt_install(void) {
  caught = 0;
  struct sigaction sa;
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART | SA_RESETHAND;
  installed = sigaction(SIGINT, &sa, &old_int) == 0 && sigaction(SIGTERM, &sa, &old_term) == 0;
}

/* The actions from before interrupt_install (PETSc's or the defaults). */
void interrupt_restore(void) {
  if (!installed) return;
  sigaction(SIGINT, &old_int, NULL);
  sigaction(SIGTERM, &old_term, NULL);
  installed = 0;
}

int interrupt_caught(void) { return caught; }

const char *interrupt_name(int sig) {
  return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "a signal";
}
