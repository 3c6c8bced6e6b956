/* Internal to solver/newton*.c: the SNES callbacks and the linear-algebra set-up. */
#ifndef QLEDSIM_NEWTON_IMPL_H
#define QLEDSIM_NEWTON_IMPL_H

#include "solver/newton.h"

PetscErrorCode nt_form_function(DMDALocalInfo *info, dd_field *x, dd_field *f, void *ptr);
PetscErrorCode nt_form_jacobian(DMDALocalInfo *info, dd_field *x, Mat A, Mat P, void *ptr);
/* Choose and set up the Jacobian matrix and the KSP/PC (see newton_linear.c). */
PetscErrorCode nt_setup_linear(nt_solver *s);

#endif
