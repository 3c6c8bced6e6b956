/* Dynamic scheduling of sweep points over MPI ranks (see app/sweep_mpi.h). */
#include "app/sweep_mpi.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { TAG_REQ = 71, TAG_ASSIGN = 72, TAG_BCAST = 73 };

#define POLL_MIN_NS 50000L   /* 50 us after activity */
#define POLL_MAX_NS 2000000L /* 2 ms when idle */

typedef struct msg {
  unsigned char *buf;
  size_t len;
  struct msg *next;
} msg;

struct sw_sched {
  MPI_Comm comm;
  const long *todo;
  long ntodo, next;   /* next position in todo (under lock) */
  int cancelled;
  int active;         /* workers not yet told to stop (dispatcher only) */
  int finished;       /* dispatcher done (under lock) */
  int threaded;
  int have_thread;
  msg *head, *tail;   /* received results (under lock) */
  long poll_ns;
  pthread_mutex_t lock;
  pthread_cond_t cond;
  pthread_t thread;
};

static void nap(long ns) {
  struct timespec t = {ns / 1000000000L, ns % 1000000000L};
  nanosleep(&t, NULL);
}

/* Wait for a request to complete without spinning. */
static int wait_polling(MPI_Request *req) {
  long ns = POLL_MIN_NS;
  for (;;) {
    int flag = 0;
    if (MPI_Test(req, &flag, MPI_STATUS_IGNORE) != MPI_SUCCESS) return 1;
    if (flag) return 0;
    nap(ns);
    if (ns < POLL_MAX_NS) ns *= 2;
  }
}

static long take(sw_sched *s) {
  pthread_mutex_lock(&s->lock);
  long k = (!s->cancelled && s->next < s->ntodo) ? s->todo[s->next++] : -1;
  pthread_mutex_unlock(&s->lock);
  return k;
}

/* Serve one request if one is waiting; returns 1 if it did. */
static int serve_one(sw_sched *s) {
  int flag = 0;
  MPI_Status st;
  if (MPI_Iprobe(MPI_ANY_SOURCE, TAG_REQ, s->comm, &flag, &st) != MPI_SUCCESS || !flag) return 0;
  int count = 0;
  MPI_Get_count(&st, MPI_BYTE, &count);
  unsigned char *buf = malloc(count > 0 ? (size_t)count : 1);
  if (!buf) MPI_Abort(MPI_COMM_WORLD, 2);
  MPI_Recv(buf, count, MPI_BYTE, st.MPI_SOURCE, TAG_REQ, s->comm, MPI_STATUS_IGNORE);
  msg *m = count > 0 ? malloc(sizeof(msg)) : NULL;
  if (count > 0 && !m) MPI_Abort(MPI_COMM_WORLD, 2);
  long k = take(s);
  pthread_mutex_lock(&s->lock);
  if (m) {
    m->buf = buf;
    m->len = (size_t)count;
    m->next = NULL;
    if (s->tail) s->tail->next = m;
    else s->head = m;
    s->tail = m;
    pthread_cond_signal(&s->cond);
  } else {
    free(buf);
  }
  pthread_mutex_unlock(&s->lock);
  MPI_Send(&k, 1, MPI_LONG, st.MPI_SOURCE, TAG_ASSIGN, s->comm);
  if (k < 0) s->active--;
  return 1;
}

static void mark_finished(sw_sched *s) {
  pthread_mutex_lock(&s->lock);
  s->finished = 1;
  pthread_cond_broadcast(&s->cond);
  pthread_mutex_unlock(&s->lock);
}

/* Serve until every worker has been told to stop. */
static void *dispatcher(void *arg) {
  sw_sched *s = arg;
  long ns = POLL_MIN_NS;
  while (s->active > 0) {
    if (serve_one(s)) {
      ns = POLL_MIN_NS;
      continue;
    }
    nap(ns);
    if (ns < POLL_MAX_NS) ns *= 2;
  }
  mark_finished(s);
  return NULL;
}

int sw_sched_create(MPI_Comm comm, const long *todo, long ntodo, int threaded, sw_sched **out) {
  sw_sched *s = calloc(1, sizeof(*s));
  if (!s) return 1;
  int size;
  MPI_Comm_size(comm, &size);
  s->comm = comm;
  s->todo = todo;
  s->ntodo = ntodo;
  s->active = size - 1;
  s->threaded = threaded;
  s->poll_ns = POLL_MIN_NS;
  pthread_mutex_init(&s->lock, NULL);
  pthread_cond_init(&s->cond, NULL);
  if (s->active == 0) s->finished = 1;
  else if (threaded) {
    if (pthread_create(&s->thread, NULL, dispatcher, s) != 0) {
      pthread_mutex_destroy(&s->lock);
      pthread_cond_destroy(&s->cond);
      free(s);
      return 1;
    }
    s->have_thread = 1;
  }
  *out = s;
  return 0;
}

