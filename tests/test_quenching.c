/* Lindhard quenching against docs/validation.md, V14 and the table of
 * docs/physics.md, "Quenching". */
#include "test_common.h"

static void lindhard_values(void **state) {
  /* docs/physics.md, "Quenching", table [D] for Ge (Z = 32), E_R in keVnr */
  static const double er[] = {0.1, 0.25, 0.5, 1, 2, 5, 10};
  static const double k157[] = {0.1259, 0.1422, 0.1560, 0.1710, 0.1876, 0.2124, 0.2341};
  static const double k162[] = {0.1294, 0.1461, 0.1601, 0.1755, 0.1924, 0.2177, 0.2398};
  static const double k200[] = {0.1550, 0.1744, 0.1905, 0.2081, 0.2273, 0.2557, 0.2803};
  nuem_lindhard a = {0.157, 32}, b = {0.162, 32}, c = {0.200, 32};
  for (int i = 0; i < 7; i++) {
    assert_rel(nuem_lindhard_q(&a, er[i] * 1e-3), k157[i], 1e-3);
    assert_rel(nuem_lindhard_q(&b, er[i] * 1e-3), k162[i], 1e-3);
    assert_rel(nuem_lindhard_q(&c, er[i] * 1e-3), k200[i], 1e-3);
  }
}

static void inverse_and_jacobian(void **state) {
  nuem_lindhard l = {0.162, 32};
  for (double er = 1e-5; er < 0.1; er *= 1.7) {
    double ee = nuem_lindhard_q(&l, er) * er;
    assert_rel(nuem_lindhard_recoil(&l, ee), er, 1e-12);
    /* Jacobian against a central difference (independent of the formula) */
    double h = er * 1e-5;
    double num = (nuem_lindhard_q(&l, er + h) * (er + h) - nuem_lindhard_q(&l, er - h) * (er - h)) / (2 * h);
    assert_rel(nuem_lindhard_jacobian(&l, er), num, 1e-7);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(lindhard_values),
      cmocka_unit_test(inverse_and_jacobian),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
