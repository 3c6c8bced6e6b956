/* `run`'s output on a writer thread (see app/output_async.h). */
#include "app/output_async.h"

#include <stdlib.h>
#include <string.h>

/* Copies waiting for the writer stay below this many bytes (one always fits, however large); a
 * solver faster than the writer then waits instead of filling memory. */
#define OUT_ASYNC_MAX_BYTES ((size_t)64 << 20)
#define OUT_ASYNC_SPARES 2 /* written copies kept for reuse (no fresh pages per point) */
#define NFIELDS 11

struct out_item {
  out_item *next;
  size_t cap;      /* doubles in data */
  size_t bytes;    /* size of the allocation */
  sim_point pt;    /* pt.budget points at budget when the point has one */
  em_budget budget;
  sim_fields fields;
  int has_fields;
  double data[];   /* 5 nlayers budget values, then NFIELDS n field values */
};

static size_t doubles_needed(const sim_point *pt, const sim_fields *f) {
  return (pt->budget ? 5 * (size_t)pt->budget->nlayers : 0) + (f ? NFIELDS * (size_t)f->n : 0);
}

/* A spare item with room for `need` doubles, or a new one; NULL when out of memory. */
static out_item *get_item(out_async *a, size_t need) {
  pthread_mutex_lock(&a->lock);
  out_item **pp = &a->spare;
  while (*pp && (*pp)->cap < need) pp = &(*pp)->next;
  out_item *it = *pp;
  if (it) *pp = it->next;
  pthread_mutex_unlock(&a->lock);
  if (it) return it;
  const size_t bytes = sizeof(out_item) + need * sizeof(double);
  it = malloc(bytes);
  if (!it) return NULL;
  it->cap = need;
  it->bytes = bytes;
  return it;
}

static double *copy_doubles(double **dst, const double *src, size_t n, double *at) {
  memcpy(at, src, n * sizeof(double));
  *dst = at;
  return at + n;
}

/* Deep copy of what output_point reads: the point, its budget and the written field arrays. */
static void copy_point(out_item *it, const sim_point *pt, const sim_fields *f) {
  double *at = it->data;
  it->pt = *pt;
  if (pt->budget) {
    const em_budget *b = pt->budget;
    const size_t nl = (size_t)b->nlayers;
    it->budget = *b;
    at = copy_doubles(&it->budget.langevin, b->langevin, nl, at);
    at = copy_doubles(&it->budget.srh, b->srh, nl, at);
    at = copy_doubles(&it->budget.auger, b->auger, nl, at);
    at = copy_doubles(&it->budget.interface, b->interface, nl, at);
    at = copy_doubles(&it->budget.iface_traps, b->iface_traps, nl, at);
    it->pt.budget = &it->budget;
  }
  it->has_fields = f != NULL;
  if (!f) return;
  memset(&it->fields, 0, sizeof(it->fields));
  it->fields.n = f->n;
  const size_t n = (size_t)f->n;
  double **dst[NFIELDS] = {&it->fields.psi, &it->fields.nn,  &it->fields.pp, &it->fields.Ec,
                           &it->fields.Ev,  &it->fields.Efn, &it->fields.Efp, &it->fields.E,
                           &it->fields.Jn,  &it->fields.Jp,  &it->fields.R};
  const double *src[NFIELDS] = {f->psi, f->nn, f->pp, f->Ec, f->Ev, f->Efn,
                                f->Efp, f->E,  f->Jn, f->Jp, f->R};
  for (int k = 0; k < NFIELDS; k++) at = copy_doubles(dst[k], src[k], n, at);
}

/* Written (or dropped) item back to the spares, or freed. Called with the lock held. */
static void recycle(out_async *a, out_item *it) {
  int spares = 0;
  for (out_item *s = a->spare; s; s = s->next) spares++;
  if (spares >= OUT_ASYNC_SPARES) {
    free(it);
    return;
  }
  it->next = a->spare;
  a->spare = it;
}

