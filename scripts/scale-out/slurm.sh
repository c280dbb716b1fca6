#!/usr/bin/env bash
# A Slurm job array: one shard per task, then one merge.
#   sbatch --array=1-16 scripts/scale-out/slurm.sh /archive /scratch/cnbudget
#   (after the array) cnbudget merge /scratch/cnbudget/shard-* --out /scratch/cnbudget/dataset
#SBATCH --job-name=cnbudget
#SBATCH --cpus-per-task=8
#SBATCH --mem=4G
set -euo pipefail
archive=$1
work=$2
n=${SLURM_ARRAY_TASK_COUNT:?run as an array job}
k=${SLURM_ARRAY_TASK_ID:?run as an array job}
# Exit status 2 (some documents not ok) is a finished shard: the dataset says which.
cnbudget extract "$archive" --out "$work/shard-$k" --shard "$k/$n" --jobs "${SLURM_CPUS_PER_TASK:-1}" --quiet || [ $? -eq 2 ]
