#include "physics/statistics.h"

#include <math.h>
#include <stddef.h>

int stat_band_init(stat_band *b, double N, double s) {
  b->lnN = log(N);
  b->gauss = NULL;
  if (s > 0.0 && !(b->gauss = gf_table_create(s))) return 1;
  return 0;
}

void stat_band_free(stat_band *b) {
  if (b->gauss) gf_table_destroy(b->gauss);
  b->gauss = NULL;
}

double stat_eta(const stat_band *b, double lnrel) {
  return b->gauss ? gf_table_eta_from_lnG(b->gauss, lnrel) : lnrel;
}
