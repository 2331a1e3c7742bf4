/* nuem under mpirun: the ranks share the nodes of every nuem_map
 * (Feldman-Cousins grid points, chunks of sensitivity toys, scan points),
 * OpenMP threads inside each rank; rank 0 alone writes. docs/statistics.md,
 * "MPI and the speed of the toys". Built when CMake finds MPI (NUEM_HAVE_MPI);
 * MPI is started only when a launcher started nuem (or NUEM_MPI=1), so a
 * plain `nuem` pays nothing for it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#ifdef NUEM_HAVE_MPI
#include <mpi.h>

enum { MESSAGE_CAP = 1024 };

static int started, rank, size = 1, agreed;
static FILE *rank_stderr; /* the real stderr of a rank other than 0 */

/* Nodes of rank r: r, r + size, r + 2 size, ... below n. */
static size_t own_nodes(size_t n, int r) {
  return n > (size_t)r ? (n - (size_t)r + (size_t)size - 1) / (size_t)size : 0;
}

/* Every rank's nodes to every rank, bit for bit (MPI_Allgatherv of doubles). */
static int gather(void *self, double *results, size_t n, size_t width) {
  (void)self;
  if (n * width > INT32_MAX) return 1;
  int *counts = malloc(2 * (size_t)size * sizeof(int));
  double *send = malloc((own_nodes(n, rank) * width + 1) * sizeof(double));
  double *recv = malloc((n * width + 1) * sizeof(double));
  int bad = !counts || !send || !recv;
  int *displs = counts ? counts + size : NULL;
  for (int r = 0, at = 0; !bad && r < size; r++) {
    counts[r] = (int)(own_nodes(n, r) * width);
    displs[r] = at;
    at += counts[r];
  }
  for (size_t k = 0; !bad && k < own_nodes(n, rank); k++)
    memcpy(send + k * width, results + ((size_t)rank + k * (size_t)size) * width,
           width * sizeof(double));
  if (!bad)
    bad = MPI_Allgatherv(send, counts[rank], MPI_DOUBLE, recv, counts, displs, MPI_DOUBLE,
                         MPI_COMM_WORLD) != MPI_SUCCESS;
  for (int r = 0; !bad && r < size; r++)
    for (size_t k = 0; k < own_nodes(n, r); k++)
      memcpy(results + ((size_t)r + k * (size_t)size) * width, recv + displs[r] + k * width,
             width * sizeof(double));
  free(counts);
  free(send);
  free(recv);
  return bad;
}

/* The lowest failing node over all ranks; its owner sends status and message. */
static int first_failure(void *self, size_t n, size_t *node, nuem_status *status,
                         char *message, size_t cap) {
  (void)self;
  unsigned long long mine = *node, low;
  if (MPI_Allreduce(&mine, &low, 1, MPI_UNSIGNED_LONG_LONG, MPI_MIN, MPI_COMM_WORLD))
    return 1;
  if (low >= n) return 0;
  int owner = (int)(low % (unsigned long long)size), st = *status;
  char buf[MESSAGE_CAP] = "";
  if (rank == owner) snprintf(buf, sizeof buf, "%s", message);
  if (MPI_Bcast(&st, 1, MPI_INT, owner, MPI_COMM_WORLD) ||
      MPI_Bcast(buf, MESSAGE_CAP, MPI_CHAR, owner, MPI_COMM_WORLD))
    return 1;
  *node = (size_t)low;
  *status = (nuem_status)st;
  snprintf(message, cap, "%s", buf);
  agreed = 1;
  return 0;
}

static int launched(void) {
  static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"};
  const char *force = getenv("NUEM_MPI");
  if (force && *force) return strcmp(force, "0") != 0;
  for (size_t i = 0; i < sizeof vars / sizeof *vars; i++)
    if (getenv(vars[i])) return 1;
  return 0;
}

int cli_mpi_start(int *argc, char ***argv, nuem_context *ctx) {
  if (!launched()) return 0;
  int provided;
  /* nuem_map calls MPI from the calling thread only, outside OpenMP regions */
  if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
    fprintf(stderr, "nuem: MPI_Init failed\n");
    return 1;
  }
  started = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  if (size > 1) {
    nuem_distributor d = {rank, size, gather, first_failure, NULL};
    nuem_context_set_distributor(ctx, &d);
  }
  if (rank != 0) { /* rank 0 alone writes: the others' output goes nowhere */
    int fd = dup(STDERR_FILENO);
    rank_stderr = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr)) return 1;
  }
  return 0;
}

void cli_mpi_quiet(cli_options *opt) {
  if (rank != 0) opt->out_file = NULL, opt->plot = NULL;
}

int cli_mpi_finish(nuem_context *ctx, int rc) {
  if (!started) return rc;
  if (rc == 0) {
    MPI_Finalize();
    return 0;
  }
  /* A failure: exit without MPI_Finalize, so mpirun ends the job even if
   * other ranks wait in a collective. Rank 0 printed the message; another
   * rank prints its own unless all ranks agreed on it (nuem_map) or it is
   * an input error every rank met alike (exit status 2). */
  if (rank != 0 && !agreed && rc != 2 && rank_stderr) {
    const char *msg = nuem_context_error(ctx);
    fprintf(rank_stderr, "nuem (MPI rank %d of %d): %s\n", rank, size, *msg ? msg : "failed");
    fflush(rank_stderr);
  }
  fflush(stdout);
  return rc;
}

#else /* without MPI: nuem runs in one process */

int cli_mpi_start(int *argc, char ***argv, nuem_context *ctx) {
  (void)argc, (void)argv, (void)ctx;
  return 0;
}
void cli_mpi_quiet(cli_options *opt) { (void)opt; }
int cli_mpi_finish(nuem_context *ctx, int rc) {
  (void)ctx;
  return rc;
}

#endif