static void *writer(void *arg) {
  out_async *a = arg;
  int bad = output_begin(a->o, a->mesh, a->command_line);
  pthread_mutex_lock(&a->lock);
  a->failed = bad;
  for (;;) {
    while (!a->head && !a->ending) pthread_cond_wait(&a->wake, &a->lock);
    out_item *it = a->head;
    if (!it) break; /* ending, and everything written */
    a->head = it->next;
    if (!a->head) a->tail = NULL;
    pthread_mutex_unlock(&a->lock);
    if (!bad) bad = output_point(a->o, &it->pt, it->has_fields ? &it->fields : NULL);
    pthread_mutex_lock(&a->lock);
    a->queued_bytes -= it->bytes;
    recycle(a, it);
    a->failed = bad;
    pthread_cond_signal(&a->room);
  }
  const sim_summary *sum = a->sum;
  fom_summary *fs = a->fs;
  pthread_mutex_unlock(&a->lock);
  if (!bad && sum) output_finish(a->o, sum, fs);
  return NULL;
}

void output_async_start(out_async *a, run_output *o, const mesh_t *m, const char *command_line) {
  memset(a, 0, sizeof(*a));
  a->o = o;
  a->mesh = m;
  a->command_line = command_line;
  if (pthread_mutex_init(&a->lock, NULL) == 0) {
    if (pthread_cond_init(&a->wake, NULL) == 0) {
      if (pthread_cond_init(&a->room, NULL) == 0) {
        if (pthread_create(&a->thread, NULL, writer, a) == 0) {
          a->started = 1;
          return;
        }
        pthread_cond_destroy(&a->room);
      }
      pthread_cond_destroy(&a->wake);
    }
    pthread_mutex_destroy(&a->lock);
  }
  a->failed = output_begin(o, m, command_line); /* no thread: inline */
}

static int point_inline(out_async *a, const sim_point *pt, const sim_fields *fields) {
  if (!a->failed) a->failed = output_point(a->o, pt, fields);
  return a->failed;
}

int output_async_point(void *user, const sim_point *pt, const sim_fields *fields) {
  out_async *a = user;
  if (!a->started) return point_inline(a, pt, fields);
  const size_t need = doubles_needed(pt, fields);
  out_item *it = get_item(a, need);
  if (!it) {
    a->out_of_memory = 1;
    return 1;
  }
  copy_point(it, pt, fields);
  it->next = NULL;
  pthread_mutex_lock(&a->lock);
  while (!a->failed && a->head && a->queued_bytes + it->bytes > OUT_ASYNC_MAX_BYTES)
    pthread_cond_wait(&a->room, &a->lock);
  const int failed = a->failed;
  if (failed) {
    recycle(a, it);
  } else {
    if (a->tail) a->tail->next = it;
    else a->head = it;
    a->tail = it;
    a->queued_bytes += it->bytes;
    pthread_cond_signal(&a->wake);
  }
  pthread_mutex_unlock(&a->lock);
  return failed;
}

void output_async_end(out_async *a, const sim_summary *sum, fom_summary *fs) {
  if (a->out_of_memory) sum = NULL; /* a point is missing: the file must not say complete */
  if (!a->started) {
    if (!a->failed && sum) output_finish(a->o, sum, fs);
    return;
  }
  pthread_mutex_lock(&a->lock);
  a->sum = sum;
  a->fs = fs;
  a->ending = 1;
  pthread_cond_signal(&a->wake);
  pthread_mutex_unlock(&a->lock);
}

int output_async_join(out_async *a) {
  if (a->started) {
    pthread_join(a->thread, NULL);
    a->started = 0;
    while (a->spare) {
      out_item *s = a->spare;
      a->spare = s->next;
      free(s);
    }
    pthread_cond_destroy(&a->room);
    pthread_cond_destroy(&a->wake);
    pthread_mutex_destroy(&a->lock);
  }
  if (a->out_of_memory && !a->o->failed) {
    qs_fail(&a->o->err, QS_ERR_OTHER, "out of memory (copy of a bias point for the writer)");
    a->o->failed = 1;
  }
  return a->o->failed;
}
