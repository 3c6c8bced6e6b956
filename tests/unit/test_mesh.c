/* The mesh generator: layer boundaries are nodes exactly, spacing is h_min at every contact and
 * heterointerface and grows by at most max_ratio, the node count is as asked, and a mesh that
 * cannot be graded (too few nodes) is refused instead of silently becoming uniform. */
#include "check.h"
#include "solver/mesh.h"

#include <string.h>

static void make_device(dev_device *dev, dev_layer *lay, const double *d, int nl) {
  memset(dev, 0, sizeof(*dev));
  memset(lay, 0, sizeof(dev_layer) * (size_t)nl);
  for (int l = 0; l < nl; l++) lay[l].thickness = d[l];
  dev->nlayers = nl;
  dev->layers = lay;
}

int main(void) {
  dev_device dev;
  dev_layer lay[4];
  const double d[4] = {35e-9, 35e-9, 20e-9, 40e-9};
  make_device(&dev, lay, d, 4);
  mesh_t m;
  char why[256];
  CHECK(mesh_build(&dev, 800, 1e-12, 1.25, &m, why, sizeof(why)) == 0, "build: %s", why);
  CHECK(m.n == 800, "node count %d", m.n);
  double pos = 0.0;
  for (int l = 0; l < 4; l++) {
    const int f = m.layer_first[l];
    CHECK(m.x[f] == pos, "layer %d starts at node %d x = %.17g, expected %.17g", l, f, m.x[f], pos);
    CHECK_CLOSE(m.h[f], 1e-12, 1e-6, 0.0);
    CHECK_CLOSE(m.h[m.layer_first[l + 1] - 1], 1e-12, 1e-6, 0.0);
    pos += d[l];
  }
  CHECK(m.x[m.n - 1] == pos, "last node %.17g, device %.17g", m.x[m.n - 1], pos);
  double rmax = 1.0;
  for (int c = 0; c + 1 < m.n - 1; c++) {
    CHECK(m.h[c] > 0, "cell %d width %g", c, m.h[c]);
    if (m.cell_layer[c] == m.cell_layer[c + 1])
      rmax = fmax(rmax, fmax(m.h[c + 1] / m.h[c], m.h[c] / m.h[c + 1]));
  }
  printf("800 nodes over 4 layers: largest neighbour ratio %.4f\n", rmax);
  CHECK(rmax <= 1.25 + 1e-9, "ratio %.6f exceeds 1.25", rmax);
  mesh_free(&m);

  CHECK(mesh_build(&dev, 5, 1e-12, 1.25, &m, why, sizeof(why)) != 0, "5 nodes for 4 layers refused");
  printf("refused: %s\n", why);
  CHECK(mesh_build(&dev, 100, 1e-12, 1.25, &m, why, sizeof(why)) != 0, "100 nodes cannot grade 4 layers at 1.25");
  CHECK(strstr(why, "use at least") != NULL, "message says how many nodes: %s", why);
  printf("refused: %s\n", why);
  /* thin layer: uniform when nodes * h_min exceed it */
  const double thin[1] = {1e-9};
  make_device(&dev, lay, thin, 1);
  CHECK(mesh_build(&dev, 2001, 1e-12, 1.25, &m, why, sizeof(why)) == 0, "thin: %s", why);
  CHECK_CLOSE(m.h[0], 1e-9 / 2000, 1e-9, 0.0);
  mesh_free(&m);
  CHECK_DONE();
}
