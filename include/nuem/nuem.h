/* nuem: neutrino electromagnetic properties with low-threshold detectors.
 * The umbrella header; one header per stage of the chain
 * core -> source, target -> interaction -> rate -> response -> spectrum
 * -> analysis -> output. */
#ifndef NUEM_H
#define NUEM_H

#include "nuem/abinitio.h"
#include "nuem/abinitio_xsec.h"
#include "nuem/analysis.h"
#include "nuem/atomic.h"
#include "nuem/config.h"
#include "nuem/constants.h"
#include "nuem/core.h"
#include "nuem/interaction.h"
#include "nuem/output.h"
#include "nuem/rate.h"
#include "nuem/response.h"
#include "nuem/source.h"
#include "nuem/spectrum.h"
#include "nuem/sterile.h"
#include "nuem/target.h"

#endif
