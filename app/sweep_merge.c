/* qledsim merge OUT.h5 CHUNK.h5 ...: join the files of a sweep computed in chunks (--chunk i/N,
 * e.g. a Slurm job array) into one file equal in results to a whole run. Every input must be
 * the same sweep (base config, grid, PETSc options); every point must be done in exactly one
 * input (missing and duplicate points are reported, by chunk). */
#include "app/cli.h"
#include "app/session.h"
#include "app/sweep.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define LIST_MAX 12

static int same_file(const char *a, const char *b) {
  struct stat sa, sb;
  return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Append " k1, k2, ... (and n more)" of the points in list[0..n). */
static void list_points(char *buf, size_t len, const long *list, long n) {
  size_t used = strlen(buf);
  for (long i = 0; i < n && i < LIST_MAX && used < len; i++)
    used += (size_t)snprintf(buf + used, len - used, "%s%ld", i ? ", " : " ", list[i]);
  if (n > LIST_MAX && used < len) snprintf(buf + used, len - used, " (and %ld more)", n - LIST_MAX);
}

/* Which points are missing, reported per chunk when the inputs are chunks of one split. */
static void report_missing(const sw_file *f, int nf, const long *missing, long nmiss) {
  const int N = f[0].id.chunk_n;
  int one_split = N > 1;
  for (int i = 0; i < nf; i++)
    one_split = one_split && f[i].id.chunk_n == N;
  fprintf(stderr, "qledsim: error: merge: %ld of %ld points are not done in any input\n", nmiss,
          f[0].grid.npoints);
  if (!one_split) {
    char b[1024] = "  points:";
    list_points(b, sizeof(b), missing, nmiss);
    fprintf(stderr, "%s\n", b);
    return;
  }
  long *sub = malloc(sizeof(long) * (size_t)nmiss);
  if (!sub) return;
  for (int j = 0; j < N; j++) {
    long n = 0;
    for (long i = 0; i < nmiss; i++)
      if (missing[i] % N == j) sub[n++] = missing[i];
    if (!n) continue;
    const char *file = NULL;
    for (int i = 0; i < nf; i++)
      if (f[i].id.chunk_i == j) file = f[i].path;
    char b[1400];
    if (file)
      snprintf(b, sizeof(b), "  chunk %d/%d (%s) is incomplete: %ld points not done (complete it "
               "with qledsim sweep ... --chunk %d/%d --resume):", j, N, file, n, j, N);
    else
      snprintf(b, sizeof(b), "  chunk %d/%d: no input file given (%ld points):", j, N, n);
    list_points(b, sizeof(b), sub, n);
    fprintf(stderr, "%s\n", b);
  }
  free(sub);
}

int cmd_merge(cli_args *a) {
  const char *out = a->output ? a->output : (a->nfiles ? a->files[0] : NULL);
  char **in = a->files + (a->output ? 0 : 1);
  const int nin = a->nfiles - (a->output ? 0 : 1);
  if (!out || nin < 1) {
    fprintf(stderr, "qledsim: error: merge: usage: qledsim merge OUT.h5 CHUNK.h5 [CHUNK.h5 ...] "
                    "[--force]\n");
    return CLI_EXIT_INPUT;
  }
  for (int i = 0; i < nin; i++) {
    if (!strcmp(in[i], out) || same_file(in[i], out)) {
      fprintf(stderr, "qledsim: error: merge: the output %s is also an input\n", out);
      return CLI_EXIT_INPUT;
    }
    for (int j = 0; j < i; j++)
      if (!strcmp(in[i], in[j]) || same_file(in[i], in[j])) {
        fprintf(stderr, "qledsim: error: merge: %s is given twice\n", in[i]);
        return CLI_EXIT_INPUT;
      }
  }
  struct stat st;
  if (!a->force && stat(out, &st) == 0) {
    fprintf(stderr, "qledsim: error: %s: output file exists (use --force to overwrite)\n", out);
    return CLI_EXIT_RUNTIME;
  }
  sw_file *f = calloc((size_t)nin, sizeof(sw_file));
  if (!f) return CLI_EXIT_RUNTIME;
  int rc = CLI_OK, nread = 0;
  qs_err err;
  for (int i = 0; i < nin && !rc; i++, nread++) {
    if (sw_file_read(in[i], 1, &f[i], &err)) {
      fprintf(stderr, "qledsim: error: merge: %s\n", err.msg);
      rc = err.cls == QS_ERR_FILE ? CLI_EXIT_INPUT : CLI_EXIT_RUNTIME;
      break;
    }
    if (i > 0 && sw_same_sweep(&f[0].id, &f[0].grid, &f[i].id, &f[i].grid, in[0], in[i], 0,
                               &err)) {
      fprintf(stderr, "qledsim: error: merge: %s\n", err.msg);
      rc = CLI_EXIT_INPUT;
    }
  }
  const long np = rc ? 0 : f[0].grid.npoints;
  int *owner = rc ? NULL : malloc(sizeof(int) * (size_t)np);
  const sw_result **res = rc ? NULL : calloc((size_t)np, sizeof(sw_result *));
  long *missing = rc ? NULL : malloc(sizeof(long) * (size_t)np), nmiss = 0, ndup = 0;
  char dups[1200] = "";
  if (!rc && (!owner || !res || !missing)) rc = CLI_EXIT_RUNTIME;
  for (long k = 0; !rc && k < np; k++)
    owner[k] = -1;
  for (int i = 0; !rc && i < nin; i++)
    for (long r = 0; r < f[i].nresults; r++) {
      const sw_result *x = &f[i].results[r];
      if (owner[x->index] >= 0) {
        const size_t u = strlen(dups);
        if (ndup++ < LIST_MAX)
          snprintf(dups + u, sizeof(dups) - u, "%s%ld (%s, %s)", u ? ", " : " ", x->index,
                   in[owner[x->index]], in[i]);
        continue;
      }
      owner[x->index] = i;
      res[x->index] = x;
    }
  for (long k = 0; !rc && k < np; k++)
    if (owner[k] < 0) missing[nmiss++] = k;
  if (!rc && ndup)
    fprintf(stderr, "qledsim: error: merge: %ld point%s done in more than one input (give each "
                    "chunk once):%s%s\n", ndup, ndup == 1 ? " is" : "s are", dups,
            ndup > LIST_MAX ? " ..." : "");
  if (!rc && nmiss) report_missing(f, nin, missing, nmiss);
  if (!rc && (ndup || nmiss)) rc = CLI_EXIT_INPUT;
  if (!rc) {
    sw_ident id = f[0].id; /* shallow: the whole sweep, not a chunk */
    id.chunk_i = 0;
    id.chunk_n = 1;
    size_t len = 1;
    for (int i = 0; i < nin; i++)
      len += strlen(in[i]) + 1;
    char *from = malloc(len), *cmdline = session_command_line(a->argc, a->argv);
    sw_out o;
    if (!from || !cmdline) {
      rc = CLI_EXIT_RUNTIME;
    } else {
      from[0] = '\0';
      for (int i = 0; i < nin; i++)
        sprintf(from + strlen(from), "%s%s", i ? "\n" : "", in[i]);
      char *spec = NULL;
      if (sw_out_begin(&o, out, a->force, &f[0].grid, &id, cmdline, spec, from)) {
        fprintf(stderr, "qledsim: error: %s\n", o.err.msg);
        rc = CLI_EXIT_RUNTIME;
      }
      for (long k = 0; !rc && k < np; k++)
        if (sw_out_put(&o, res[k])) {
          fprintf(stderr, "qledsim: error: %s\n", o.err.msg);
          sw_out_abandon(&o);
          rc = CLI_EXIT_RUNTIME;
        }
      const long failed = rc ? 0 : o.nfailed, unconv = rc ? 0 : o.nunconverged;
      if (!rc && sw_out_finish(&o)) {
        fprintf(stderr, "qledsim: error: %s\n", o.err.msg);
        rc = CLI_EXIT_RUNTIME;
      }
      if (!rc) {
        if (!a->quiet)
          printf("wrote %s: %ld points from %d file%s (%ld failed, %ld with non-converged bias "
                 "points)\n", out, np, nin, nin == 1 ? "" : "s", failed, unconv);
        if (failed || unconv) rc = CLI_EXIT_UNCONVERGED;
      }
    }
    free(from);
    free(cmdline);
  }
  free(owner);
  free(res);
  free(missing);
  for (int i = 0; i < nread; i++)
    sw_file_free(&f[i]);
  free(f);
  return rc;
}
