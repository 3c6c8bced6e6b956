/* Command-line parsing: qledsim's own options, the positional CONFIG, and everything else handed
 * to PETSc. */
#include "app/cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int is_file(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int looks_like_config(const char *p) {
  const size_t n = strlen(p);
  return (n > 5 && !strcmp(p + n - 5, ".yaml")) || (n > 4 && !strcmp(p + n - 4, ".yml")) ||
         is_file(p);
}

/* Option needing a value: return it (advancing *i) or complain. */
static const char *value_of(int argc, char **argv, int *i, const char *name) {
  if (*i + 1 >= argc) {
    fprintf(stderr, "qledsim: option %s needs a value\n", name);
    return NULL;
  }
  return argv[++*i];
}

int cli_parse(int argc, char **argv, cli_args *a) {
  memset(a, 0, sizeof(*a));
  a->command = argv[1];
  a->argc = argc;
  a->argv = argv;
  a->petsc_argv = calloc((size_t)argc + 1, sizeof(char *));
  a->files = calloc((size_t)argc + 1, sizeof(char *));
  if (!a->petsc_argv || !a->files) return 1;
  const int merge = !strcmp(a->command, "merge");
  a->petsc_argv[a->petsc_argc++] = argv[0];
  int prev_petsc_option = 0;
  for (int i = 2; i < argc; i++) {
    const char *s = argv[i];
    if (!strcmp(s, "-o") || !strcmp(s, "--output")) {
      if (!(a->output = value_of(argc, argv, &i, s))) return 1;
    } else if (!strcmp(s, "--set")) {
      const char *v = value_of(argc, argv, &i, s);
      if (!v) return 1;
      if (a->nsets >= CLI_MAX_SETS) {
        fprintf(stderr, "qledsim: too many --set options (at most %d)\n", CLI_MAX_SETS);
        return 1;
      }
      a->sets[a->nsets++] = v;
    } else if (!strncmp(s, "--set=", 6)) {
      if (a->nsets >= CLI_MAX_SETS) return 1;
      a->sets[a->nsets++] = s + 6;
    } else if (!strcmp(s, "--vary") || !strncmp(s, "--vary=", 7)) {
      const char *v = s[6] == '=' ? s + 7 : value_of(argc, argv, &i, s);
      if (!v) return 1;
      if (a->nvaries >= CLI_MAX_SETS) {
        fprintf(stderr, "qledsim: too many --vary options (at most %d)\n", CLI_MAX_SETS);
        return 1;
      }
      a->varies[a->nvaries++] = v;
    } else if (!strcmp(s, "--chunk") || !strncmp(s, "--chunk=", 8)) {
      if (!(a->chunk = s[7] == '=' ? s + 8 : value_of(argc, argv, &i, s))) return 1;
    } else if (!strcmp(s, "--only") || !strncmp(s, "--only=", 7)) {
      if (!(a->only = s[6] == '=' ? s + 7 : value_of(argc, argv, &i, s))) return 1;
    } else if (!strcmp(s, "--resume")) {
      a->resume = 1;
    } else if (!strcmp(s, "--progress")) {
      a->progress = 1;
    } else if (!strcmp(s, "--force")) {
      a->force = 1;
    } else if (!strcmp(s, "-q") || !strcmp(s, "--quiet")) {
      a->quiet = 1;
    } else if (merge && s[0] != '-') {
      a->files[a->nfiles++] = argv[i];
    } else if (merge) {
      fprintf(stderr, "qledsim: merge: unknown option '%s' (see qledsim --help)\n", s);
      return 1;
    } else if (!strncmp(s, "--", 2)) {
      fprintf(stderr, "qledsim: unknown option '%s' (see qledsim --help)\n", s);
      return 1;
    } else if (s[0] == '-' && s[1] != '\0') {
      a->petsc_argv[a->petsc_argc++] = argv[i]; /* PETSc option */
      prev_petsc_option = 1;
      continue;
    } else if (!a->config && (!prev_petsc_option || looks_like_config(s))) {
      a->config = s;
    } else if (prev_petsc_option) {
      a->petsc_argv[a->petsc_argc++] = argv[i]; /* value of a PETSc option */
    } else {
      fprintf(stderr, "qledsim: unexpected argument '%s' (only one CONFIG is allowed)\n", s);
      return 1;
    }
    prev_petsc_option = 0;
  }
  if (strcmp(a->command, "sweep") != 0 && (a->nvaries || a->resume || a->chunk || a->progress)) {
    fprintf(stderr, "qledsim: --vary, --resume, --chunk and --progress are options of 'qledsim "
                    "sweep'\n");
    return 1;
  }
  if (strcmp(a->command, "validate") != 0 && a->only) {
    fprintf(stderr, "qledsim: --only is an option of 'qledsim validate'\n");
    return 1;
  }
  return 0;
}

void cli_args_free(cli_args *a) {
  free(a->petsc_argv);
  a->petsc_argv = NULL;
  free(a->files);
  a->files = NULL;
}