long sw_sched_next(sw_sched *s) { return take(s); }

static int pop_locked(sw_sched *s, unsigned char **buf, size_t *len) {
  msg *m = s->head;
  if (!m) return 0;
  s->head = m->next;
  if (!s->head) s->tail = NULL;
  *buf = m->buf;
  *len = m->len;
  free(m);
  return 1;
}

/* Non-threaded mode: serve what is waiting (the main thread is the dispatcher). */
static void serve_inline(sw_sched *s) {
  if (s->threaded || s->finished) return;
  while (s->active > 0 && serve_one(s)) {
  }
  if (s->active == 0) s->finished = 1;
}

int sw_sched_pop(sw_sched *s, unsigned char **buf, size_t *len) {
  serve_inline(s);
  pthread_mutex_lock(&s->lock);
  int got = pop_locked(s, buf, len);
  pthread_mutex_unlock(&s->lock);
  return got;
}

static double mono(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

int sw_sched_wait(sw_sched *s, unsigned char **buf, size_t *len, double timeout) {
  if (!s->threaded) {
    const double end = mono() + timeout;
    long ns = POLL_MIN_NS;
    for (;;) {
      if (sw_sched_pop(s, buf, len)) return 1;
      if (s->finished) return 0;
      if (mono() > end) return -1;
      nap(ns);
      if (ns < POLL_MAX_NS) ns *= 2;
    }
  }
  struct timespec until;
  clock_gettime(CLOCK_REALTIME, &until);
  const long add = (long)(timeout * 1e9);
  until.tv_sec += add / 1000000000L + (until.tv_nsec + add % 1000000000L) / 1000000000L;
  until.tv_nsec = (until.tv_nsec + add % 1000000000L) % 1000000000L;
  int timed_out = 0;
  pthread_mutex_lock(&s->lock);
  while (!s->head && !s->finished && !timed_out)
    timed_out = pthread_cond_timedwait(&s->cond, &s->lock, &until) != 0;
  int got = pop_locked(s, buf, len);
  if (!got && !s->finished) got = -1;
  pthread_mutex_unlock(&s->lock);
  return got;
}

void sw_sched_cancel(sw_sched *s) {
  pthread_mutex_lock(&s->lock);
  s->cancelled = 1;
  pthread_mutex_unlock(&s->lock);
}

void sw_sched_destroy(sw_sched *s) {
  if (!s) return;
  if (s->have_thread) pthread_join(s->thread, NULL);
  unsigned char *b;
  size_t l;
  while (pop_locked(s, &b, &l))
    free(b);
  pthread_mutex_destroy(&s->lock);
  pthread_cond_destroy(&s->cond);
  free(s);
}

int sw_worker(MPI_Comm comm, sw_work_fn compute, void *user) {
  unsigned char *buf = NULL;
  size_t len = 0;
  for (;;) {
    MPI_Request req;
    long k = -1;
    /* result of the previous point (if any) and the request for the next one */
    MPI_Isend(buf ? buf : (unsigned char *)"", (int)len, MPI_BYTE, 0, TAG_REQ, comm, &req);
    if (wait_polling(&req)) return 1;
    free(buf);
    buf = NULL;
    len = 0;
    MPI_Irecv(&k, 1, MPI_LONG, 0, TAG_ASSIGN, comm, &req);
    if (wait_polling(&req)) return 1;
    if (k < 0) return 0;
    if (compute(user, k, &buf, &len)) MPI_Abort(MPI_COMM_WORLD, 2);
  }
}

int sw_bcast_int(MPI_Comm comm, int *value) {
  int rank, size;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &size);
  if (rank == 0) {
    for (int r = 1; r < size; r++)
      if (MPI_Send(value, 1, MPI_INT, r, TAG_BCAST, comm) != MPI_SUCCESS) return 1;
    return 0;
  }
  MPI_Request req;
  MPI_Irecv(value, 1, MPI_INT, 0, TAG_BCAST, comm, &req);
  return wait_polling(&req);
}
