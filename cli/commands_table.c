/* The list of subcommands with their help texts. */
#include "cli.h"

#define COMMON_OPTIONS                                                         \
  "  FILE.ini                 an experiment config (INI); see `nuem config`\n" \
  "  --set SECTION.KEY=VALUE  override one key (repeatable), e.g.\n"           \
  "                           --set source.power=3GW\n"                        \
  "  --format tsv|csv|json    output format (default tsv)\n"                   \
  "  --out FILE               write to FILE instead of standard output\n"      \
  "  --help                   this text\n"

const cli_command cli_commands[] = {
    {"spectrum", "spectrum [FILE.ini] [--set S.K=V]... [--format F] [--out FILE]",
     "The differential rates dR/dT versus measurable energy T (keV), in\n"
     "events per kg per keV per day: the SM nu-e rate on the target's electrons\n"
     "(free electrons) and the CEvNS rate in electron-equivalent energy (Lindhard\n"
     "quenching), and their sum. The output begins with the nuem version and the\n"
     "fully resolved config.\n\noptions:\n" COMMON_OPTIONS,
     cli_spectrum, 0},
    {"flux", "flux [FILE.ini] [--set S.K=V]... [--format F] [--out FILE]",
     "The neutrino flux dPhi/dE at the detector (per cm2 per s per MeV) from\n"
     "output.e_min to the source's upper end (output.points log-spaced values),\n"
     "split into the fission isotopes and neutron capture, with the total flux,\n"
     "fission rate and antineutrinos per fission in the header.\n\noptions:\n" COMMON_OPTIONS,
     cli_flux, 0},
    {"xsec", "xsec --channel nu-e|cevns --enu E --t T [--flavour FLAV] [--target T] [--set S.K=V]...",
     "One differential cross section dsigma/dT in cm2/keV.\n\n"
     "  --channel nu-e|cevns     neutrino-electron or neutrino-nucleus scattering\n"
     "  --enu E                  neutrino energy with its unit, e.g. 1MeV\n"
     "  --t T                    recoil energy with its unit, e.g. 10keV\n"
     "  --flavour FLAV           nue antinue numu antinumu nutau antinutau\n"
     "                           (default: physics.flavour)\n"
     "  --target NAME            nu-e: per atom of NAME (default: per free\n"
     "                           electron); cevns (required): Ge74 for one\n"
     "                           isotope, Ge for the natural mixture\n"
     "physics.sin2w, physics.couplings and physics.form_factor apply.\n\noptions:\n" COMMON_OPTIONS,
     cli_xsec, 1},
    {"config", "config [FILE.ini] [--set S.K=V]... [--format tsv|csv|json|markdown]",
     "Every configuration key with its resolved value, default, unit (or\n"
     "choices) and meaning. --format markdown writes docs/config.md.\n\noptions:\n" COMMON_OPTIONS,
     cli_config, 0},
    {0, 0, 0, 0, 0},
};
