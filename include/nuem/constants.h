/* Physical constants in nuem's internal units (MeV, cm, s, kg).
 * Sources: CODATA 2018 (Tiesinga et al., RMP 93, 025010 (2021)) for hbar*c,
 * alpha, m_e, the atomic mass unit and e; PDG for G_F. See docs/physics.md. */
#ifndef NUEM_CONSTANTS_H
#define NUEM_CONSTANTS_H

#define NUEM_HBARC_MEV_CM 1.973269804e-11   /* hbar c [MeV cm], CODATA 2018 */
#define NUEM_HBARC2 (NUEM_HBARC_MEV_CM * NUEM_HBARC_MEV_CM) /* [MeV^2 cm^2] */
#define NUEM_GF 1.1663787e-11               /* Fermi constant [MeV^-2], PDG */
#define NUEM_ALPHA (1.0 / 137.035999084)    /* fine structure, CODATA 2018 */
#define NUEM_ME 0.51099895000               /* electron mass [MeV], CODATA 2018 */
#define NUEM_MMU 105.6583755                /* muon mass [MeV], PDG 2022 */
#define NUEM_MPI 139.57039                  /* charged-pion mass [MeV], PDG 2022 */
#define NUEM_AMU 931.49410242               /* atomic mass unit [MeV], CODATA 2018 */
#define NUEM_EV_J 1.602176634e-19           /* 1 eV in J (exact, SI 2019) */
#define NUEM_AVOGADRO 6.02214076e23         /* [1/mol] (exact, SI 2019) */
#define NUEM_SECONDS_PER_DAY 86400.0
#define NUEM_C_CM_S 2.99792458e10           /* speed of light [cm/s] (exact, SI) */
#define NUEM_KEV_PER_MEV 1e3                /* display energies are keV */
#define NUEM_PI 3.14159265358979323846

#endif
