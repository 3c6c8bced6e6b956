/* Probe for scripts/loader-order: linked like qledsim (PETSc, HDF5, libyaml, MPI, libm, OpenMP),
 * so that its lookup scope is qledsim's. Referencing one symbol of each library keeps it in
 * DT_NEEDED under --as-needed; running it does nothing. */
#include <hdf5.h>
#include <math.h>
#include <petscsys.h>
#include <yaml.h>
#ifdef _OPENMP
#include <omp.h>
#endif

int main(int argc, char **argv) {
  if (argc > 1000) {
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    H5open();
    MPI_Init(&argc, &argv);
    PetscInitialize(&argc, &argv, NULL, NULL);
#ifdef _OPENMP
    return omp_get_max_threads() + (int)sqrt((double)argc);
#else
    return (int)sqrt((double)argc);
#endif
  }
  return 0;
}
