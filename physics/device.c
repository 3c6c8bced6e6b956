#include "physics/device.h"
#include "physics/constants.h"

#include <stdlib.h>
#include <string.h>

double dev_thickness(const dev_device *dev) {
  double L = 0.0;
  for (int i = 0; i < dev->nlayers; i++) L += dev->layers[i].thickness;
  return L;
}

double dev_kT(const dev_device *dev) { return PHYS_KB * dev->T; }

int dev_find_layer(const dev_device *dev, const char *name) {
  for (int i = 0; i < dev->nlayers; i++)
    if (strcmp(dev->layers[i].name, name) == 0) return i;
  return -1;
}

const dev_interface *dev_find_interface(const dev_device *dev, int left) {
  for (int i = 0; i < dev->ninterfaces; i++)
    if (dev->interfaces[i].left == left) return &dev->interfaces[i];
  return NULL;
}

void dev_free(dev_device *dev) {
  free(dev->layers);
  free(dev->interfaces);
  memset(dev, 0, sizeof(*dev));
}
